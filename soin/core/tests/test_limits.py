"""Limits count a visitor across the whole installation (an IPv6 visitor by its /64 network),
and mails that anyone can make the site send are capped per canonical address, in whatever
partnership and by whoever asked. Each new partnership must not multiply a limit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from soin.core.testing import post_form
from soin.privacy.services import PER_ADDRESS_PER_HOUR, data_request_submit

pytestmark = pytest.mark.django_db


def sign_up(slug: str, email: str, address: str) -> int:
    url = reverse("public:newsletter_subscribe", kwargs={"partnership": slug})
    data = {"email": email, "name": "", "language": "sv", "consent": "on"}
    return post_form(Client(REMOTE_ADDR=address), url, data).status_code


def test_a_visitor_is_limited_across_partnerships(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOIN_RATE_LIMITS = {"newsletter": 2}
    here, there = world.partnership.slug, world.other_partnership.slug
    assert sign_up(here, "a@example.org", "198.51.100.7") == 302
    assert sign_up(here, "b@example.org", "198.51.100.7") == 302
    # The third, in another partnership, is still the same visitor's third within the hour.
    assert sign_up(there, "c@example.org", "198.51.100.7") == 429
    assert sign_up(there, "c@example.org", "198.51.100.8") == 302


def test_an_ipv6_visitor_is_counted_by_its_64_network(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SOIN_RATE_LIMITS = {"newsletter": 2}
    slug = world.partnership.slug
    assert sign_up(slug, "a@example.org", "2001:db8:1:2::1") == 302
    assert sign_up(slug, "b@example.org", "2001:db8:1:2:ffff:ffff:ffff:fffe") == 302
    # Another address of the same /64 is the same visitor.
    assert sign_up(slug, "c@example.org", "2001:db8:1:2:abcd::9") == 429
    # The next /64 is another.
    assert sign_up(slug, "c@example.org", "2001:db8:1:3::1") == 302
    # An IPv4 address written as IPv6 is that IPv4 visitor.
    assert sign_up(slug, "d@example.org", "198.51.100.9") == 302
    assert sign_up(slug, "e@example.org", "::ffff:198.51.100.9") == 302
    assert sign_up(slug, "f@example.org", "198.51.100.9") == 429


def test_sign_ups_send_one_address_only_so_many_mails(  # type: ignore[no-untyped-def]
    world, django_capture_on_commit_callbacks
) -> None:
    from soin.newsletter.services import SIGN_UP_MAILS_PER_HOUR

    slugs = [world.partnership.slug, world.other_partnership.slug]
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(8):
            # Every visitor different, the address typed in several ways, two partnerships.
            email = "Offer@Example.org" if i % 2 else "offer@example.ORG"
            assert sign_up(slugs[i % 2], email, f"203.0.113.{i + 1}") == 302
    queued = DBTaskResult.objects.filter(task_path__endswith="send_subscriber_mail")
    assert queued.count() == SIGN_UP_MAILS_PER_HOUR


def test_links_to_ones_data_go_to_one_address_only_so_often(world) -> None:  # type: ignore[no-untyped-def]
    # The address holds data in both partnerships: asking in turns gives no more mails.
    here, there = world.partnership, world.other_partnership
    from soin.newsletter.services import subscriber_subscribe

    for partnership in (here, there):
        subscriber_subscribe(
            partnership=partnership, email="tva@example.org", consent_text="Ja", source="test"
        )
    sent = [
        data_request_submit(partnership=(here, there)[i % 2], email="tva@example.org")
        for i in range(2 * PER_ADDRESS_PER_HOUR)
    ]
    assert sent == [True] * PER_ADDRESS_PER_HOUR + [False] * PER_ADDRESS_PER_HOUR
