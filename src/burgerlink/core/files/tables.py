"""One entry point for a table-shaped file: the reader is chosen by what the file is."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import IO

from django.utils.translation import gettext as _

from burgerlink.core.files.chunks import Chunk
from burgerlink.core.files.csvfile import read_csv, seekable
from burgerlink.core.files.limits import FileLimits
from burgerlink.core.files.problems import UnreadableFileError
from burgerlink.core.files.sniff import SNIFF_BYTES, sniff_format
from burgerlink.core.files.spss import read_sav
from burgerlink.core.files.xlsx import read_xlsx

FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel (.xlsx)", "sav": "SPSS (.sav)", "json": "JSON"}


def read_table(
    stream: IO[bytes],
    filename: str = "",
    *,
    formats: Collection[str] = ("csv", "xlsx"),
    limits: FileLimits | None = None,
) -> tuple[str, Iterator[Chunk]]:
    """The file's format and its chunks, read by the reader for that format.

    ``formats`` are the ones the caller accepts (of ``csv``, ``xlsx``, ``sav``); another format
    is refused with a Dutch message that names the accepted ones.
    """
    stream = seekable(stream)
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    found = sniff_format(head, filename)
    if found not in formats:
        names = [FORMAT_NAMES[name] for name in formats]
        accepted = (
            _("%(some)s of %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}
            if len(names) > 1
            else names[0]
        )
        raise UnreadableFileError(
            _("Dit soort bestand kan hier niet worden ingelezen; gebruik %(formats)s.")
            % {"formats": accepted}
        )
    if found == "xlsx":
        return found, read_xlsx(stream, limits=limits)
    if found == "sav":
        return found, read_sav(stream, limits=limits)
    return found, read_csv(stream, limits=limits)
