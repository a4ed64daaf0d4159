"""The record of processing (GDPR Art. 30), kept in code.

Each ``Processing`` names the personal data of one purpose, the model fields that hold it, the
legal basis, who receives it, how long it is kept and how a person exercises their rights. The
staff page, its download, the public privacy notice, the notice beside every public form and
the README of a person's own data are all drawn from this one list; a test fails when a model
field that looks like personal data is neither listed here nor declared in ``NOT_PERSONAL``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy


class Basis(models.TextChoices):
    """The legal grounds of GDPR Art. 6(1) that the processing rests on."""

    CONSENT = "6.1.a", _("Consent (GDPR Art. 6(1)(a))")
    LEGAL_OBLIGATION = "6.1.c", _("Legal obligation (GDPR Art. 6(1)(c))")
    PUBLIC_TASK = "6.1.e", _("Task in the public interest (GDPR Art. 6(1)(e))")


@dataclass(frozen=True)
class Processing:
    key: str
    name: Promise
    subjects: Promise
    data: Promise
    # ``app_label.Model.field`` of every field holding this processing's personal data.
    fields: tuple[str, ...]
    purpose: Promise
    bases: tuple[Basis, ...]
    basis_note: Promise
    recipients: Promise
    retention: Promise
    rights: Promise
    # The field of the partnership's retention policy (soin.retention) that sets the time.
    retention_setting: str = ""

    @property
    def basis_labels(self) -> list[str]:
        return [str(Basis(b).label) for b in self.bases]


SELF_SERVICE = _(
    "Ask for your data on the partnership's page “My data”: we send a link to your address "
    "that lets you download what we hold about you and ask for it to be erased. Corrections: "
    "write to the partnership."
)

# Who acted: the staff user recorded on each record and timeline entry.
STAFF_REFERENCES = (
    "audit.AuditEntry.actor",
    "partners.AgreementEvent.actor",
    "ideas.Idea.registered_by",
    "ideas.Idea.handler",
    "ideas.IdeaEvent.actor",
    "ideas.CarrierContact.actor",
    "ideas.Attachment.uploaded_by",
    "activities.Series.created_by",
    "activities.Activity.created_by",
    "activities.Registration.registered_by",
    "activities.MeetingItem.created_by",
    "activities.ActivityEvent.actor",
    "newsletter.SubscriberEvent.actor",
    "newsletter.Issue.created_by",
    "newsletter.Dispatch.started_by",
    "knowledge.EntryEvent.actor",
    "knowledge.News.created_by",
    "reports.YearlyReport.published_by",
    "reports.ReportEvent.actor",
    "reports.KeyFigure.created_by",
    "funding.FundingCall.watcher",
    "funding.FundingCall.created_by",
    "funding.Application.created_by",
    "funding.ApplicationEvent.actor",
    "funding.Project.created_by",
    "funding.ProjectResult.actor",
    "plans.Plan.created_by",
    "plans.PlanEvent.actor",
    "plans.FollowUp.reported_by",
    "grants.Grant.decided_by",
    "grants.Grant.registered_by",
    "grants.Payment.created_by",
    "grants.GrantEvent.actor",
    "impact.FinancialProxy.proposed_by",
    "impact.FinancialProxy.decided_by",
    "impact.ProxyEvent.actor",
    "impact.Analysis.created_by",
)

RECORD: tuple[Processing, ...] = (
    Processing(
        key="ideas",
        name=_("Ideas and the advice given to their carriers"),
        subjects=_("People who bring an idea (idea carriers)"),
        data=_(
            "Name, organisation, e-mail, phone, the kind of carrier, the idea as written, the "
            "consent given and when, notes of each contact, uploaded files and their names"
        ),
        fields=(
            "ideas.Idea.carrier_category",
            "ideas.Idea.carrier_name",
            "ideas.Idea.carrier_organisation",
            "ideas.Idea.carrier_email",
            "ideas.Idea.carrier_email_canonical",
            "ideas.Idea.carrier_phone",
            "ideas.Idea.consent_at",
            "ideas.Idea.consent_text",
            "ideas.Idea.status_nonce",
            "ideas.Idea.description",
            "ideas.Idea.outcome_note",
            "ideas.IdeaEvent.note",
            "ideas.CarrierContact.summary",
            "ideas.Attachment.file",
            "ideas.Attachment.name",
        ),
        purpose=_(
            "To advise the carrier on their idea, to contact them about it, to pass it on to "
            "a partner organisation, and (without names) for statistics"
        ),
        bases=(Basis.CONSENT, Basis.LEGAL_OBLIGATION),
        basis_note=_(
            "The carrier's consent covers the contact details. An idea sent to a public body "
            "is an official document and is kept under the archive law, stripped of contact "
            "details."
        ),
        recipients=_(
            "The partnership's advisors and coordinators, the national coordinators (reading), "
            "and the partner organisation an idea is passed on to"
        ),
        retention=_(
            "Contact details are removed when the idea has been closed for the time the "
            "partnership has set for closed ideas; the idea itself is kept as an official "
            "document"
        ),
        rights=SELF_SERVICE,
        retention_setting="idea_months",
    ),
    Processing(
        key="knowledge",
        name=_("Idea carriers named in the knowledge bank"),
        subjects=_("Idea carriers who agreed to be named"),
        data=_("The name as the carrier agreed to it, when and how they agreed, pictures"),
        fields=(
            "knowledge.Entry.carrier_name",
            "knowledge.Entry.carrier_consent_at",
            "knowledge.Entry.carrier_consent_note",
            "knowledge.EntryImage.file",
        ),
        purpose=_("To show who is behind a documented social innovation"),
        bases=(Basis.CONSENT,),
        basis_note=_("An entry names its carrier only with their consent."),
        recipients=_("Everyone: the knowledge bank is public and open data"),
        retention=_(
            "Until the consent is withdrawn: then the name is removed and the entry unpublished"
        ),
        rights=_("Withdraw your consent by writing to the partnership."),
    ),
    Processing(
        key="registrations",
        name=_("Registrations for activities"),
        subjects=_("People who register for a seminar, meeting or other activity"),
        data=_(
            "Name, e-mail, organisation, food and accessibility needs, language, attendance, "
            "the consent given and when"
        ),
        fields=(
            "activities.Registration.name",
            "activities.Registration.email",
            "activities.Registration.email_canonical",
            "activities.Registration.organisation",
            "activities.Registration.dietary_needs",
            "activities.Registration.accessibility_needs",
            "activities.Registration.attended",
            "activities.Registration.consent_at",
            "activities.Registration.consent_text",
            "activities.Registration.nonce",
            "activities.ActivityEvent.note",
        ),
        purpose=_(
            "To plan the activity, to confirm the registration, offer freed seats and send a "
            "reminder, and (as counts) to report attendance"
        ),
        bases=(Basis.CONSENT,),
        basis_note=_("The registrant agrees when they register; they can cancel at any time."),
        recipients=_(
            "The partnership's coordinators and advisors; food and accessibility needs also "
            "to those who arrange the activity"
        ),
        retention=_(
            "Removed when the activity has been over for the time the partnership has set for "
            "past registrations"
        ),
        rights=SELF_SERVICE,
        retention_setting="registration_months",
    ),
    Processing(
        key="newsletter",
        name=_("The newsletter"),
        subjects=_("Subscribers"),
        data=_(
            "E-mail, name if given, language, the consent given and when, the history of the "
            "subscription, the newsletters sent; a keyed hash of erased addresses"
        ),
        fields=(
            "newsletter.Subscriber.email",
            "newsletter.Subscriber.email_canonical",
            "newsletter.Subscriber.name",
            "newsletter.Subscriber.consent_text",
            "newsletter.Subscriber.consent_at",
            "newsletter.Subscriber.nonce",
            "newsletter.SubscriberEvent.note",
            "newsletter.Delivery.email",
            "newsletter.Delivery.email_canonical",
            "newsletter.Suppression.email_hash",
        ),
        purpose=_("To send the newsletter to those who asked for it"),
        bases=(Basis.CONSENT,),
        basis_note=_(
            "The subscriber agrees when they sign up and confirms by mail; every newsletter "
            "has a link to unsubscribe at once."
        ),
        recipients=_("The partnership's coordinators; the mail server that sends the mails"),
        retention=_(
            "Until the subscriber unsubscribes, then for the time the partnership has set for "
            "unsubscribed subscribers; unconfirmed sign-ups are forgotten after a few days; a "
            "hash of an erased address is kept so that it is never imported again"
        ),
        rights=_(
            "Use the link in every newsletter to unsubscribe, download your data or have it "
            "erased, or ask on the partnership's page “My data”."
        ),
        retention_setting="subscriber_months",
    ),
    Processing(
        key="friend_tips",
        name=_("Tips to a friend about the newsletter"),
        subjects=_("The person who tips and the friend tipped"),
        data=_("The sender's name, the friend's address until the mail has gone, then a hash"),
        fields=(
            "newsletter.FriendTip.email",
            "newsletter.FriendTip.email_hash",
            "newsletter.FriendTip.sender_name",
        ),
        purpose=_(
            "To send the friend one mail about the newsletter, and never more than one a year"
        ),
        bases=(Basis.PUBLIC_TASK,),
        basis_note=_("Telling the public of the partnership's work; the friend is not signed up."),
        recipients=_("The friend; the mail server that sends the mail"),
        retention=_(
            "The address is removed as soon as the mail has gone; its keyed hash is kept for a year"
        ),
        rights=_("Write to the partnership; the hash cannot be read back into an address."),
    ),
    Processing(
        key="grants",
        name=_("Small development grants"),
        subjects=_("Contact persons of associations that apply"),
        data=_(
            "The contact person's name, e-mail and phone, the application and its budget, the "
            "decision, payments and the follow-up report"
        ),
        fields=(
            "grants.Grant.association_name",
            "grants.Grant.contact_name",
            "grants.Grant.contact_email",
            "grants.Grant.contact_email_canonical",
            "grants.Grant.contact_phone",
            "grants.Grant.purpose",
            "grants.Grant.decision_reason",
            "grants.Grant.followup_done",
            "grants.Grant.consent_at",
            "grants.Grant.consent_text",
            "grants.Grant.nonce",
            "grants.Payment.note",
            "grants.GrantEvent.note",
        ),
        purpose=_(
            "To handle the application, tell of the decision, pay out the grant and ask for "
            "the follow-up report"
        ),
        bases=(Basis.PUBLIC_TASK, Basis.LEGAL_OBLIGATION),
        basis_note=_(
            "Handling an application is a task of public interest that the applicant asks "
            "for; accounting and archive law require the records to be kept."
        ),
        recipients=_(
            "The partnership's staff and the coordinators who decide; the national "
            "coordinators (reading)"
        ),
        retention=_(
            "As long as the grant's accounting records must be kept (seven years after the "
            "year of payment), then under the archive law"
        ),
        rights=SELF_SERVICE,
    ),
    Processing(
        key="partner_contacts",
        name=_("Contact persons of the partner organisations"),
        subjects=_("Contact persons at the partners"),
        data=_("Name, title, e-mail, phone, whether they agreed to be shown publicly"),
        fields=(
            "partners.ContactPerson.name",
            "partners.ContactPerson.title",
            "partners.ContactPerson.email",
            "partners.ContactPerson.email_canonical",
            "partners.ContactPerson.phone",
            "partners.ContactPerson.is_public",
            "partners.AgreementEvent.note",
        ),
        purpose=_(
            "So that the partners and the public can reach the partnership, and to run the "
            "partnership and its agreements"
        ),
        bases=(Basis.PUBLIC_TASK, Basis.CONSENT),
        basis_note=_(
            "Running the partnership is a public task; a contact is shown on the public site "
            "only if they agreed to it."
        ),
        recipients=_(
            "The partnership's staff and partner contacts; the public, for contacts who agreed"
        ),
        retention=_(
            "As long as the person is the organisation's contact; agreements are kept under "
            "the archive law"
        ),
        rights=SELF_SERVICE,
    ),
    Processing(
        key="staff",
        name=_("Staff accounts and roles"),
        subjects=_("Coordinators, advisors, partner contacts and national coordinators"),
        data=_(
            "Name, e-mail, password (as a one-way hash), language, last login, roles, the "
            "private calendar feed, and who made each change on every record"
        ),
        fields=(
            "accounts.User.email",
            "accounts.User.email_canonical",
            "accounts.User.full_name",
            "accounts.User.password",
            "accounts.User.last_login",
            "accounts.User.language",
            "accounts.Role.user",
            "activities.CalendarFeed.user",
            "activities.CalendarFeed.nonce",
            *STAFF_REFERENCES,
        ),
        purpose=_("To give people access to the back office and to show who did what"),
        bases=(Basis.PUBLIC_TASK,),
        basis_note=_("Running the partnership's work is a public task."),
        recipients=_("The partnership's coordinators"),
        retention=_(
            "As long as the account is used; the record of who made a change is kept with the "
            "record it belongs to"
        ),
        rights=SELF_SERVICE,
    ),
    Processing(
        key="audit",
        name=_("The audit log"),
        subjects=_("Staff users, and people named in the records changed"),
        data=_(
            "Who changed what and when, and the record before and after (contact details of "
            "carriers, registrants, subscribers and applicants left out)"
        ),
        fields=(
            "audit.AuditEntry.actor",
            "audit.AuditEntry.object_repr",
            "audit.AuditEntry.before",
            "audit.AuditEntry.after",
        ),
        purpose=_("To be able to show who changed what, and to keep the data secure"),
        bases=(Basis.LEGAL_OBLIGATION,),
        basis_note=_("GDPR Art. 5(2) and 32 (accountability and security) and the archive law."),
        recipients=_("The partnership's coordinators"),
        retention=_("As the archive law and the partnership's document plan require"),
        rights=_("Write to the partnership."),
    ),
    Processing(
        key="erasures",
        name=_("The record of erasures"),
        subjects=_("People whose data was erased, and the staff who erased it"),
        data=_(
            "When an erasure happened, how, how many records it touched, and a keyed hash of "
            "the address (never the address itself nor what was erased)"
        ),
        fields=("retention.ErasureRecord.subject_hash", "retention.ErasureRecord.actor"),
        purpose=_(
            "To show that an erasure was done, and to repeat it after a restore from an older "
            "backup"
        ),
        bases=(Basis.LEGAL_OBLIGATION,),
        basis_note=_("GDPR Art. 5(2) and 17 (accountability and the right to erasure)."),
        recipients=_("The partnership's coordinators"),
        retention=_(
            "As long as backups older than the erasure are kept, and as the archive law requires"
        ),
        rights=_("Write to the partnership."),
    ),
    Processing(
        key="intake",
        name=_("Limits on the public forms"),
        subjects=_("Visitors who send a public form"),
        data=_("A keyed hash of the visitor's network address"),
        fields=("core.RateLimitHit.key_hash",),
        purpose=_("To stop a single sender from flooding the public forms"),
        bases=(Basis.PUBLIC_TASK,),
        basis_note=_("Keeping the service secure and open to all."),
        recipients=_("No one"),
        retention=_("One hour"),
        rights=_("The hash cannot be read back into an address; it is gone within the hour."),
    ),
    Processing(
        key="mail_handovers",
        name=_("Mails handed to the mail server"),
        subjects=_("Everyone Soin sends a mail to"),
        data=_(
            "A hash of each mail's subject and recipients, and when it was handed over (never "
            "the address itself nor the mail)"
        ),
        fields=("core.MailHandover.digest",),
        purpose=_("To send a mail once, even when the worker sending it stopped half-way"),
        bases=(Basis.PUBLIC_TASK,),
        basis_note=_("Keeping the service reliable: no one gets the same mail twice."),
        recipients=_("No one"),
        retention=_("Thirty days"),
        rights=_("Write to the partnership."),
    ),
    Processing(
        key="data_requests",
        name=_("Requests for one's own data"),
        subjects=_("People who ask for their data"),
        data=_("The e-mail address given, when the link was sent and used"),
        fields=(
            "privacy.AccessRequest.email",
            "privacy.AccessRequest.email_canonical",
            "privacy.AccessRequest.nonce",
        ),
        purpose=_("To send a person their own data and carry out their request for erasure"),
        bases=(Basis.LEGAL_OBLIGATION,),
        basis_note=_("GDPR Art. 15, 17 and 20 oblige us to answer."),
        recipients=_("The person who asked, at the address they gave"),
        retention=_("Thirty days after the request"),
        rights=_("Write to the partnership."),
    ),
    Processing(
        key="partnership_work",
        name=_("Meetings, plans and projects"),
        subjects=_("People named in minutes, plans, projects and impact analyses"),
        data=_("Names and notes in minutes, actions, plans, projects and analyses"),
        fields=(
            "activities.Activity.minutes",
            "activities.MeetingItem.text",
            "plans.Item.responsible_text",
            "plans.FollowUp.text",
            "funding.ApplicationEvent.note",
            "funding.ProjectResult.text",
            "impact.Stakeholder.name",
            "knowledge.EntryEvent.note",
            "reports.ReportEvent.note",
            "plans.PlanEvent.note",
            "impact.ProxyEvent.note",
            "impact.FinancialProxy.decision_note",
        ),
        purpose=_("To run and follow up the partnership's meetings, plans and projects"),
        bases=(Basis.PUBLIC_TASK, Basis.LEGAL_OBLIGATION),
        basis_note=_(
            "Running the partnership is a public task; minutes and plans are official "
            "documents kept under the archive law."
        ),
        recipients=_("The partnership's staff and partner contacts"),
        retention=_("Under the archive law"),
        rights=_("Write to the partnership."),
    ),
)

# Fields whose names look like personal data but hold none, each with the reason.
NOT_PERSONAL: dict[str, Promise] = {
    "meaning.IdeaVector.text_hash": _("A hash of the text a vector was made from"),
    "meaning.EntryVector.text_hash": _("A hash of the text a vector was made from"),
    "regions.Municipality.name": _("A municipality's name"),
    "regions.Partnership.contact_email": _("The partnership's functional address"),
    "partners.Organisation.name": _("An organisation's name"),
    "partners.Organisation.email": _(
        "An organisation's functional address; people's addresses are in the contact persons"
    ),
    "activities.Activity.address": _("Where an activity takes place"),
    "funding.Project.name": _("A project's name"),
    "newsletter.Dispatch.owner": _("The worker process that sends, not a person"),
    "newsletter.Delivery.owner": _("The worker process that sends, not a person"),
    "grants.Grant.org_number": _("An association's organisation number"),
    "core.SubmissionToken.nonce": _("A random number a public form carries, used once"),
}
NOT_PERSONAL_NOTE = pgettext_lazy("record of processing", "Not personal data")


@dataclass(frozen=True)
class Row:
    """A processing as shown: every text in the active language, the retention with the
    partnership's own time."""

    key: str
    name: str
    subjects: str
    data: str
    fields: tuple[str, ...]
    purpose: str
    bases: list[str]
    basis_note: str
    recipients: str
    retention: str
    rights: str


