"""What a file is before it is parsed: its format, encoding, separator and fingerprint."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from burgerlink.core.files.limits import FileLimits
from burgerlink.core.files.problems import UnreadableFileError

SNIFF_BYTES = 64 * 1024
READ_BLOCK = 1 << 20
SAV_MAGIC = (b"$FL2", b"$FL3")  # SPSS system file; $FL3 is the compressed .zsav


def sniff_format(head: bytes, filename: str = "") -> str:
    """Return 'xlsx', 'sav', 'json' or 'csv' from the first bytes (and the name as a hint)."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head[:4] in SAV_MAGIC or filename.lower().endswith((".sav", ".zsav")):
        return "sav"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"[", b"{") or filename.lower().endswith(".json"):
        return "json"
    return "csv"


def detect_encoding(head: bytes) -> str:
    """Return 'utf-8-sig' (BOM), 'utf-8' or 'cp1252' (Excel's Windows encoding) for a text file.

    Judged on the first bytes only; ``settle_encoding`` decides for the whole file.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if b"\x00" in head:
        raise UnreadableFileError(_("Dit is geen tekstbestand (CSV): het bevat binaire gegevens."))
    try:
        # A cut multi-byte character at the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _check_text(sample: str) -> None:
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    if sample and control / len(sample) > 0.01:
        raise UnreadableFileError(_("Dit is geen tekstbestand (CSV): het bevat binaire gegevens."))


def detect_delimiter(header_line: str) -> str:
    """Return the separator of a CSV header line: semicolon, comma or tab (most frequent)."""
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def normalise_header(name: str) -> str:
    """Lower-case a column name and strip spaces, quotes and a stray BOM."""
    return name.replace("\ufeff", "").strip().strip('"').strip().lower()


def utf8_throughout(stream: IO[bytes]) -> bool:
    """Check, block by block, that the whole stream is valid UTF-8 (C-speed, no copy kept)."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while block := stream.read(READ_BLOCK):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def settle_encoding(stream: IO[bytes], utf8: bool | None = None) -> tuple[bytes, str]:
    """The file's first bytes and its encoding, decided before any parsing.

    A BOM means UTF-8; otherwise UTF-8 when the whole file is valid UTF-8 (``utf8``, when the
    caller has already checked that on its own pass over the bytes, see ``fingerprint``), else
    Windows-1252. An empty or binary file raises ``UnreadableFileError``. The stream is left at
    its start.
    """
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise UnreadableFileError(_("Het bestand is leeg."))
    encoding = detect_encoding(head)
    _check_text(head.decode(encoding, errors="replace"))
    if encoding == "utf-8" and not (utf8_throughout(stream) if utf8 is None else utf8):
        encoding = "cp1252"
    stream.seek(0)
    return head, encoding


@dataclass(frozen=True)
class Fingerprint:
    """What one pass over a file's bytes tells: its hash, format, size and whether it is UTF-8."""

    sha256: str
    format: str
    size: int
    utf8: bool


def fingerprint(
    stream: IO[bytes], filename: str = "", *, limits: FileLimits | None = None
) -> Fingerprint:
    """SHA-256, format, size and UTF-8 validity in one pass; the stream is left at its start.

    The same file always has the same fingerprint, so an app can tell a file it has seen. With
    ``limits``, a file over the size limit is refused as soon as the pass reaches that size.
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    size = 0
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    block = head
    while block:
        size += len(block)
        if limits is not None:
            limits.check_size(size)
        digest.update(block)
        if utf8:
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                utf8 = False
        block = stream.read(READ_BLOCK)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    stream.seek(0)
    return Fingerprint(digest.hexdigest(), sniff_format(head, filename), size, utf8)
