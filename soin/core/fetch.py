"""Fetching from addresses someone else chose (another installation's API and the images its
records point at), bounded and kept off this installation's own network.

- Only ``http`` and ``https``, on every hop.
- The host is resolved once per hop and every address it resolves to is checked: loopback,
  private, link-local, multicast, reserved, unspecified, shared and other addresses not on the
  public internet are refused (IPv4 and IPv6, an IPv4 address inside an IPv6 one included),
  unless the source is listed in ``SOIN_EXCHANGE_ALLOWED_SOURCES``. The connection is then
  made to the address that was checked, not to the name, so a name that resolves differently
  a moment later (DNS rebinding) gets nowhere.
- Redirects are followed by hand, at most ``max_redirects``, each one checked as above.
- Bounded in size (``max_bytes`` per response, read in pieces, the ``Content-Length`` checked
  first) and time (a connect and a read timeout, and a deadline for the whole response).
- The response's type is checked by the caller's ``accept``.
"""

from __future__ import annotations

import dataclasses
import http.client
import ipaddress
import socket
import ssl
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

REDIRECTS = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "Soin open data exchange"
PIECE = 64 * 1024


class FetchRefused(Exception):
    """The address or its answer was refused; ``str()`` says why, in the active language."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    connect_timeout: float = 10
    read_timeout: float = 30
    deadline: float = 60
    max_redirects: int = 3


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str
    body: bytes


def origin_of(url: str) -> str:
    """Return ``scheme://host[:port]`` of ``url`` in lower case, the default port left out."""
    parts = urllib.parse.urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def allowed_sources() -> list[str]:
    return [s.strip().lower().rstrip("/") for s in settings.SOIN_EXCHANGE_ALLOWED_SOURCES if s]


def is_allowed_source(url: str) -> bool:
    """Whether ``url``'s origin (or its host alone) is listed in
    ``SOIN_EXCHANGE_ALLOWED_SOURCES``, so that it may be on a private address."""
    origin = origin_of(url)
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    for allowed in allowed_sources():
        if "://" in allowed:
            if origin_of(allowed) == origin:
                return True
        elif allowed.strip("[]") == host:
            return True
    return False


def _embedded(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> list[ipaddress.IPv4Address]:
    if isinstance(address, ipaddress.IPv6Address):
        inner: list[ipaddress.IPv4Address | None] = [address.ipv4_mapped, address.sixtofour]
        if address.teredo:
            inner += list(address.teredo)
        # IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96) addresses.
        if int(address) >> 32 == 0 or address in ipaddress.IPv6Network("64:ff9b::/96"):
            inner.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        return [a for a in inner if a is not None]
    return []


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``address`` is on the public internet (and so is every IPv4 address inside it)."""
    every: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [address, *_embedded(address)]
    for a in every:
        if (
            not a.is_global
            or a.is_private
            or a.is_loopback
            or a.is_link_local
            or a.is_multicast
            or a.is_reserved
            or a.is_unspecified
        ):
            return False
    return True


def _resolve(host: str, port: int, allowed: bool) -> str:
    """Return the address to connect to for ``host``, every address it resolves to checked."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchRefused(_("%(host)s could not be found.") % {"host": host}) from error
    addresses = []
    for _family, _type, _proto, _name, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if not allowed and not is_public(address):
            raise FetchRefused(
                _("%(host)s is on an address that is not public (%(address)s).")
                % {"host": host, "address": address}
            )
        addresses.append(str(address))
    if not addresses:
        raise FetchRefused(_("%(host)s could not be found.") % {"host": host})
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """A connection to a checked address, with the host's name in the request."""

    def __init__(self, host: str, port: int, address: str, limits: Limits) -> None:
        super().__init__(host, port, timeout=limits.connect_timeout)
        self.address = address
        self.limits = limits

    def connect(self) -> None:
        # The checked address itself, with no look-up of any name in between.
        family = socket.AF_INET6 if ":" in self.address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.limits.connect_timeout)
            sock.connect((self.address, self.port))
        except BaseException:
            sock.close()
            raise
        sock.settimeout(self.limits.read_timeout)
        self.sock = sock


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = 443

    def connect(self) -> None:
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def _read(
    response: http.client.HTTPResponse, limits: Limits, ends: float, sock: socket.socket | None
) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > limits.max_bytes:
        raise FetchRefused(_("The answer is larger than %(n)s bytes.") % {"n": limits.max_bytes})
    pieces: list[bytes] = []
    size = 0
    while True:
        left = ends - time.monotonic()
        if left <= 0:
            raise FetchRefused(
                _("The answer took longer than %(s)s seconds.") % {"s": limits.deadline}
            )
        if sock is not None:
            sock.settimeout(min(limits.read_timeout, left))
        piece = response.read1(PIECE)
        if not piece:
            return b"".join(pieces)
        size += len(piece)
        if size > limits.max_bytes:
            raise FetchRefused(
                _("The answer is larger than %(n)s bytes.") % {"n": limits.max_bytes}
            )
        pieces.append(piece)


def fetch(
    url: str,
    *,
    limits: Limits,
    accept: Callable[[str], bool],
    headers: Iterable[tuple[str, str]] = (),
) -> Fetched:
    """GET ``url`` within ``limits`` and return its answer; raise ``FetchRefused`` (why, in
    words) for an address not allowed, a failure, an error status, a refused type, too much
    or too slow."""
    ends = time.monotonic() + limits.deadline
    for _hop in range(limits.max_redirects + 1):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise FetchRefused(
                _("Only http and https addresses are fetched, not %(url)s.") % {"url": url[:200]}
            )
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise FetchRefused(_("%(url)s is not an address.") % {"url": url[:200]}) from error
        address = _resolve(parts.hostname, port, is_allowed_source(url))
        left = ends - time.monotonic()
        if left <= 0:
            raise FetchRefused(
                _("The answer took longer than %(s)s seconds.") % {"s": limits.deadline}
            )
        # No step, connecting included, waits beyond the deadline.
        bounded = dataclasses.replace(
            limits,
            connect_timeout=min(limits.connect_timeout, left),
            read_timeout=min(limits.read_timeout, left),
        )
        kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        connection = kind(parts.hostname, port, address, bounded)
        try:
            path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
            connection.request(
                "GET", path, headers={"User-Agent": USER_AGENT, "Accept": "*/*", **dict(headers)}
            )
            response = connection.getresponse()
            if response.status in REDIRECTS:
                location = response.getheader("Location") or ""
                if not location:
                    raise FetchRefused(_("A redirect without an address."))
                url = urllib.parse.urljoin(url, location.strip())
                continue
            if response.status != 200:
                raise FetchRefused(
                    _("%(url)s answered with status %(status)s.")
                    % {"url": url[:200], "status": response.status}
                )
            content_type = (response.getheader("Content-Type") or "").strip()
            if not accept(content_type.split(";")[0].strip().lower()):
                raise FetchRefused(
                    _("%(url)s answered with the wrong type of content (%(type)s).")
                    % {"url": url[:200], "type": content_type[:100] or "-"}
                )
            body = _read(response, limits, ends, connection.sock)
            return Fetched(url=url, content_type=content_type, body=body)
        except TimeoutError as error:
            raise FetchRefused(_("%(url)s did not answer in time.") % {"url": url[:200]}) from error
        except (OSError, http.client.HTTPException) as error:
            raise FetchRefused(
                _("%(url)s could not be fetched: %(error)s") % {"url": url[:200], "error": error}
            ) from error
        finally:
            connection.close()
    raise FetchRefused(_("More than %(n)s redirects.") % {"n": limits.max_redirects})
