"""A real SMTP server on 127.0.0.1 for integration tests (aiosmtpd), collecting what it gets."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Callable
from email.message import Message
from typing import Any


class Inbox:
    """What the server got. ``reject`` names addresses answered with a permanent failure
    (550: no such user); ``on_message`` is called with each message as it is accepted (a
    test can stop the sender there)."""

    def __init__(
        self,
        reject: frozenset[str] = frozenset(),
        on_message: Callable[[Message], None] | None = None,
    ) -> None:
        self.messages: list[Message] = []
        self.reject = reject
        self.on_message = on_message

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.lower() in self.reject:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        if self.on_message is not None:
            self.on_message(message)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SMTPServer:
    """Start with ``start()``; ``port`` and ``inbox.messages`` tell where and what."""

    def __init__(self, inbox: Inbox | None = None, port: int | None = None) -> None:
        from aiosmtpd.controller import Controller

        self.inbox = inbox or Inbox()
        self.port = port or free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.running = self.stopped = False

    def start(self) -> SMTPServer:
        """Start serving; a stopped server starts again on the same port with the same inbox
        (the mail server back after an outage)."""
        from aiosmtpd.controller import Controller

        if self.running:
            return self
        if self.stopped:
            self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.running, self.stopped = True, False
        return self

    def stop(self) -> None:
        """Stop serving: connections to the port are refused until ``start()``."""
        if self.running:
            self.controller.stop()
        self.running, self.stopped = False, True
