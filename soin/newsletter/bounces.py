"""Bounces that come back later, as delivery status notifications (RFC 3464) in the return
mailbox: which recipients failed, and whether for good."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message


@dataclass
class Bounce:
    email: str
    permanent: bool
    status: str


def bounces_in(message: Message) -> Iterator[Bounce]:
    """Yield the failed recipients a delivery status notification reports."""
    if message.get_content_type() != "multipart/report":
        return
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        if not isinstance(blocks, list):
            continue
        for block in blocks:
            if not isinstance(block, Message):
                continue
            action = str(block.get("Action", "")).strip().lower()
            recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
            status = str(block.get("Status", "")).strip()
            if action != "failed" or ";" not in recipient:
                continue
            address = recipient.split(";", 1)[1].strip().strip("<>").lower()
            yield Bounce(email=address, permanent=status.startswith("5"), status=status)


def parse(raw: bytes) -> Message:
    return email.message_from_bytes(raw, policy=email.policy.compat32)
