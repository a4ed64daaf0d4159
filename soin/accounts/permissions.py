"""Who may do what, declared once.

Roles are held per partnership (coordinator, advisor, partner contact) or nationally (national
coordinator). Each permission names the roles that hold it; permissions ending in ``_own`` only
reach the organisation a partner contact is scoped to. Views, the API and services all ask
``has_perm``; protected records are fetched through the ``<entity>_get_for`` selectors, which ask it
too and raise 404 for records outside the user's reach.
"""

from __future__ import annotations

from typing import Any

from soin.accounts.models import Role

K = Role.Kind

# The permission table: permission -> roles that hold it within a partnership.
PERMISSIONS: dict[str, frozenset[str]] = {
    # The back office at all: the dashboard and the staff shell.
    "staff.view": frozenset({K.COORDINATOR, K.ADVISOR, K.PARTNER_CONTACT, K.NATIONAL_COORDINATOR}),
    "partners.view": frozenset(
        {K.COORDINATOR, K.ADVISOR, K.PARTNER_CONTACT, K.NATIONAL_COORDINATOR}
    ),
    "partners.change": frozenset({K.COORDINATOR}),
    # Contact persons who have not agreed to be shown publicly; a partner contact sees those of
    # their own organisation through "partners.change_own".
    "contacts.view": frozenset({K.COORDINATOR, K.ADVISOR, K.NATIONAL_COORDINATOR}),
    # A partner contact keeps their own organisation's page and contacts.
    "partners.change_own": frozenset({K.COORDINATOR, K.PARTNER_CONTACT}),
    "agreements.view": frozenset({K.COORDINATOR, K.ADVISOR, K.NATIONAL_COORDINATOR}),
    "agreements.view_own": frozenset(
        {K.COORDINATOR, K.ADVISOR, K.PARTNER_CONTACT, K.NATIONAL_COORDINATOR}
    ),
    "agreements.change": frozenset({K.COORDINATOR}),
    "people.view": frozenset({K.COORDINATOR}),
    "people.change": frozenset({K.COORDINATOR}),
    "audit.view": frozenset({K.COORDINATOR}),
    # Ideas: registering and working them through the advisory process.
    "ideas.view": frozenset({K.COORDINATOR, K.ADVISOR, K.NATIONAL_COORDINATOR}),
    "ideas.work": frozenset({K.COORDINATOR, K.ADVISOR}),
    # A partner contact sees the ideas referred to their organisation and channels new ones.
    "ideas.view_own": frozenset(
        {K.COORDINATOR, K.ADVISOR, K.NATIONAL_COORDINATOR, K.PARTNER_CONTACT}
    ),
    "ideas.channel": frozenset({K.COORDINATOR, K.ADVISOR, K.PARTNER_CONTACT}),
    # Activities: every meeting, seminar and outreach stop, and where they took place.
    "activities.view": frozenset({K.COORDINATOR, K.ADVISOR, K.NATIONAL_COORDINATOR}),
    # A partner contact sees public activities, plenary meetings and those their organisation
    # hosts or takes part in.
    "activities.view_own": frozenset(
        {K.COORDINATOR, K.ADVISOR, K.NATIONAL_COORDINATOR, K.PARTNER_CONTACT}
    ),
    "activities.change": frozenset({K.COORDINATOR}),
    # Registrants' names, addresses and needs; attendance.
    "registrations.view": frozenset({K.COORDINATOR, K.ADVISOR}),
    "registrations.change": frozenset({K.COORDINATOR, K.ADVISOR}),
    # The newsletter: issues, sends and figures; subscribers' addresses for coordinators only.
    "newsletter.view": frozenset({K.COORDINATOR, K.NATIONAL_COORDINATOR}),
    "newsletter.change": frozenset({K.COORDINATOR}),
    "subscribers.view": frozenset({K.COORDINATOR}),
    # The knowledge bank: advisors and coordinators write entries; coordinators and the
    # national coordinator publish them (the national bank shows every partnership's).
    "bank.view": frozenset({K.COORDINATOR, K.ADVISOR, K.NATIONAL_COORDINATOR}),
    "bank.change": frozenset({K.COORDINATOR, K.ADVISOR}),
    "bank.publish": frozenset({K.COORDINATOR, K.NATIONAL_COORDINATOR}),
    # The other installations whose open data this one reads (installation-wide, their entries
    # land in several partnerships' banks): whether each one's entries are published directly
    # or wait in review, and whether it may pass on other installations' entries.
    "exchange.manage": frozenset({K.NATIONAL_COORDINATOR}),
    # News on the public site.
    "news.change": frozenset({K.COORDINATOR}),
    # Statistics and dashboards (counts, no personal data) and the yearly activity report:
    # coordinators write and publish the report.
    "statistics.view": frozenset({K.COORDINATOR, K.ADVISOR, K.NATIONAL_COORDINATOR}),
    "reports.view": frozenset({K.COORDINATOR, K.ADVISOR, K.NATIONAL_COORDINATOR}),
    "reports.change": frozenset({K.COORDINATOR}),
    "reports.publish": frozenset({K.COORDINATOR}),
    # The key figures of the social economy, entered per year and municipality.
    "economy.change": frozenset({K.COORDINATOR}),
    # Statistics across every partnership.
    "statistics.national": frozenset({K.NATIONAL_COORDINATOR}),
    # Funding calls watched, joint applications and projects: coordinators and advisors keep
    # them; partner contacts see them and tell the others about their own ongoing projects.
    "funding.view": frozenset(
        {K.COORDINATOR, K.ADVISOR, K.PARTNER_CONTACT, K.NATIONAL_COORDINATOR}
    ),
    "funding.change": frozenset({K.COORDINATOR, K.ADVISOR}),
    "projects.change_own": frozenset({K.COORDINATOR, K.ADVISOR, K.PARTNER_CONTACT}),
    # The multi-year activity plan: coordinators write it; the responsible partner's contact
    # reports on their own items.
    "plans.view": frozenset({K.COORDINATOR, K.ADVISOR, K.PARTNER_CONTACT, K.NATIONAL_COORDINATOR}),
    "plans.change": frozenset({K.COORDINATOR}),
    "plans.report_own": frozenset({K.COORDINATOR, K.ADVISOR, K.PARTNER_CONTACT}),
    # Small development grants: applications hold applicants' personal data.
    "grants.view": frozenset({K.COORDINATOR, K.ADVISOR, K.NATIONAL_COORDINATOR}),
    "grants.change": frozenset({K.COORDINATOR, K.ADVISOR}),
    "grants.decide": frozenset({K.COORDINATOR}),
    # Impact (SROI) analyses, and the national bank of indicators and financial proxies: every
    # partnership proposes proxies, the national coordinator approves them into the bank.
    "impact.view": frozenset({K.COORDINATOR, K.ADVISOR, K.NATIONAL_COORDINATOR}),
    "impact.change": frozenset({K.COORDINATOR, K.ADVISOR}),
    "proxies.propose": frozenset({K.COORDINATOR, K.ADVISOR, K.NATIONAL_COORDINATOR}),
    "proxies.approve": frozenset({K.NATIONAL_COORDINATOR}),
    # The record of processing (GDPR Art. 30).
    "privacy.view": frozenset({K.COORDINATOR, K.NATIONAL_COORDINATOR}),
    # Erasing a person on their request, and the partnership's retention times.
    "privacy.erase": frozenset({K.COORDINATOR}),
    "privacy.retention": frozenset({K.COORDINATOR}),
    # The partnership's own texts: its names, the about text, the contact address.
    "partnership.change": frozenset({K.COORDINATOR}),
}


