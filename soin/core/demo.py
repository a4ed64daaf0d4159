"""The demo installation: one partnership, its year 2017, and invented people to log in as.

Each domain app that has demo data offers ``<app>.demo.seed(*, partnership, actor)``; this module
creates the partnership and the demo users and calls them in order.
"""

from __future__ import annotations

from typing import Any

from soin.accounts.models import Role, User
from soin.core import aggregates
from soin.regions.models import Partnership, Region

DEMO_PASSWORD = "demo-soin-2017"

ABOUT_SV = (
    "Syftet med Partnerskapet för sociala innovationer är att stötta idéer som kan utvecklas "
    "till sociala innovationer. Partnerskapet har ett särskilt fokus på social ekonomi och "
    "civilsamhälle, men idéer från både offentlig och privat verksamhet är också välkomna.\n\n"
    "Partnerskapet ska vara verksamt i hela länet, varför de olika aktiviteterna placeras på "
    "olika orter och platser. Partnerskapet finansieras genom den arbetstid som respektive part "
    "lägger i verksamheten."
)
ABOUT_EN = (
    "The Partnership for Social Innovation supports ideas that can be developed into social "
    "innovations. It has a particular focus on the social economy and civil society, but ideas "
    "from the public and private sectors are welcome too.\n\n"
    "The partnership works across the whole county, so its activities are held in different "
    "towns and places. It is financed by the working time each partner puts into it."
)

# (e-mail, name, role, organisation name for a partner contact). Invented people.
DEMO_USERS: list[tuple[str, str, str, str | None]] = [
    ("samordnare@example.org", "Elin Berggren", Role.Kind.COORDINATOR, None),
    ("radgivare@example.org", "Jonas Ekholm", Role.Kind.ADVISOR, None),
    ("kontakt@example.org", "Sara Holmqvist", Role.Kind.PARTNER_CONTACT, "Hällefors kommun"),
    ("nationell@example.org", "Nils Åberg", Role.Kind.NATIONAL_COORDINATOR, None),
]


def ensure_partnership() -> Partnership:
    from soin.regions.services import partnership_create

    existing = Partnership.objects.filter(slug="orebro").first()
    if existing:
        return existing
    return partnership_create(
        actor=None,
        slug="orebro",
        name_sv="Partnerskapet för sociala innovationer i Örebro län",
        name_en="The Partnership for Social Innovation in Örebro County",
        region=Region.objects.get(code="18"),
        about_sv=ABOUT_SV,
        about_en=ABOUT_EN,
        contact_email="partnerskapet@example.org",
    )


def ensure_users(partnership: Partnership) -> None:
    for email, name, kind, org_name in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
        organisation = partnership.organisations.get(name=org_name) if org_name else None
        scope = None if kind == Role.Kind.NATIONAL_COORDINATOR else partnership
        Role.objects.get_or_create(
            user=user, kind=kind, partnership=scope, organisation=organisation
        )


def seed_all() -> dict[str, Any]:
    from soin.activities import demo as activities_demo
    from soin.funding import demo as funding_demo
    from soin.grants import demo as grants_demo
    from soin.ideas import demo as ideas_demo
    from soin.impact import demo as impact_demo
    from soin.knowledge import demo as knowledge_demo
    from soin.newsletter import demo as newsletter_demo
    from soin.partners import demo as partners_demo
    from soin.plans import demo as plans_demo
    from soin.reports import demo as reports_demo

    partnership = ensure_partnership()
    report: dict[str, Any] = {"partnership": partnership.slug}
    report.update(partners_demo.seed(partnership=partnership))
    ensure_users(partnership)
    coordinator = User.objects.get(email=DEMO_USERS[0][0])
    report.update(activities_demo.seed(partnership=partnership, actor=coordinator))
    report.update(ideas_demo.seed(partnership=partnership, actor=coordinator))
    report.update(newsletter_demo.seed(partnership=partnership, actor=coordinator))
    report.update(knowledge_demo.seed(partnership=partnership, actor=coordinator))
    report.update(funding_demo.seed(partnership=partnership, actor=coordinator))
    report.update(plans_demo.seed(partnership=partnership, actor=coordinator))
    report.update(grants_demo.seed(partnership=partnership, actor=coordinator))
    report.update(impact_demo.seed(partnership=partnership, actor=coordinator))
    report.update(reports_demo.seed(partnership=partnership, actor=coordinator))
    report["users"] = User.objects.filter(email__in=[u[0] for u in DEMO_USERS]).count()
    # Some demo rows go in in bulk, without signals: every cached figure is counted again.
    aggregates.stamps_bump_all()
    return report


def logins_text() -> str:
    lines = ["", f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    for email, name, kind, org in DEMO_USERS:
        label = Role.Kind(kind).label
        lines.append(f"  {email:28} {name:16} {label}{' – ' + org if org else ''}")
    lines.append(
        "Back office: http://127.0.0.1:8000/staff/   Public site: http://127.0.0.1:8000/sv/orebro/"
    )
    lines.append(
        "The first login sets up an authenticator app (any TOTP app; the key is also shown as "
        "text) and gives recovery codes."
    )
    return "\n".join(lines)
