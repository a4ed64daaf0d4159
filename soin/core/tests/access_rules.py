"""Who may open which address: one rule per URL pattern (and per object variant).

The access test walks the URLconf and fails for a pattern without a rule here, so every new
page must say who may reach it. Outcomes:
  OK      the page works (200, or a redirect that is not to the login page)
  LOGIN   the visitor is sent to the login page
  DENIED  403 or 404
  ADMIN   sent to the admin's own login (Django's admin is for superusers only)
The axe sweep opens the rules marked ``sweep`` (public pages in both languages; staff pages as
a coordinator, in both languages).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from soin.core.testing import ADVISOR, ANON, CONTACT, COORDINATOR, NATIONAL, OTHER, ROLES, World

OK, LOGIN, DENIED, ADMIN = "ok", "login", "denied", "admin"


def everyone() -> dict[str, str]:
    return dict.fromkeys(ROLES, OK)


def members(*allowed: str) -> dict[str, str]:
    """Back-office access: anonymous visitors go to the login page, roles in ``allowed`` get
    through, every other role is denied."""
    return {role: (LOGIN if role == ANON else OK if role in allowed else DENIED) for role in ROLES}


ALL_STAFF = (CONTACT, ADVISOR, COORDINATOR, NATIONAL)
READERS = (ADVISOR, COORDINATOR, NATIONAL)


@dataclass
class Rule:
    name: str
    expect: dict[str, str]
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    method: str = "GET"
    variant: str = ""
    sweep: bool = False
    # Also try the record through the other partnership's address: nobody may reach it there.
    foreign: bool = False
    # The POST's data, or a function of the world that returns it.
    data: dict[str, Any] | Callable[[World], dict[str, Any]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name


def page_reader(rule: Rule) -> str | None:
    """Who reads a GET rule's page in the sweeps over pages: public pages an anonymous
    visitor, back-office pages the coordinator (or the national coordinator, for the pages
    only they may open); None for a POST or a page nobody of these may open."""
    if rule.method != "GET":
        return None
    for role in (ANON, COORDINATOR, NATIONAL):
        if rule.expect.get(role) == OK:
            return role
    return None


# Addresses of files and feeds, not pages: no forms in them, and some (PDF) are slow to draw.
FILES = re.compile(r"(\.(ics|csv|xlsx|docx|pdf|json|xml|svg|png|atom)$)|/(download|feed)/")


def p(w: World) -> dict[str, Any]:
    return {"partnership": w.partnership.slug}


def obj(get: Callable[[World], Any]) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"partnership": w.partnership.slug, "pk": get(w).pk}


RULES: list[Rule] = [
    # The public site.
    Rule("public:start", everyone(), sweep=True),
    Rule("public:accessibility", everyone(), sweep=True),
    Rule("public:privacy", everyone(), sweep=True),
    Rule("public:partnership", everyone(), p, sweep=True),
    Rule("public:about", everyone(), p, sweep=True),
    Rule("public:partners", everyone(), p, sweep=True),
    Rule(
        "public:partner",
        everyone(),
        lambda w: {"partnership": w.partnership.slug, "organisation": w.own_org.slug},
        sweep=True,
    ),
    Rule("public:idea_submit", everyone(), p, sweep=True),
    Rule("public:idea_thanks", everyone(), p, sweep=True),
    Rule(
        "public:idea_status",
        everyone(),
        lambda w: {"partnership": w.partnership.slug, "token": w.idea_token},
        sweep=True,
    ),
    Rule(
        "public:idea_status",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"partnership": w.partnership.slug, "token": "not-a-real-token"},
        variant="wrong token",
    ),
    Rule(
        "public:idea_status",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"partnership": w.other_partnership.slug, "token": w.idea_token},
        variant="other partnership",
    ),
    # The public calendar and registration.
    Rule("public:calendar", everyone(), p, sweep=True),
    Rule("public:calendar_feed", everyone(), p),
    Rule("public:activity_detail", everyone(), obj(lambda w: w.activity), sweep=True),
    Rule(
        "public:activity_detail",
        dict.fromkeys(ROLES, DENIED),
        obj(lambda w: w.meeting),
        variant="internal meeting",
    ),
    Rule(
        "public:activity_detail",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"partnership": w.other_partnership.slug, "pk": w.activity.pk},
        variant="other partnership",
    ),
    Rule("public:registration_sent", everyone(), obj(lambda w: w.activity), sweep=True),
    Rule(
        "public:registration_sent",
        dict.fromkeys(ROLES, DENIED),
        obj(lambda w: w.meeting),
        variant="internal meeting",
    ),
    Rule("public:activity_ics", everyone(), obj(lambda w: w.activity)),
    Rule(
        "public:activity_ics",
        dict.fromkeys(ROLES, DENIED),
        obj(lambda w: w.meeting),
        variant="internal meeting",
    ),
    Rule(
        "public:registration",
        everyone(),
        lambda w: {"partnership": w.partnership.slug, "token": w.registration_token},
        sweep=True,
    ),
    Rule(
        "public:registration",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"partnership": w.partnership.slug, "token": f"{w.registration.pk}-forged"},
        variant="wrong token",
    ),
    Rule(
        "public:registration",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"partnership": w.other_partnership.slug, "token": w.registration_token},
        variant="other partnership",
    ),
    # The knowledge bank and the news, public side.
    Rule("public:national_bank", everyone(), sweep=True),
    Rule("public:national_feed", everyone()),
    Rule("public:bank", everyone(), p, sweep=True),
    Rule("public:bank_entry", everyone(), lambda w: entry_kwargs(w, w.entry), sweep=True),
    Rule(
        "public:bank_entry",
        dict.fromkeys(ROLES, DENIED),
        lambda w: entry_kwargs(w, w.draft_entry),
        variant="draft",
    ),
    Rule(
        "public:bank_entry",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {**entry_kwargs(w, w.entry), "partnership": w.other_partnership.slug},
        variant="other partnership",
    ),
    Rule(
        "public:bank_image",
        everyone(),
        lambda w: {**entry_kwargs(w, w.entry), "pk": w.entry_image.pk},
    ),
    Rule(
        "public:bank_image",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {**entry_kwargs(w, w.draft_entry), "pk": w.draft_image.pk},
        variant="draft",
    ),
    Rule(
        "public:bank_image",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {**entry_kwargs(w, w.entry), "pk": w.draft_image.pk},
        variant="another entry's image",
    ),
    Rule("public:news", everyone(), p, sweep=True),
    Rule(
        "public:news_item",
        everyone(),
        lambda w: {"partnership": w.partnership.slug, "slug": w.news.slug},
        sweep=True,
    ),
    Rule(
        "public:news_item",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"partnership": w.partnership.slug, "slug": w.draft_news.slug},
        variant="draft",
    ),
    Rule("public:feed", everyone(), p),
    Rule("sitemap", everyone()),
    # The health check for load balancers and monitors: no login, no personal data.
    Rule("healthz", everyone()),
    # The open data API: public, read only.
    Rule("api_root", everyone()),
    Rule("api:api-root", everyone()),
    Rule("api:openapi-json", everyone()),
    Rule("api:openapi-view", everyone()),
    Rule("api:innovations", everyone()),
    Rule("api:innovations_csv", everyone()),
    Rule("api:innovation", everyone(), lambda w: {"uid": w.entry.uid}),
    Rule(
        "api:innovation",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"uid": w.draft_entry.uid},
        variant="draft",
    ),
    Rule("api:activities", everyone()),
    Rule("api:activities_csv", everyone()),
    Rule("api:partners", everyone()),
    Rule("api:partners_csv", everyone()),
    Rule("api:statistics", everyone()),
    Rule("api:partnerships", everyone()),
    # A staff user's private calendar feed: the address is the key.
    Rule("staff:private_calendar", everyone(), lambda w: {"token": feed_token(w)}),
    Rule(
        "staff:private_calendar",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"token": feed_token(w)[:-4] + "AAAA"},
        variant="wrong token",
    ),
    # The newsletter's public side.
    Rule("public:newsletter_subscribe", everyone(), p, sweep=True),
    Rule("public:newsletter_sent", everyone(), p, sweep=True),
    Rule("public:newsletter_friend", everyone(), p, sweep=True),
    Rule("public:newsletter_archive", everyone(), p, sweep=True),
    Rule(
        "public:newsletter_issue",
        everyone(),
        lambda w: {"partnership": w.partnership.slug, "year": 2018, "number": 1},
        sweep=True,
    ),
    Rule(
        "public:newsletter_issue",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"partnership": w.partnership.slug, "year": 2018, "number": 2},
        variant="draft",
    ),
    Rule(
        "public:newsletter_confirm",
        everyone(),
        lambda w: {"partnership": w.partnership.slug, "token": subscriber_link(w, "confirm")},
        sweep=True,
    ),
    Rule(
        "public:newsletter_confirm",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"partnership": w.partnership.slug, "token": subscriber_link(w, "subscription")},
        variant="a link for another purpose",
    ),
    Rule(
        "public:newsletter_subscription",
        everyone(),
        lambda w: {"partnership": w.partnership.slug, "token": subscriber_link(w, "subscription")},
        sweep=True,
    ),
    Rule(
        "public:newsletter_subscription",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {
            "partnership": w.other_partnership.slug,
            "token": subscriber_link(w, "subscription"),
        },
        variant="other partnership",
    ),
    Rule(
        "public:newsletter_subscription",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"partnership": w.partnership.slug, "token": f"{w.subscriber.pk}-forged"},
        variant="wrong token",
    ),
    Rule(
        "public:newsletter_subscription_data",
        everyone(),
        lambda w: {"partnership": w.partnership.slug, "token": subscriber_link(w, "subscription")},
    ),
    Rule("newsletter_unsubscribe", everyone(), lambda w: {"token": unsubscribe_link(w)}),
    Rule(
        "newsletter_unsubscribe",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"token": f"{w.delivery.pk}-forged"},
        variant="wrong token",
    ),
    Rule("newsletter_image", everyone(), lambda w: {"token": image_link(w)}),
    Rule(
        "newsletter_image",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"token": f"{w.section.pk}-forged"},
        variant="wrong token",
    ),
    Rule("set_language", everyone(), method="POST", data={"language": "en", "next": "/"}),
    # Django's admin: superusers only, behind its own login.
    Rule("admin:index", dict.fromkeys(ROLES, ADMIN)),
    # The way into the back office.
    Rule("staff:login", everyone(), sweep=True),
    # Logging out ends on the login page, whoever asks.
    Rule("staff:logout", dict.fromkeys(ROLES, LOGIN), method="POST"),
    # The second factor: a login already verified passes on to where it was going.
    Rule("staff:login_code", members(*ALL_STAFF, OTHER)),
    Rule("staff:login_enrol", members(*ALL_STAFF, OTHER)),
    Rule("staff:login_security", members(*ALL_STAFF, OTHER), sweep=True),
    Rule(
        "staff:login_security",
        members(*ALL_STAFF, OTHER),
        method="POST",
        variant="new recovery codes",
    ),
    Rule("staff:password_set", everyone(), lambda w: {"uidb64": "MQ", "token": "x-y"}),
    Rule("staff:password_set_done", everyone()),
    Rule("staff:home", members(*ALL_STAFF, OTHER)),
    # The back office of one partnership.
    Rule("staff:dashboard", members(*ALL_STAFF), p, sweep=True),
    Rule("staff:partner_list", members(*ALL_STAFF), p, sweep=True),
    Rule("staff:partner_export", members(*ALL_STAFF), p),
    Rule("staff:partner_create", members(COORDINATOR), p, sweep=True),
    Rule(
        "staff:partner_detail",
        members(*ALL_STAFF),
        obj(lambda w: w.other_org),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:partner_edit",
        members(COORDINATOR, CONTACT),
        obj(lambda w: w.own_org),
        variant="own",
        sweep=True,
        foreign=True,
    ),
    Rule("staff:partner_edit", members(COORDINATOR), obj(lambda w: w.other_org), variant="other"),
    Rule(
        "staff:partner_join",
        members(COORDINATOR),
        obj(lambda w: w.other_org),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:partner_make_coordinator",
        members(COORDINATOR),
        obj(lambda w: w.other_org),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:partner_leave",
        members(COORDINATOR),
        obj(lambda w: w.other_org),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:seat_add",
        members(COORDINATOR),
        obj(lambda w: w.other_org),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:seat_end", members(COORDINATOR), obj(lambda w: w.seat), method="POST", foreign=True
    ),
    Rule(
        "staff:contact_add",
        members(COORDINATOR, CONTACT),
        obj(lambda w: w.own_org),
        variant="own",
        sweep=True,
        foreign=True,
    ),
    Rule("staff:contact_add", members(COORDINATOR), obj(lambda w: w.other_org), variant="other"),
    Rule(
        "staff:contact_edit",
        members(COORDINATOR, CONTACT),
        obj(lambda w: w.own_contact),
        variant="own",
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:contact_edit", members(COORDINATOR), obj(lambda w: w.other_contact), variant="other"
    ),
    Rule(
        "staff:contact_delete",
        members(COORDINATOR, CONTACT),
        obj(lambda w: w.own_contact),
        variant="own",
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:contact_delete",
        members(COORDINATOR),
        obj(lambda w: w.other_contact),
        variant="other",
        method="POST",
    ),
    Rule("staff:agreement_list", members(*ALL_STAFF), p, sweep=True),
    Rule(
        "staff:agreement_draft",
        members(COORDINATOR),
        obj(lambda w: w.other_org),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:agreement_detail",
        members(*ALL_STAFF),
        obj(lambda w: w.own_agreement),
        variant="own",
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:agreement_detail",
        members(*READERS),
        obj(lambda w: w.other_agreement),
        variant="other",
    ),
    Rule(
        "staff:agreement_edit",
        members(COORDINATOR),
        obj(lambda w: w.other_agreement),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:agreement_sign",
        members(COORDINATOR),
        obj(lambda w: w.other_agreement),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:agreement_end",
        members(COORDINATOR),
        obj(lambda w: w.other_agreement),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:agreement_docx",
        members(*ALL_STAFF),
        obj(lambda w: w.own_agreement),
        variant="own",
        foreign=True,
    ),
    Rule(
        "staff:agreement_docx", members(*READERS), obj(lambda w: w.other_agreement), variant="other"
    ),
    Rule(
        "staff:agreement_pdf",
        members(*ALL_STAFF),
        obj(lambda w: w.own_agreement),
        variant="own",
        foreign=True,
    ),
    Rule(
        "staff:agreement_pdf", members(*READERS), obj(lambda w: w.other_agreement), variant="other"
    ),
    Rule("staff:people", members(COORDINATOR), p, sweep=True),
    Rule("staff:person_invite", members(COORDINATOR), p, sweep=True),
    Rule(
        "staff:invitation_resend",
        members(COORDINATOR),
        obj(lambda w: w.contact_role),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:role_revoke",
        members(COORDINATOR),
        obj(lambda w: w.contact_role),
        method="POST",
        foreign=True,
    ),
    Rule("staff:audit_log", members(COORDINATOR), p, sweep=True),
    Rule("staff:partnership_settings", members(COORDINATOR), p, sweep=True),
    # Ideas: staff see them all; a partner contact the ones referred to or channelled by their
    # organisation.
    Rule("staff:challenges", members(COORDINATOR), p, sweep=True),
    Rule(
        "staff:challenge_remove",
        members(COORDINATOR),
        obj(lambda w: w.regional_challenge),
        method="POST",
        foreign=True,
    ),
    Rule("staff:idea_list", members(*ALL_STAFF), p, sweep=True),
    Rule("staff:idea_inbox", members(COORDINATOR, ADVISOR), p, sweep=True),
    Rule("staff:idea_register", members(COORDINATOR, ADVISOR), p, sweep=True),
    Rule("staff:idea_channel", members(COORDINATOR, ADVISOR, CONTACT), p, sweep=True),
    Rule(
        "staff:idea_detail",
        members(COORDINATOR, ADVISOR, NATIONAL, CONTACT),
        obj(lambda w: w.referred_idea),
        variant="referred to the contact's organisation",
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:idea_detail",
        members(COORDINATOR, ADVISOR, NATIONAL),
        obj(lambda w: w.idea),
        variant="not referred",
    ),
    Rule(
        "staff:idea_document",
        members(COORDINATOR, ADVISOR, CONTACT),
        obj(lambda w: w.referred_idea),
        variant="referred",
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:idea_document",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.idea),
        variant="not referred",
    ),
    Rule(
        "staff:idea_move",
        members(COORDINATOR, ADVISOR),
        lambda w: {"partnership": w.partnership.slug, "pk": w.idea.pk, "move": "take"},
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:idea_escalate",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.idea),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:idea_outcome",
        members(COORDINATOR, ADVISOR, CONTACT),
        obj(lambda w: w.referred_idea),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:idea_link",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.idea),
        method="POST",
        data=lambda w: {"other": w.referred_idea.pk},
        foreign=True,
    ),
    Rule(
        "staff:idea_merge",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.idea),
        method="POST",
        data=lambda w: {"other": w.referred_idea.pk},
        foreign=True,
    ),
    Rule(
        "staff:idea_unmerge",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.idea),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:idea_attachment_add",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.idea),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:idea_attachment",
        members(COORDINATOR, ADVISOR),
        lambda w: {
            "partnership": w.partnership.slug,
            "pk": w.idea.pk,
            "attachment": w.attachment.pk,
        },
        foreign=True,
    ),
    Rule(
        "staff:idea_status_link",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.idea),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:idea_contact_add",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.idea),
        method="POST",
        foreign=True,
    ),
    # Activities.
    Rule("staff:activity_list", members(*ALL_STAFF), p, sweep=True),
    Rule("staff:activity_create", members(COORDINATOR), p, sweep=True),
    Rule("staff:series_create", members(COORDINATOR), p, sweep=True),
    Rule("staff:action_list", members(*READERS), p, sweep=True),
    Rule("staff:activity_spread", members(*READERS), p, sweep=True),
    Rule("staff:calendar_settings", members(*ALL_STAFF), p, sweep=True),
    Rule(
        "staff:activity_detail",
        members(*ALL_STAFF),
        obj(lambda w: w.activity),
        sweep=True,
        foreign=True,
    ),
    # An internal meeting the partner contact's organisation is not part of.
    Rule(
        "staff:activity_detail",
        members(*READERS),
        obj(lambda w: w.meeting),
        variant="internal meeting",
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:activity_edit",
        members(COORDINATOR),
        obj(lambda w: w.activity),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:activity_cancel",
        members(COORDINATOR),
        obj(lambda w: w.activity),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:activity_minutes",
        members(COORDINATOR),
        obj(lambda w: w.meeting),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:meeting_item_add",
        members(COORDINATOR),
        obj(lambda w: w.meeting),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:meeting_item_done",
        members(COORDINATOR),
        obj(lambda w: w.meeting_item),
        method="POST",
        foreign=True,
    ),
    Rule("staff:activity_ics", members(*ALL_STAFF), obj(lambda w: w.activity), foreign=True),
    Rule(
        "staff:activity_ics",
        members(*READERS),
        obj(lambda w: w.meeting),
        variant="internal meeting",
    ),
    Rule(
        "staff:registration_list",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.activity),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:registration_export",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.activity),
        foreign=True,
    ),
    Rule(
        "staff:registration_attendance",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.activity),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:registration_cancel",
        members(COORDINATOR, ADVISOR),
        lambda w: {
            "partnership": w.partnership.slug,
            "pk": w.activity.pk,
            "registration": w.registration.pk,
        },
        method="POST",
        foreign=True,
    ),
    # The knowledge bank's back office.
    Rule("staff:bank_entries", members(COORDINATOR, ADVISOR, NATIONAL), p, sweep=True),
    Rule("staff:bank_entry_create", members(COORDINATOR, ADVISOR), p, sweep=True),
    Rule(
        "staff:bank_entry",
        members(COORDINATOR, ADVISOR, NATIONAL),
        obj(lambda w: w.draft_entry),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:bank_entry",
        members(COORDINATOR, ADVISOR, NATIONAL),
        obj(lambda w: w.entry),
        variant="published",
        sweep=True,
    ),
    Rule(
        "staff:bank_entry_move",
        members(COORDINATOR, ADVISOR, NATIONAL),
        obj(lambda w: w.draft_entry),
        method="POST",
        data={"move": "submit"},
        foreign=True,
    ),
    Rule(
        "staff:bank_entry_consent",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.draft_entry),
        method="POST",
        data={"note": "Per e-post"},
        foreign=True,
    ),
    Rule(
        "staff:bank_image_add",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.draft_entry),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:bank_link_add",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.draft_entry),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:bank_image_file",
        members(COORDINATOR, ADVISOR, NATIONAL),
        obj(lambda w: w.draft_image),
        foreign=True,
    ),
    Rule(
        "staff:bank_image_remove",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.draft_image),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:bank_link_remove",
        members(COORDINATOR, ADVISOR),
        obj(lambda w: w.draft_link),
        method="POST",
        foreign=True,
    ),
    Rule("staff:news_list", members(COORDINATOR), p, sweep=True),
    Rule("staff:news_create", members(COORDINATOR), p, sweep=True),
    Rule(
        "staff:news_edit",
        members(COORDINATOR),
        obj(lambda w: w.draft_news),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:news_publish",
        members(COORDINATOR),
        obj(lambda w: w.draft_news),
        method="POST",
        foreign=True,
    ),
    # The newsletter's back office.
    Rule("staff:newsletter_issues", members(COORDINATOR, NATIONAL), p, sweep=True),
    Rule("staff:newsletter_issue_create", members(COORDINATOR), p, sweep=True),
    Rule("staff:newsletter_subscribers", members(COORDINATOR), p, sweep=True),
    Rule("staff:newsletter_import", members(COORDINATOR), p, sweep=True),
    Rule(
        "staff:newsletter_issue",
        members(COORDINATOR, NATIONAL),
        obj(lambda w: w.draft_issue),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:newsletter_issue",
        members(COORDINATOR, NATIONAL),
        obj(lambda w: w.sent_issue),
        variant="sent",
        sweep=True,
    ),
    Rule(
        "staff:newsletter_preview",
        members(COORDINATOR, NATIONAL),
        obj(lambda w: w.draft_issue),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:newsletter_progress",
        members(COORDINATOR, NATIONAL),
        obj(lambda w: w.sent_issue),
        foreign=True,
    ),
    Rule(
        "staff:newsletter_section_add",
        members(COORDINATOR),
        obj(lambda w: w.draft_issue),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:newsletter_section_remove",
        members(COORDINATOR),
        obj(lambda w: w.section),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:newsletter_pull_items",
        members(COORDINATOR),
        obj(lambda w: w.draft_issue),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:newsletter_test_mail",
        members(COORDINATOR),
        obj(lambda w: w.draft_issue),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:newsletter_send",
        members(COORDINATOR),
        obj(lambda w: w.draft_issue),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:newsletter_subscriber_release",
        members(COORDINATOR),
        obj(lambda w: w.subscriber),
        method="POST",
        foreign=True,
    ),
    # Statistics, yearly reports and the key figures of the social economy.
    Rule("staff:statistics", members(COORDINATOR, ADVISOR, NATIONAL), p, sweep=True),
    Rule(
        "staff:statistics_chart",
        members(COORDINATOR, ADVISOR, NATIONAL),
        lambda w: {"partnership": w.partnership.slug, "key": "challenges"},
    ),
    Rule(
        "staff:statistics_chart",
        members(COORDINATOR, ADVISOR, NATIONAL),
        lambda w: {"partnership": w.partnership.slug, "key": "map"},
        variant="map",
    ),
    Rule(
        "staff:statistics_download",
        members(COORDINATOR, ADVISOR, NATIONAL),
        lambda w: {"partnership": w.partnership.slug, "key": "funnel", "fmt": "csv"},
    ),
    Rule(
        "staff:statistics_download",
        members(COORDINATOR, ADVISOR, NATIONAL),
        lambda w: {"partnership": w.partnership.slug, "key": "all", "fmt": "xlsx"},
        variant="every table",
    ),
    Rule("staff:report_list", members(COORDINATOR, ADVISOR, NATIONAL), p, sweep=True),
    Rule(
        "staff:report_list",
        members(COORDINATOR),
        p,
        method="POST",
        variant="start a report",
        data={"year": "2015"},
    ),
    Rule(
        "staff:report",
        members(COORDINATOR, ADVISOR, NATIONAL),
        lambda w: {"partnership": w.partnership.slug, "year": w.report.year},
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:report",
        members(COORDINATOR, ADVISOR, NATIONAL),
        lambda w: {"partnership": w.partnership.slug, "year": w.published_report.year},
        variant="published",
        sweep=True,
    ),
    Rule(
        "staff:report_edit",
        members(COORDINATOR),
        lambda w: {"partnership": w.partnership.slug, "year": w.report.year},
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:report_move",
        members(COORDINATOR),
        lambda w: {"partnership": w.partnership.slug, "year": w.report.year},
        method="POST",
        data={"move": "publish"},
        foreign=True,
    ),
    Rule(
        "staff:report_chart",
        members(COORDINATOR, ADVISOR, NATIONAL),
        lambda w: {"partnership": w.partnership.slug, "year": w.report.year, "key": "map"},
        foreign=True,
    ),
    Rule(
        "staff:report_download",
        members(COORDINATOR, ADVISOR, NATIONAL),
        lambda w: {"partnership": w.partnership.slug, "year": w.report.year, "fmt": "html"},
        foreign=True,
    ),
    Rule("staff:economy", members(COORDINATOR, ADVISOR, NATIONAL), p, sweep=True),
    Rule(
        "staff:economy",
        members(COORDINATOR),
        p,
        method="POST",
        variant="enter a figure",
        data={"year": "2016", "measure": "cooperatives", "value": "12", "source": "SCB"},
    ),
    Rule(
        "staff:economy_edit",
        members(COORDINATOR),
        obj(lambda w: w.key_figure),
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:economy_delete",
        members(COORDINATOR),
        obj(lambda w: w.key_figure),
        method="POST",
        foreign=True,
    ),
    Rule(
        "staff:economy_download",
        members(COORDINATOR, ADVISOR, NATIONAL),
        lambda w: {"partnership": w.partnership.slug, "fmt": "xlsx"},
    ),
    Rule(
        "staff:economy_chart",
        members(COORDINATOR, ADVISOR, NATIONAL),
        lambda w: {"partnership": w.partnership.slug, "measure": "volunteer_hours"},
    ),
    # Swept as the national coordinator in soin/reports/tests/test_accessibility.py.
    Rule("staff:national_statistics", members(NATIONAL)),
    Rule("staff:national_chart", members(NATIONAL), lambda w: {"key": "partnerships"}),
    Rule(
        "staff:national_chart",
        members(NATIONAL),
        lambda w: {"key": "map"},
        variant="map",
    ),
    Rule(
        "staff:national_download",
        members(NATIONAL),
        lambda w: {"key": "partnerships", "fmt": "csv"},
    ),
    # The exchange sources: installation-wide choices, the national coordinator's.
    Rule("staff:national_exchange", members(NATIONAL)),
    Rule(
        "staff:national_exchange_source",
        members(NATIONAL),
        lambda w: {"pk": exchange_source(w).pk},
    ),
    Rule(
        "staff:national_exchange_source",
        members(NATIONAL),
        lambda w: {"pk": exchange_source(w).pk},
        method="POST",
        variant="publish directly",
        data={"publish": "directly", "relay": "no"},
    ),
    Rule("public:economy", everyone(), p, sweep=True),
    Rule(
        "public:economy_chart",
        everyone(),
        lambda w: {"partnership": w.partnership.slug, "measure": "volunteer_hours"},
    ),
    Rule("public:reports", everyone(), p, sweep=True),
    Rule(
        "public:report",
        everyone(),
        lambda w: {"partnership": w.partnership.slug, "year": w.published_report.year},
        sweep=True,
    ),
    Rule(
        "public:report",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"partnership": w.partnership.slug, "year": w.report.year},
        variant="a draft",
    ),
    Rule(
        "public:report_chart",
        everyone(),
        lambda w: {
            "partnership": w.partnership.slug,
            "year": w.published_report.year,
            "key": "challenges",
        },
    ),
    Rule(
        "public:report_download",
        everyone(),
        lambda w: {
            "partnership": w.partnership.slug,
            "year": w.published_report.year,
            "fmt": "docx",
        },
    ),
    Rule(
        "public:report_download",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"partnership": w.partnership.slug, "year": w.report.year, "fmt": "pdf"},
        variant="a draft",
    ),
]


def entry_kwargs(w: World, entry: Any) -> dict[str, Any]:
    return {"partnership": w.partnership.slug, "slug": entry.slug}


def subscriber_link(w: World, purpose: str) -> str:
    from soin.newsletter.services import subscriber_token

    subscriber = w.pending_subscriber if purpose == "confirm" else w.subscriber
    return subscriber_token(subscriber, purpose)


def unsubscribe_link(w: World) -> str:
    from soin.newsletter.services import unsubscribe_token

    return unsubscribe_token(w.delivery)


def image_link(w: World) -> str:
    from soin.newsletter.rendering import image_token

    return image_token(w.section)


def exchange_source(w: World) -> Any:
    """Another installation read once (what ``import_open_data`` records)."""
    from soin.knowledge.services import exchange_source_get

    return exchange_source_get(origin="https://kunskap.example.org")


def feed_token(w: World) -> str:
    from soin.activities.services import calendar_feed_get_or_create, calendar_token

    return calendar_token(calendar_feed_get_or_create(user=w.users[COORDINATOR]))


def foreign_variant(rule: Rule) -> Rule:
    """The same record asked for under the other partnership's address: the other
    partnership's coordinator passes the partnership check but must not find the record."""

    def kwargs(w: World) -> dict[str, Any]:
        return {**rule.kwargs(w), "partnership": w.other_partnership.slug}

    expect = {role: (LOGIN if role == ANON else DENIED) for role in ROLES}
    return Rule(
        rule.name,
        expect,
        kwargs,
        method=rule.method,
        variant=f"{rule.variant or 'record'} via other partnership",
        data=rule.data,
    )


def app_rules() -> list[Rule]:
    """The rules the later apps keep beside their own tests."""
    from soin.core.testing import EXTENSIONS

    return [r for app in EXTENSIONS for r in import_module(f"{app}.tests.access_rules").RULES]


RULES += app_rules()
ALL_RULES = RULES + [foreign_variant(r) for r in RULES if r.foreign]
