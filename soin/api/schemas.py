"""The shapes of the open data, as the OpenAPI document describes them. The records
themselves are built in soin.api.records, which export_open_data writes too."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Schema


class PartnershipRef(Schema):
    slug: str = Field(description="The partnership's short name, stable, used in addresses.")
    name_sv: str = Field(description="Name in Swedish.")
    name_en: str = Field(description="Name in English.")
    region: str = Field(description="The county code (län) of its region, e.g. 18.")


class RegionRef(Schema):
    code: str = Field(description="Official county code (länskod), two digits.")
    name_sv: str
    name_en: str


class MunicipalityRef(Schema):
    code: str = Field(description="Official municipality code (kommunkod), four digits.")
    name: str


class ChallengeRef(Schema):
    key: str = Field(
        description="Stable key: one of the seven societal challenges (health, "
        "food-bioeconomy, energy, transport, climate, inclusive-societies, secure-societies) "
        "or a partnership's regional challenge."
    )
    name_sv: str
    name_en: str


class LinkOut(Schema):
    url: str
    label_sv: str
    label_en: str


class ImageOut(Schema):
    url: str = Field(description="The image file.")
    alt_sv: str = Field(description="What the image shows, in Swedish.")
    alt_en: str = Field(description="What the image shows, in English.")


class Innovation(Schema):
    id: str = Field(description="Stable identifier (UUID), the same in every installation.")
    url: str = Field(description="The entry's page on the public site.")
    partnership: PartnershipRef
    region: RegionRef
    municipality: MunicipalityRef | None
    kind: Literal["idea", "existing"] = Field(
        description="idea: an idea the partnership worked with; existing: an existing "
        "solution found in a research circle."
    )
    title_sv: str
    title_en: str
    summary_sv: str
    summary_en: str
    story_sv: str
    story_en: str
    solution_type: str = Field(
        description="social_enterprise, service, education, working_method, association, "
        "product, event, other, or empty."
    )
    challenges: list[ChallengeRef]
    new_for: str = Field(
        description="Whom it is new for: target_group, locality, municipality, region, "
        "country, europe, or empty."
    )
    evidence_level: str = Field(
        description="none, experience, documented, evaluated, independent, or empty."
    )
    can_spread: str = Field(description="yes, no, unknown, or empty.")
    organisations: list[str] = Field(description="Organisations involved.")
    carrier: str = Field(description="The idea carrier, only where they agreed to be named.")
    links: list[LinkOut]
    images: list[ImageOut]
    published_at: str | None = Field(description="First published (UTC, ISO 8601).")
    updated_at: str | None = Field(
        description="Last changed where the entry is written (UTC, ISO 8601)."
    )
    origin: str = Field(
        description="Empty when this installation wrote the entry; otherwise the address of "
        "the installation it came from."
    )


class FacetOption(Schema):
    value: str
    label: str
    count: int = Field(description="Entries that match with this value chosen.")
    selected: bool


class FacetOut(Schema):
    name: str = Field(description="The query parameter that chooses its values.")
    label: str
    options: list[FacetOption]


class InnovationPage(Schema):
    count: int = Field(description="Entries that match, on every page.")
    page: int
    pages: int
    per_page: int
    sort: str
    corrected: str = Field(
        "",
        description="The search words as corrected when some were in no entry (the results "
        "are those of the correction); empty otherwise.",
    )
    nearest: bool = Field(
        False, description="No entry has every word: the results have some of them."
    )
    results: list[Innovation]
    facets: list[FacetOut]


class Activity(Schema):
    id: int = Field(description="Identifier, stable within this installation.")
    url: str
    ical: str = Field(description="The event as an iCalendar file.")
    partnership: str
    kind: str = Field(
        description="plenary, working_committee, coordination, experience_seminar, "
        "learning_seminar, research_circle, outreach_stop or fair."
    )
    title_sv: str
    title_en: str
    description_sv: str
    description_en: str
    starts_at: str | None
    ends_at: str | None
    place: str
    address: str
    municipality: MunicipalityRef | None
    hosts: list[str] = Field(description="The organisations that arrange it.")
    cancelled: bool
    registration_open: bool
    registration_deadline: str | None


class ActivityPage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    results: list[Activity]


class Partner(Schema):
    id: int = Field(description="Identifier, stable within this installation.")
    url: str
    partnership: str
    name: str
    kind: str
    sector: Literal["public", "civil_society", "business"]
    municipality: MunicipalityRef | None
    website: str
    partner_since: str | None
    coordinator: bool = Field(description="Whether it coordinates the partnership.")


class PartnerPage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    results: list[Partner]


class Statistics(Schema):
    partnership: PartnershipRef
    region: RegionRef
    partners: dict[str, Any] = Field(description="total, and by_sector.")
    ideas: dict[str, Any] = Field(description="total, by_year, by_challenge and by_channel.")
    innovations: dict[str, Any] = Field(description="published, and by_challenge.")
    activities: dict[str, Any] = Field(description="by_year_and_kind.")
    newsletter: dict[str, Any] = Field(description="subscribers: those who receive it now.")


class Error(Schema):
    detail: Any
