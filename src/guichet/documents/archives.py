"""ZIP archives written to a temporary file, so that large cases never sit in memory."""

import tempfile
import zipfile
from collections.abc import Iterable
from typing import IO


def zip_file(*, entries: Iterable[tuple[str, IO[bytes] | bytes]]) -> IO[bytes]:
    """(name in the archive, content or open binary file) → the archive, rewound."""
    handle = tempfile.TemporaryFile()
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            with archive.open(name, "w") as target:
                for chunk in iter(lambda content=content: content.read(64 * 1024), b""):
                    target.write(chunk)
    handle.seek(0)
    return handle
