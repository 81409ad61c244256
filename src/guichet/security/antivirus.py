"""ClamAV through clamd's INSTREAM command, on a Unix socket or TCP (GUICHET_CLAMD_ADDRESS).

The protocol: `zINSTREAM\\0`, then chunks each prefixed by its length (4 bytes, network
order), then a zero length; clamd answers `stream: OK` or `stream: <name> FOUND`.
"""

import socket
import struct
from typing import BinaryIO

from django.conf import settings

CHUNK = 64 * 1024


class AntivirusUnavailable(Exception):
    """clamd did not answer: the file is refused rather than let through unchecked."""


def _connect(address: str, timeout: float) -> socket.socket:
    kind, _, where = address.partition(":")
    if kind == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target: object = where
    elif kind == "tcp":
        host, _, port = where.rpartition(":")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        target = (host, int(port))
    else:
        raise AntivirusUnavailable(f"unknown clamd address {address!r}")
    sock.settimeout(timeout)
    try:
        sock.connect(target)
    except OSError as error:
        sock.close()
        raise AntivirusUnavailable(str(error)) from error
    return sock


def clamd_scan(stream: BinaryIO, *, address: str | None = None) -> str | None:
    """The name of what clamd found in `stream`, or None when it is clean."""
    address = address or settings.GUICHET_CLAMD_ADDRESS
    sock = _connect(address, settings.GUICHET_CLAMD_TIMEOUT)
    try:
        sock.sendall(b"zINSTREAM\0")
        while chunk := stream.read(CHUNK):
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            part = sock.recv(4096)
            if not part:
                break
            reply += part
    except OSError as error:
        raise AntivirusUnavailable(str(error)) from error
    finally:
        sock.close()
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith(" OK"):
        return None
    if answer.endswith(" FOUND"):
        return answer.removeprefix("stream:").removesuffix("FOUND").strip()
    raise AntivirusUnavailable(answer or "no answer")
