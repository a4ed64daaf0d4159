"""The coordinator's pages: erasing a person with a confirm step, and the retention times."""

from __future__ import annotations

import pytest

from soin.core.testing import COORDINATOR, login
from soin.ideas.models import Idea
from soin.retention.models import ErasureRecord, RetentionPolicy
from soin.retention.tests.people import ADDRESS, NAME, make_person

pytestmark = pytest.mark.django_db


def test_the_confirm_step_shows_counts_not_data_and_erases_nothing(client, world) -> None:  # type: ignore[no-untyped-def]
    person = make_person(world)
    login(client, world.users[COORDINATOR])
    url = f"/staff/{world.partnership.slug}/privacy/erase/"

    page = client.post(url, {"step": "preview", "email": ADDRESS})

    assert page.status_code == 200
    text = page.content.decode()
    assert '<td class="number">1</td>' in text
    assert NAME not in text and "Matkafé" not in text
    assert Idea.objects.get(pk=person.idea.pk).carrier_name == NAME
    assert not ErasureRecord.objects.exists()

    done = client.post(url, {"step": "erase", "email": ADDRESS}, follow=True)

    assert done.redirect_chain[-1][0] == url
    assert Idea.objects.get(pk=person.idea.pk).carrier_name == ""
    record = ErasureRecord.objects.get()
    assert record.via == "staff" and record.actor == world.users[COORDINATOR]


def test_a_refusal_is_explained_on_the_form(client, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.users[COORDINATOR])
    page = client.post(
        f"/staff/{world.partnership.slug}/privacy/erase/",
        {"step": "preview", "email": "annan@example.org"},
    )
    assert page.status_code == 200
    assert "error-summary" in page.content.decode()
    assert not ErasureRecord.objects.exists()


def test_the_retention_times_are_changed_and_validated(client, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.users[COORDINATOR])
    url = f"/staff/{world.partnership.slug}/privacy/retention/"
    page = client.get(url)
    assert page.status_code == 200 and 'value="36"' in page.content.decode()

    for wrong in ("0", "241", "1.5", "tolv"):
        page = client.post(
            url, {"idea_months": wrong, "registration_months": "12", "subscriber_months": "1"}
        )
        assert page.status_code == 200 and "error-summary" in page.content.decode()
    assert RetentionPolicy.objects.get(partnership=world.partnership).idea_months == 36

    client.post(url, {"idea_months": "60", "registration_months": "6", "subscriber_months": "2"})
    policy = RetentionPolicy.objects.get(partnership=world.partnership)
    assert (policy.idea_months, policy.registration_months, policy.subscriber_months) == (60, 6, 2)
    assert not RetentionPolicy.objects.filter(partnership=world.other_partnership).exists()
