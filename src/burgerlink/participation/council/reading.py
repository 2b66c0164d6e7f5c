"""Open an uploaded council file: gzip is unpacked within the expanded-size limit first."""

from __future__ import annotations

import gzip
import tempfile
import zlib
from typing import IO

from django.utils.translation import gettext as _

from burgerlink.core.files import FileLimits, UnreadableFileError

GZIP_MAGIC = b"\x1f\x8b"
BLOCK = 1 << 20
# Small files stay in memory; larger unpacked ones go to a temporary file.
SPOOL_BYTES = 8 * BLOCK


def unpacked(stream: IO[bytes], filename: str, limits: FileLimits) -> tuple[IO[bytes], str]:
    """The stream to read and the name to judge it by: a ``.gz`` file unpacked, else as is.

    Unpacking stops with ``FileTooLargeError`` as soon as the unpacked size passes
    ``IMPORT_MAX_EXPANDED_MB`` (a small gzip file can hold gigabytes).
    """
    stream.seek(0)
    head = stream.read(2)
    stream.seek(0)
    if head != GZIP_MAGIC:
        return stream, filename
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned open
    size = 0
    try:
        with gzip.GzipFile(fileobj=stream, mode="rb") as packed:
            while block := packed.read(BLOCK):
                size += len(block)
                limits.check_expanded(size)
                out.write(block)
    except (OSError, EOFError, zlib.error) as error:
        out.close()
        raise UnreadableFileError(
            _("Dit gzip-bestand is beschadigd en kan niet worden uitgepakt.")
        ) from error
    except BaseException:
        out.close()
        raise
    out.seek(0)
    name = filename[:-3] if filename.lower().endswith(".gz") else filename
    return out, name
