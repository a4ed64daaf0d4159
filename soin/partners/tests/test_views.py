"""The partner pages as people use them: through HTTP, with forms."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from soin.audit.models import AuditEntry
from soin.core.testing import COORDINATOR, login, make_organisation
from soin.partners.models import Agreement, Organisation
from soin.regions.models import Municipality


@pytest.fixture
def coordinator(world) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users[COORDINATOR])
    return client


def test_a_coordinator_adds_a_partner_through_the_form(world, coordinator) -> None:
    url = reverse("staff:partner_create", kwargs={"partnership": "orebro"})
    response = coordinator.post(
        url,
        {
            "name": "Nora Bygdegårdsförening",
            "kind": "association",
            "municipality": Municipality.objects.get(code="1884").pk,
            "website": "nora.example.org",
            "joined_on": "2018-02-01",
        },
    )
    org = Organisation.objects.get(name="Nora Bygdegårdsförening")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "staff:partner_detail", kwargs={"partnership": "orebro", "pk": org.pk}
    )
    assert org.website == "https://nora.example.org"
    assert org.memberships.get().joined_on.isoformat() == "2018-02-01"
    entry = AuditEntry.objects.get(action="organisation.create", object_pk=str(org.pk))
    assert entry.actor == world.users[COORDINATOR]


def test_bad_input_is_explained_in_swedish_and_nothing_is_written(world, coordinator) -> None:
    url = reverse("staff:partner_create", kwargs={"partnership": "orebro"})
    before = (Organisation.objects.count(), AuditEntry.objects.count())
    response = coordinator.post(
        url,
        {"name": "Hällefors kommun", "kind": "municipality", "website": "inte en adress"},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fyll i en giltig URL." in page
    response = coordinator.post(url, {"name": "Hällefors kommun", "kind": "municipality"})
    page = response.content.decode()
    assert "Det finns redan en organisation med det här namnet." in page
    assert 'role="alert"' in page
    assert (Organisation.objects.count(), AuditEntry.objects.count()) == before


def test_signing_through_the_page(world, coordinator) -> None:
    agreement = world.own_agreement
    url = reverse("staff:agreement_sign", kwargs={"partnership": "orebro", "pk": agreement.pk})
    response = coordinator.post(url, {"signed_on": "2017-02-07", "valid_from": "2017-02-07"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.SIGNED
    detail = coordinator.get(response["Location"]).content.decode()
    assert "Undertecknat" in detail
    # Signing again is refused with a message, and the date does not change.
    coordinator.post(url, {"signed_on": "2018-01-01", "valid_from": "2018-01-01"})
    agreement.refresh_from_db()
    assert agreement.signed_on.isoformat() == "2017-02-07"


def test_a_sign_form_with_dates_in_the_wrong_order_is_refused(world, coordinator) -> None:
    agreement = world.own_agreement
    url = reverse("staff:agreement_sign", kwargs={"partnership": "orebro", "pk": agreement.pk})
    response = coordinator.post(
        url,
        {"signed_on": "2017-02-07", "valid_from": "2017-02-07", "valid_until": "2016-01-01"},
        follow=True,
    )
    assert "Avtalet kan inte upphöra innan det börjar gälla." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.DRAFT


def test_a_partner_contact_edits_their_own_page_but_not_its_name(world) -> None:
    client = Client()
    login(client, world.users["partner_contact"])
    url = reverse("staff:partner_edit", kwargs={"partnership": "orebro", "pk": world.own_org.pk})
    page = client.get(url).content.decode()
    assert 'name="description_sv"' in page and 'name="name"' not in page
    client.post(url, {"description_sv": "Kommunen i Bergslagen.", "name": "Ändrat namn"})
    world.own_org.refresh_from_db()
    assert world.own_org.description_sv == "Kommunen i Bergslagen."
    assert world.own_org.name == "Hällefors kommun"


def test_the_public_partner_page_shows_only_public_contacts(world) -> None:
    from soin.partners.services import contact_create

    contact_create(
        organisation=world.own_org,
        actor=None,
        name="Hemlig Person",
        email="hemlig@example.org",
        is_public=False,
    )
    page = (
        Client()
        .get(
            reverse(
                "public:partner",
                kwargs={"partnership": "orebro", "organisation": world.own_org.slug},
            )
        )
        .content.decode()
    )
    assert "Kontakt Hällefors kommun" in page
    assert "Hemlig Person" not in page


@pytest.mark.parametrize("count", [10, 60])
def test_the_staff_list_costs_the_same_queries_at_any_size(  # type: ignore[no-untyped-def]
    world, coordinator, count, django_assert_max_num_queries
) -> None:
    for i in range(count):
        make_organisation(world.partnership, f"Förening {i}")
    url = reverse("staff:partner_list", kwargs={"partnership": "orebro"})
    with django_assert_max_num_queries(8):
        response = coordinator.get(url)
    assert response.content.decode().count("Förening ") == count


@pytest.mark.parametrize("count", [10, 60])
def test_the_public_partners_page_costs_the_same_queries_at_any_size(  # type: ignore[no-untyped-def]
    world, count, django_assert_max_num_queries
) -> None:
    for i in range(count):
        make_organisation(world.partnership, f"Förening {i}")
    with django_assert_max_num_queries(4):
        Client().get(reverse("public:partners", kwargs={"partnership": "orebro"}))


def test_the_list_downloads_as_excel_and_csv_with_its_filters(world, coordinator) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    url = reverse("staff:partner_export", kwargs={"partnership": "orebro"})
    response = coordinator.get(url, {"format": "xlsx", "kind": "municipality"})
    assert response["Content-Disposition"] == 'attachment; filename="partners-orebro.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Namn", "Typ", "Typ av aktör")
    assert rows[1:] == [
        ("Hällefors kommun", "Kommun", "Offentliga aktörer", None, None, None, "Ja", "Nej")
    ]
    csv_text = coordinator.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("Namn;Typ;")
    assert len(lines) == 1 + 3  # the coordinator, the contact's and the other organisation


def test_private_contacts_stay_with_staff_and_their_own_organisation(world) -> None:  # type: ignore[no-untyped-def]
    from soin.partners.services import contact_create

    contact_create(
        organisation=world.other_org,
        actor=None,
        name="Privat Person",
        phone="070-174 06 50",
        is_public=False,
    )
    contact_create(organisation=world.own_org, actor=None, name="Egen Privat", is_public=False)
    other = reverse(
        "staff:partner_detail", kwargs={"partnership": "orebro", "pk": world.other_org.pk}
    )
    own = reverse("staff:partner_detail", kwargs={"partnership": "orebro", "pk": world.own_org.pk})
    partner_contact = Client()
    login(partner_contact, world.users["partner_contact"])
    page = partner_contact.get(other).content.decode()
    assert "Kontakt Coompanion" in page and "Privat Person" not in page
    assert "070-174 06 50" not in page
    assert "Egen Privat" in partner_contact.get(own).content.decode()
    # Nor may a partner contact learn which other partners have signed agreements.
    listing = partner_contact.get(reverse("staff:partner_list", kwargs={"partnership": "orebro"}))
    assert "Undertecknat avtal" not in listing.content.decode()
    for role in ("advisor", "coordinator", "national_coordinator"):
        client = Client()
        login(client, world.users[role])
        assert "Privat Person" in client.get(other).content.decode(), role


def test_a_fields_error_is_tied_to_the_field_for_screen_readers(world, coordinator) -> None:  # type: ignore[no-untyped-def]
    url = reverse("staff:contact_add", kwargs={"partnership": "orebro", "pk": world.own_org.pk})
    page = coordinator.post(url, {"name": "", "email": "inte-en-adress"}).content.decode()
    for field in ("name", "email"):
        assert f'id="id_{field}_error"' in page
        assert re.search(rf'<input[^>]*aria-describedby="[^"]*id_{field}_error', page), field
        assert re.search(rf'<input[^>]*name="{field}"[^>]*aria-invalid="true"', page), field