def roles_in(user: Any, partnership: Any) -> list[Role]:
    """Return the user's roles that reach ``partnership``: its own and any national role."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = getattr(user, "_soin_roles", None)
    if cache is None:
        cache = list(Role.objects.filter(user=user).select_related("organisation"))
        user._soin_roles = cache
    return [
        r
        for r in cache
        if r.partnership_id is None
        or (partnership is not None and r.partnership_id == partnership.pk)
    ]


def has_perm(user: Any, perm: str, partnership: Any, organisation: Any = None) -> bool:
    """Return whether ``user`` holds ``perm`` in ``partnership``.

    For an ``_own`` permission pass the ``organisation`` acted on: a partner contact holds it only
    for the organisation their role names. Other permissions ignore ``organisation``.
    """
    if perm not in PERMISSIONS:
        raise KeyError(f"Unknown permission {perm!r}")
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    allowed = PERMISSIONS[perm]
    for role in roles_in(user, partnership):
        if role.kind not in allowed:
            continue
        # A partner contact's ``_own`` permissions reach only their own organisation. Asked
        # without an organisation (may they open this kind of page at all?) the answer is yes;
        # the record's own check follows when it is fetched.
        if (
            role.kind == K.PARTNER_CONTACT
            and perm.endswith("_own")
            and organisation is not None
            and role.organisation_id != organisation.pk
        ):
            continue
        return True
    return False


def partnerships_for(user: Any) -> Any:
    """Return the partnerships whose back office the user may enter."""
    from soin.regions.models import Partnership

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Partnership.objects.none()
    if user.is_superuser or Role.objects.filter(user=user, partnership__isnull=True).exists():
        return Partnership.objects.all()
    return Partnership.objects.filter(roles__user=user).distinct()
