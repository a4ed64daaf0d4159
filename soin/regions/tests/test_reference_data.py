from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from soin.regions.models import Municipality, Partnership, Region

# The public outlines of Sweden's municipalities beside the checkout, for checking codes and
# names only (never copied into the project).
GEOJSON = Path(__file__).resolve().parents[4] / "shared" / "data" / "sweden-municipalities.geojson"


@pytest.mark.django_db
def test_sweden_has_21_regions_and_290_municipalities() -> None:
    assert Region.objects.count() == 21
    assert Municipality.objects.count() == 290
    orebro = Region.objects.get(code="18")
    assert orebro.name_sv == "Örebro län"
    assert orebro.municipalities.count() == 12
    for m in Municipality.objects.select_related("region"):
        assert m.code[:2] == m.region.code, m


@pytest.mark.django_db
def test_codes_and_names_agree_with_the_public_boundary_file() -> None:
    if not GEOJSON.exists():
        pytest.skip(f"{GEOJSON} is not beside this checkout")
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    published = {
        f["properties"]["id"]: (f["properties"]["kom_namn"], f["properties"]["lan_code"])
        for f in features
    }
    ours = {m.code: (m.name, m.region.code) for m in Municipality.objects.select_related("region")}
    assert ours == published


@pytest.mark.django_db
def test_a_partnership_slug_cannot_shadow_a_site_address() -> None:
    p = Partnership(slug="privacy", name_sv="x", name_en="x", region=Region.objects.get(code="01"))
    with pytest.raises(ValidationError) as error:
        p.full_clean()
    assert "slug" in error.value.message_dict
