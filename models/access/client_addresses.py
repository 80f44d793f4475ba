"""Client addresses: one spelling per address, and the unit sign-in failures are counted by."""

from __future__ import annotations

import ipaddress

MAX_ADDRESS = 64
IPV6_THROTTLE_PREFIX = 64


def normalize_address(text: str) -> str | None:
    """The canonical form of an IP address (``::ffff:10.0.0.1`` is ``10.0.0.1``, zeros
    compressed, lower case), or None for anything that is not one."""
    text = text.strip()
    if not text or len(text) > MAX_ADDRESS:
        return None
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id is not None:
            ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
    return str(ip)


def throttle_key(address: str) -> str:
    """Failures are counted per IPv4 address and per IPv6 /64 (one client's whole network)."""
    normal = normalize_address(address)
    if normal is None:
        return address[:MAX_ADDRESS]
    ip = ipaddress.ip_address(normal)
    if isinstance(ip, ipaddress.IPv6Address):
        network = ipaddress.IPv6Network((ip, IPV6_THROTTLE_PREFIX), strict=False)
        return str(network)
    return normal
