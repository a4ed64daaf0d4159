"""Records of this app in the shared test world (``soin.core.testing.World``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from soin.privacy import services

if TYPE_CHECKING:
    from soin.core.testing import World


def extend(w: World) -> None:
    """A request for their own data by the registrant of the world's activity
    (``access_request``, with its link's secret ``access_token``)."""
    access_request, token = services.access_request_create(
        partnership=w.partnership, email=w.registration.email
    )
    w.extra.update(access_request=access_request, access_token=token)


def extend_abroad(w: World, records: dict[str, Any]) -> None:
    """The other partnership's request for data and its link (see
    ``soin.core.testing.abroad``)."""
    access_request, token = services.access_request_create(
        partnership=w.other_partnership, email=records["registration"].email
    )
    records.update(access_request=access_request, access_token=token)
