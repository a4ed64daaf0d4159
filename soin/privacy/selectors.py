"""Reads of the self-service: the request a link opens, and everything a partnership holds
about one e-mail address, kind by kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from soin.core.emails import canonical_email
from soin.core.tokens import object_from_token
from soin.privacy.models import AccessRequest
from soin.privacy.services import PURPOSE
from soin.regions.models import Partnership

Rows = list[dict[str, Any]]


def access_request_by_token(*, partnership: Partnership, token: str) -> AccessRequest:
    """Return the request ``token`` opens in ``partnership`` (used or expired ones too, so
    that the page can say so); 404 for a wrong token or another partnership's."""
    return object_from_token(
        AccessRequest.objects.filter(partnership=partnership).select_related("partnership"),
        purpose=PURPOSE,
        token=token,
    )


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


# Each kind's rows are read by the canonical form of the address (``person_data``).


def _ideas(partnership: Partnership, email: str) -> Rows:
    from soin.ideas.models import Idea

    return [
        {
            "number": i.number,
            "title": i.title,
            "description": i.description,
            "received_on": _iso(i.received_on),
            "channel": i.channel,
            "carrier_category": i.carrier_category,
            "carrier_name": i.carrier_name,
            "carrier_organisation": i.carrier_organisation,
            "carrier_email": i.carrier_email,
            "carrier_phone": i.carrier_phone,
            "consent_text": i.consent_text,
            "consent_given": _iso(i.consent_at),
            "stage": i.stage,
            "outcome": i.outcome,
        }
        for i in Idea.objects.filter(
            partnership=partnership, carrier_email_canonical=email
        ).order_by("pk")
    ]


def _contact_log(partnership: Partnership, email: str) -> Rows:
    from soin.ideas.models import CarrierContact

    return [
        {
            "idea": c.idea.number,
            "happened_on": _iso(c.happened_on),
            "means": c.means,
            "summary": c.summary,
        }
        for c in CarrierContact.objects.filter(
            idea__partnership=partnership, idea__carrier_email_canonical=email
        )
        .select_related("idea")
        .order_by("idea_id", "happened_on", "pk")
    ]


def _attachments(partnership: Partnership, email: str) -> Rows:
    from soin.ideas.models import Attachment

    return [
        {
            "idea": a.idea.number,
            "name": a.name,
            "content_type": a.content_type,
            "size": a.size,
            "uploaded": _iso(a.created_at),
        }
        for a in Attachment.objects.filter(
            idea__partnership=partnership, idea__carrier_email_canonical=email
        )
        .select_related("idea")
        .order_by("pk")
    ]


def _registrations(partnership: Partnership, email: str) -> Rows:
    from soin.activities.models import Registration

    return [
        {
            "activity": r.activity.title,
            "starts_at": _iso(r.activity.starts_at),
            "name": r.name,
            "email": r.email,
            "organisation": r.organisation,
            "dietary_needs": r.dietary_needs,
            "accessibility_needs": r.accessibility_needs,
            "language": r.language,
            "state": r.state,
            "attended": r.attended,
            "consent_text": r.consent_text,
            "consent_given": _iso(r.consent_at),
            "registered": _iso(r.created_at),
        }
        for r in Registration.objects.filter(
            activity__partnership=partnership, email_canonical=email
        )
        .select_related("activity")
        .order_by("pk")
    ]


def _newsletter(partnership: Partnership, email: str) -> Rows:
    from soin.newsletter.models import Subscriber
    from soin.newsletter.selectors import subscriber_data

    return [
        subscriber_data(s)
        for s in Subscriber.objects.filter(partnership=partnership, email_canonical=email)
    ]


