"""``burgerlink import-records``: import a file of contacts or cases with a progress bar."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from burgerlink.charters.records.schema import COLUMNS, PRESETS
from burgerlink.charters.records.services import import_file
from burgerlink.core.files import FileLimits, ImportRejectedError
from burgerlink.core.models import Organisation


def _count_rows(path: Path) -> int | None:
    """Estimate the data rows of a text file by counting line ends (fast, for the progress bar)."""
    if path.suffix.lower() in {".xlsx", ".json"}:
        return None
    lines = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            lines += block.count(b"\n")
    return max(lines - 1, 0)


def _advance(bar: tqdm[Any]) -> Callable[[int], None]:
    """A progress callback that sets the bar to the rows read so far (back, when it restarts)."""

    def advance(rows: int) -> None:
        bar.update(rows - bar.n)

    return advance


class Command(BaseCommand):
    """Import contacts, cases, suspensions or extensions; all-or-nothing, idempotent."""

    help = (
        "Importeer klantcontacten of zaken uit een CSV-, XLSX- of JSON-bestand. Alles of niets "
        "per bestand; nogmaals importeren verandert niets (per kenmerk). Fouten worden per rij "
        "en kolom gemeld. CSV: UTF-8 (met of zonder BOM) of Windows-1252, komma of puntkomma."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Organisation, kind, file, and an optional mapping of another system's export."""
        parser.add_argument("file", type=Path, help="Het bestand (CSV, XLSX of JSON).")
        parser.add_argument(
            "--organisation", required=True, help="Slug van de organisatie, bv. amstelstad."
        )
        parser.add_argument(
            "--kind",
            required=True,
            choices=sorted(COLUMNS),
            help="Soort gegevens: contacts (klantcontacten), cases (zaken), suspensions "
            "(opschortingen) of extensions (verdagingen).",
        )
        parser.add_argument(
            "--mapping",
            choices=sorted(PRESETS),
            default="",
            help="Kolomindeling van een ander systeem, bv. acd (telefooncentrale).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Geen voortgangsbalk.")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the import and report counts, or the row errors (exit status 1)."""
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"Onbekende organisatie: {options['organisation']}")
        bar = tqdm(
            total=_count_rows(path),
            unit=" rijen",
            unit_scale=True,
            disable=options["no_progress"] or not sys.stderr.isatty(),
            file=sys.stderr,
        )
        try:
            with path.open("rb") as stream, bar:
                batch = import_file(
                    organisation=organisation,
                    kind=options["kind"],
                    stream=stream,
                    filename=path.name,
                    preset=options["mapping"],
                    source="cli",
                    progress=_advance(bar),
                    # A file on the server's own disk: no upload size limit, the other limits hold.
                    limits=FileLimits.from_settings().without_size_limit(),
                )
        except ImportRejectedError as rejected:
            for error in rejected.batch.errors:
                where = f"rij {error['row']}" if error["row"] else "bestand"
                column = f", kolom {error['column']}" if error["column"] else ""
                self.stderr.write(f"{where}{column}: {error['message']}")
            raise CommandError(
                "Niets geïmporteerd: het bestand bevat fouten (zie hierboven)."
            ) from rejected
        self.stdout.write(
            self.style.SUCCESS(
                f"{batch.rows_total} rijen: {batch.rows_created} nieuw, {batch.rows_updated} "
                f"bijgewerkt, {batch.rows_unchanged} ongewijzigd."
            )
        )
