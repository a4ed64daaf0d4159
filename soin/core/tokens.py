"""Private links: a record's id and a MAC over it, a purpose and a random nonce stored on the
record. The link itself is stored nowhere; a new nonce revokes every earlier link."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def object_token(purpose: str, pk: int, nonce: str) -> str:
    """Return ``<pk>-<mac>`` for a private link to record ``pk`` for ``purpose``."""
    message = f"{purpose}:{pk}:{nonce}".encode()
    mac = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return f"{pk}-{base64.urlsafe_b64encode(mac[:18]).decode()}"


def object_from_token(
    queryset: QuerySet[M], *, purpose: str, token: str, nonce_field: str = "nonce"
) -> M:
    """Return the record of ``queryset`` that ``token`` opens for ``purpose``; 404 otherwise
    (wrong MAC, revoked nonce, or a record outside ``queryset``)."""
    pk, _sep, _mac = token.partition("-")
    obj: Any = (
        queryset.filter(pk=int(pk)).exclude(**{nonce_field: ""}).first()
        if pk.isascii() and pk.isdigit() and len(pk) < 19
        else None
    )
    if obj is None or not hmac.compare_digest(
        object_token(purpose, obj.pk, getattr(obj, nonce_field)), token
    ):
        raise Http404
    return obj