def _grants(partnership: Partnership, email: str) -> Rows:
    from soin.grants.models import Grant

    return [
        {
            "number": g.number,
            "title": g.title,
            "association": g.association_name,
            "organisation_number": g.org_number,
            "contact_name": g.contact_name,
            "contact_email": g.contact_email,
            "contact_phone": g.contact_phone,
            "purpose": g.purpose,
            "amount_applied": g.amount_applied,
            "amount_granted": g.amount_granted,
            "state": g.state,
            "received_on": _iso(g.received_on),
            "decided_on": _iso(g.decided_on),
            "consent_text": g.consent_text,
            "consent_given": _iso(g.consent_at),
        }
        for g in Grant.objects.filter(
            partnership=partnership, contact_email_canonical=email
        ).order_by("pk")
    ]


def _partner_contacts(partnership: Partnership, email: str) -> Rows:
    from soin.partners.models import ContactPerson

    return [
        {
            "organisation": c.organisation.name,
            "name": c.name,
            "title": c.title,
            "email": c.email,
            "phone": c.phone,
            "shown_publicly": c.is_public,
        }
        for c in ContactPerson.objects.filter(
            organisation__partnership=partnership, email_canonical=email
        )
        .select_related("organisation")
        .order_by("pk")
    ]


def _staff_account(partnership: Partnership, email: str) -> Rows:
    from soin.accounts.models import User

    users = (
        User.objects.filter(email_canonical=email)
        .filter(Q(roles__partnership=partnership) | Q(roles__partnership__isnull=True))
        .distinct()
        .prefetch_related("roles__organisation")
    )
    return [
        {
            "email": u.email,
            "name": u.full_name,
            "language": u.language,
            "joined": _iso(u.date_joined),
            "last_login": _iso(u.last_login),
            "active": u.is_active,
            "roles": [
                {
                    "role": r.kind,
                    "organisation": r.organisation.name if r.organisation else "",
                    "granted": _iso(r.granted_at),
                }
                for r in u.roles.all()
                if r.partnership_id in (None, partnership.pk)
            ],
        }
        for u in users
    ]


@dataclass(frozen=True)
class Kind:
    """One file of a person's data: where it comes from and the processing it belongs to."""

    key: str
    title: Promise
    source: Promise
    processing: str
    rows: Callable[[Partnership, str], Rows]


KINDS: tuple[Kind, ...] = (
    Kind(
        "ideas",
        _("Ideas where you are the carrier"),
        _("The idea form, or an advisor who registered the idea"),
        "ideas",
        _ideas,
    ),
    Kind(
        "contact_log",
        _("The advisors' notes of each contact about your ideas"),
        _("The advisors"),
        "ideas",
        _contact_log,
    ),
    Kind(
        "attachments",
        _("Files attached to your ideas (their names)"),
        _("You or the advisors"),
        "ideas",
        _attachments,
    ),
    Kind(
        "registrations",
        _("Your registrations for activities"),
        _("The registration form on an activity's page, or the staff"),
        "registrations",
        _registrations,
    ),
    Kind(
        "newsletter",
        _("Your newsletter subscription"),
        _("The sign-up form, or an import of earlier subscribers"),
        "newsletter",
        _newsletter,
    ),
    Kind(
        "grants",
        _("Grant applications where you are the contact person"),
        _("The application form, or the staff"),
        "grants",
        _grants,
    ),
    Kind(
        "partner_contacts",
        _("You as a contact person of a partner organisation"),
        _("The partnership's staff or your organisation"),
        "partner_contacts",
        _partner_contacts,
    ),
    Kind(
        "staff_account",
        _("Your account in the back office"),
        _("An invitation from a coordinator"),
        "staff",
        _staff_account,
    ),
)


def person_data(*, partnership: Partnership, email: str) -> dict[str, Rows]:
    """Return every kind of data ``partnership`` holds about ``email``, by kind key: the
    records whose address has its canonical form (``soin.core.emails``), never those of an
    address that only looks like it."""
    address = canonical_email(email)
    if not address:
        return {kind.key: [] for kind in KINDS}
    return {kind.key: kind.rows(partnership, address) for kind in KINDS}


def holds_data(*, partnership: Partnership, email: str) -> bool:
    return any(person_data(partnership=partnership, email=email).values())