def retention_months(partnership: Any, setting: str) -> int | None:
    """Return the months the partnership's retention policy sets in ``setting`` (its default
    when the partnership has not set one)."""
    from soin.retention.models import RetentionPolicy

    policy = (
        RetentionPolicy.objects.filter(partnership=partnership).first()
        if partnership is not None
        else None
    )
    if policy is not None:
        return int(getattr(policy, setting))
    default = getattr(RetentionPolicy, f"DEFAULT_{setting.upper()}", None)
    return int(default) if default is not None else None


def _retention(processing: Processing, partnership: Any) -> str:
    text = str(processing.retention)
    if not processing.retention_setting:
        return text
    months = retention_months(partnership, processing.retention_setting)
    if months is None:
        return text
    if partnership is None:
        return (
            text
            + " "
            + ngettext("(by default %(months)s month).", "(by default %(months)s months).", months)
            % {"months": months}
        )
    return (
        text
        + " "
        + ngettext(
            "(in this partnership %(months)s month).",
            "(in this partnership %(months)s months).",
            months,
        )
        % {"months": months}
    )


def record_for(partnership: Any = None) -> list[Row]:
    """Return the record as it reads for ``partnership`` (or in general)."""
    return [
        Row(
            key=p.key,
            name=str(p.name),
            subjects=str(p.subjects),
            data=str(p.data),
            fields=p.fields,
            purpose=str(p.purpose),
            bases=p.basis_labels,
            basis_note=str(p.basis_note),
            recipients=str(p.recipients),
            retention=_retention(p, partnership),
            rights=str(p.rights),
        )
        for p in RECORD
    ]


def by_key(key: str) -> Processing:
    """Return the processing ``key`` of the record."""
    for processing in RECORD:
        if processing.key == key:
            return processing
    raise KeyError(key)


def covered_fields() -> set[str]:
    """Return every field the record lists, and every field declared not personal."""
    return {f for p in RECORD for f in p.fields} | set(NOT_PERSONAL)
