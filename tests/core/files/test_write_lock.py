"""An import never holds SQLite's write lock while it reads its file: logins go on meanwhile.

For real: a second process imports into a file-based SQLite database (WAL, as in production
without PostgreSQL) and, while its import is reading, logs in from a second thread with its own
connection (see ``write_lock_probe``). The import must still be all-or-nothing and complete.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _environment(database: Path) -> dict[str, str]:
    # The database of its own, alone: no pooler, replica or direct URL of the suite's database.
    env = {key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        BURGERLINK_DATA_DIR=str(database.parent),
        DJANGO_SETTINGS_MODULE="burgerlink.settings",
        TASKS_BACKEND="immediate",
    )
    return env


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database file, made once for the tests of this module."""
    database = tmp_path_factory.mktemp("migrated") / "burgerlink.sqlite3"
    subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=_environment(database),
        check=True,
        timeout=300,
    )
    return database


def probe(kind: str, migrated: Path, tmp_path: Path) -> dict[str, object]:
    database = tmp_path / "burgerlink.sqlite3"
    shutil.copy(migrated, database)
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "tests.core.files.write_lock_probe", kind],
        cwd=ROOT,
        env=_environment(database),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("kind", "rows"), [("records", 3_000), ("sample", 2_000), ("responses", 2_000)]
)
def test_logging_in_works_while_an_import_reads_its_file(
    kind: str, rows: int, migrated: Path, tmp_path: Path
) -> None:
    outcome = probe(kind, migrated, tmp_path)
    assert "error" not in outcome
    assert outcome["rows_read"] == rows  # the login happened while the import was under way
    assert outcome["wrong_password"] == 200  # the form again,
    assert outcome["failures_counted"] == 1  # with the failure written down
    assert outcome["right_password"] == 302  # logged in: a session was written
    assert outcome["login_failures"] == 0  # the right password cleared the failure
    assert outcome["stored"] == outcome["created"] == rows  # and the import went through whole
