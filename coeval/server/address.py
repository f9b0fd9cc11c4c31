"""Where a server listens and the address people use to reach it: `--host` and
`--public-url` checked, the link everyone is given, and a plain warning when a meeting is
open to a network without HTTPS."""

from __future__ import annotations

import errno
import ipaddress
import socket
from urllib.parse import urlsplit

from coeval.exceptions import CoevalError
from coeval.server.voila import LOOPBACK, Serving

#: Addresses that mean "every network this computer is on".
EVERYWHERE = ("0.0.0.0", "::")


def is_loopback(host: str) -> bool:
    """Is ``host`` this computer only (127.0.0.1, ::1 or localhost)?"""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def network_address() -> str:
    """This computer's address on its network (the one phones on the same Wi-Fi reach),
    found without sending anything; 127.0.0.1 when it has none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # a documentation address: nothing is sent
            found = str(probe.getsockname()[0])
        except OSError:
            return LOOPBACK
    return found if found and found not in EVERYWHERE else LOOPBACK


def ws_host(host: str) -> str:
    """The address a kernel on this computer uses to reach the server."""
    return LOOPBACK if host in EVERYWHERE or is_loopback(host) else host


def check_public_url(url: str) -> str:
    """``--public-url`` as a base ending in "/", or a plain error naming the fix."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CoevalError(
            f"--public-url {url}: give a web address starting http:// or https://, for "
            "example https://meetings.example.org/ or http://192.168.1.20:8867/"
        )
    if parts.query or parts.fragment:
        raise CoevalError(
            f"--public-url {url}: give the address only, without ? or # and what follows"
        )
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def public_path(serving: Serving) -> str:
    """The path the server answers under: that of ``--public-url`` (a reverse proxy passing
    /meetings/... through unchanged), else "/"."""
    if not serving.public_url:
        return "/"
    return urlsplit(check_public_url(serving.public_url)).path


def base_url(serving: Serving) -> str:
    """The address every printed and shown link starts with: ``--public-url`` when given,
    else this computer's address as people on its network reach it."""
    if serving.public_url:
        return check_public_url(serving.public_url)
    host = network_address() if serving.host in EVERYWHERE else serving.host
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{serving.port}/"


def check_bindable(serving: Serving) -> None:
    """Refuse, before anything is stored, an address this computer cannot listen on or a
    port another program holds."""
    family = socket.AF_INET6 if ":" in serving.host else socket.AF_INET
    with socket.socket(family) as probe:
        try:
            probe.bind((serving.host, serving.port))
        except OSError as exc:
            if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
                raise CoevalError(
                    f"--host {serving.host}: not an address of this computer; give one of "
                    "its addresses (see `hostname -I`), 0.0.0.0 for every network, or "
                    "127.0.0.1"
                ) from None
            raise CoevalError(
                f"--port {serving.port}: another program is using it (perhaps another "
                "meeting); choose another port with --port"
            ) from None


def exposure_warning(serving: Serving) -> str:
    """What to tell the facilitator when the meeting can be reached from a network: without
    HTTPS, answers can be read on the way; with a trusted header, anyone reaching coeval
    directly could send it ("" when there is nothing to say)."""
    if is_loopback(serving.host):
        return ""
    where = "every network this computer is on" if serving.host in EVERYWHERE else serving.host
    risks = []
    if not (serving.public_url or "").lower().startswith("https://"):
        risks.append(
            "It is served without HTTPS, so anyone on the same network could read answers as "
            "they are sent: use it only on a network you trust (the room's own Wi-Fi, not public "
            "Wi-Fi), or put it behind HTTPS with --public-url https://... (docs/deploy.md)."
        )
    if serving.trusted_header:
        risks.append(
            f"Anyone who can reach it directly could also send the {serving.trusted_header} "
            "header, so keep --host 127.0.0.1 behind a sign-in proxy."
        )
    return f"the meeting is open to {where}. {' '.join(risks)}" if risks else ""
