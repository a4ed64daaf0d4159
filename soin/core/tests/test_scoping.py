"""Every domain record belongs to one partnership, and says how to reach it."""

from __future__ import annotations

import pytest
from django.apps import apps

from soin.regions.models import Partnership

# Reference data and records that are global by nature.
GLOBAL_MODELS = {
    "knowledge.searchword",
    "regions.region",
    "regions.municipality",
    "regions.partnership",
    "accounts.user",
    "accounts.role",
    "audit.auditentry",
    # The seven shared challenges belong to no partnership; regional ones do.
    "ideas.challenge",
    # A staff user's private calendar feed spans every partnership they work in.
    "activities.calendarfeed",
    # Another installation this one reads (import_open_data): the exchange is installation-wide.
    "knowledge.exchangesource",
    # The bank of financial proxies for impact (SROI) analyses is shared nationally.
    "impact.financialproxy",
    "impact.proxyevent",
    # The task worker's record of mails handed to the mail server: a task id and a hash.
    "core.mailhandover",
    # Public forms' hourly counts: a keyed hash (which names the partnership) and a time.
    "core.ratelimithit",
    # The stamps of the cached figures: a source's name (with a partnership's id in it, or
    # "shared") and a random token.
    "core.aggregatestamp",
    # Public forms' spent stamps: a random nonce, a keyed hash of a session, a number.
    "core.submissiontoken",
}


def domain_models():  # type: ignore[no-untyped-def]
    for model in apps.get_models():
        if model.__module__.startswith("soin.") and model._meta.label_lower not in GLOBAL_MODELS:
            yield model


def test_every_domain_model_declares_its_partnership() -> None:
    missing = [m._meta.label for m in domain_models() if not hasattr(m, "PARTNERSHIP_PATH")]
    assert not missing, f"Declare PARTNERSHIP_PATH on: {missing}"


@pytest.mark.django_db
def test_each_partnership_path_leads_to_a_partnership(world) -> None:  # type: ignore[no-untyped-def]
    for model in domain_models():
        # The lookup must be valid ORM and select only the partnership's rows.
        mine = model.objects.filter(**{model.PARTNERSHIP_PATH: world.partnership})
        theirs = model.objects.filter(**{model.PARTNERSHIP_PATH: world.other_partnership})
        assert not set(mine.values_list("pk", flat=True)) & set(theirs.values_list("pk", flat=True))
        assert (
            model.objects.count()
            == model.objects.filter(
                **{f"{model.PARTNERSHIP_PATH}__in": Partnership.objects.all()}
            ).count()
        ), model
