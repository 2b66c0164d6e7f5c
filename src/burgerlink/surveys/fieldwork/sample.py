"""Check a sample file before anything is stored: which columns count, and every row's values.

A sample holds only what is needed to reach people (an e-mail address or a postal address, the
language to write in) plus the background variables the wave weights on. Every other column is
ignored and reported, so no superfluous personal data ever enters the database. No ORM here:
rows in, a plan (or problems naming row and column) out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from burgerlink.core.files import (
    Chunk,
    ProblemList,
    Progress,
    with_progress,
    without_control_characters,
)

LANGUAGES = ("nl", "en")
MAX_EMAIL = 254
MAX_ADDRESS = 500
MAX_ADDRESS_LINES = 6

# Column names people use for the three contact columns; the first one is the canonical name.
ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "e-mail", "e_mail", "emailadres", "e-mailadres", "mail"),
    "postal_address": ("postal_address", "postadres", "adres", "address"),
    "language": ("language", "taal"),
}
_ADDRESS_LINES = re.compile(r"\r\n|\r|\n|\|")


@dataclass(frozen=True)
class SampleRow:
    """One person to invite, as it will be stored."""

    row: int
    email: str
    postal_address: str
    language: str
    background: dict[str, str]


@dataclass
class SamplePlan:
    """The outcome of checking a sample file."""

    rows: list[SampleRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)


def column_roles(
    headers: Iterable[str], weighting: Mapping[str, Mapping[str, float]]
) -> tuple[dict[str, str], list[str]]:
    """Map the file's column names to what they hold; return (column → field, ignored columns).

    Fields are ``email``, ``postal_address``, ``language`` and ``background:<variable>``.
    """
    lookup = {alias: canonical for canonical, names in ALIASES.items() for alias in names}
    lookup.update({name.lower(): f"background:{name}" for name in weighting})
    roles: dict[str, str] = {}
    ignored: list[str] = []
    taken: set[str] = set()
    for header in headers:
        role = lookup.get(header.strip().lower())
        if role is None or role in taken:
            if header:
                ignored.append(header)
            continue
        roles[header] = role
        taken.add(role)
    return roles, ignored


def normalise_address(raw: str) -> str:
    """Return a postal address with one line per line: lines split on newlines or ``|``."""
    lines = [" ".join(line.split()) for line in _ADDRESS_LINES.split(raw)]
    return "\n".join(line for line in lines if line)


def _category(value: str, categories: Iterable[str]) -> str | None:
    """The target category ``value`` names (exactly, or else ignoring case), or None."""
    options = list(categories)
    if value in options:
        return value
    folded = {option.casefold(): option for option in options}
    return folded.get(value.casefold())


def check_sample(
    chunks: Iterable[Chunk],
    weighting: Mapping[str, Mapping[str, float]],
    existing_emails: Iterable[str] = (),
    progress: Progress | None = None,
) -> SamplePlan:
    """Check every row of a sample file; return the rows to store or the problems found.

    ``existing_emails`` are the addresses already in the wave's sample (compared without
    regard to case): a second invitation to the same address is reported as a duplicate.
    ``progress`` hears the rows read so far, after every chunk.
    """
    plan = SamplePlan()
    problems = plan.problems
    already = {email.casefold() for email in existing_emails}
    seen: dict[str, int] = {}
    roles: dict[str, str] | None = None
    for chunk in with_progress(chunks, progress):
        if roles is None:
            roles, plan.ignored_columns = column_roles(chunk.columns, weighting)
            width = chunk.extra.get("width", len(chunk.columns))
            if width != len(chunk.columns):
                doubled = [name for name, v in chunk.columns.items() if len(v) != len(chunk.rows)]
                problems.add(
                    1,
                    ", ".join(doubled),
                    _("Elke kolomnaam mag maar één keer voorkomen in de eerste regel."),
                )
                return plan
            if not {"email", "postal_address"} & set(roles.values()):
                problems.add(
                    1,
                    "",
                    _(
                        "Het bestand heeft geen kolom email of postal_address: zonder e-mailadres "
                        "of postadres kunnen wij niemand uitnodigen."
                    ),
                )
                return plan
        for line, found in chunk.extra.get("bad_width", []):
            problems.add(
                line,
                "",
                _("Deze rij heeft %(found)s kolommen; de eerste regel noemt er %(width)s.")
                % {"found": found, "width": len(chunk.columns)},
            )
        columns = {role: chunk.columns[header] for header, role in roles.items()}
        names = {role: header for header, role in roles.items()}
        for index, line in enumerate(chunk.rows):
            row = _check_row(index, line, columns, names, weighting, problems)
            if row is None:
                continue
            if row.email:
                key = row.email.casefold()
                if key in already:
                    problems.add(
                        line,
                        names["email"],
                        _("Dit e-mailadres staat al in de steekproef van deze meting."),
                    )
                    continue
                if key in seen:
                    problems.add(
                        line,
                        names["email"],
                        _("Dit e-mailadres staat ook in rij %(row)s: nodig iedereen één keer uit.")
                        % {"row": seen[key]},
                    )
                    continue
                seen[key] = line
            plan.rows.append(row)
        if problems.full:
            break
    if roles is not None and not plan.rows and not problems:
        problems.add(None, "", _("Het bestand bevat geen genodigden: alleen kolomnamen."))
    return plan


def _check_row(
    index: int,
    line: int,
    columns: Mapping[str, list[object]],
    names: Mapping[str, str],
    weighting: Mapping[str, Mapping[str, float]],
    problems: ProblemList,
) -> SampleRow | None:
    """Check one row; report its problems and return it only when it is entirely right."""
    before = problems.total

    def value(role: str) -> str:
        column = columns.get(role)
        return without_control_characters(str(column[index])).strip() if column is not None else ""

    email = value("email")
    if email:
        try:
            if len(email) > MAX_EMAIL:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            problems.add(
                line,
                names["email"],
                _("'%(value)s' is geen geldig e-mailadres.") % {"value": email[:80]},
            )
    address = normalise_address(value("postal_address"))
    if address and (len(address) > MAX_ADDRESS or address.count("\n") >= MAX_ADDRESS_LINES):
        problems.add(
            line,
            names["postal_address"],
            _("Een postadres heeft ten hoogste zes regels en 500 tekens."),
        )
    if not email and not address:
        problems.add(
            line,
            names.get("email") or names.get("postal_address", ""),
            _("Vul een e-mailadres of een postadres in."),
        )
    language = value("language").lower() or "nl"
    if language not in LANGUAGES:
        problems.add(
            line,
            names["language"],
            _("Taal '%(value)s' kennen wij niet: gebruik nl of en.") % {"value": language[:20]},
        )
    background: dict[str, str] = {}
    for variable, shares in weighting.items():
        raw = value(f"background:{variable}")
        if not raw:
            continue
        category = _category(raw, shares)
        if category is None:
            problems.add(
                line,
                names[f"background:{variable}"],
                _("'%(value)s' is geen categorie van %(variable)s; kies uit: %(allowed)s.")
                % {"value": raw[:60], "variable": variable, "allowed": ", ".join(shares)},
            )
        else:
            background[variable] = category
    if problems.total > before:
        return None
    return SampleRow(line, email, address, language, background)


def sample_template(
    weighting: Mapping[str, Mapping[str, float]],
) -> tuple[list[str], list[list[str]]]:
    """The columns of a sample file for a wave weighting on ``weighting``, and two example rows.

    The examples pass ``check_sample``: one person reached by e-mail, one by post, each in a
    category of every weighting variable.
    """
    variables = list(weighting)
    columns = ["email", "postal_address", "language", *variables]
    first = [next(iter(weighting[name]), "") for name in variables]
    last = [list(weighting[name])[-1] if weighting[name] else "" for name in variables]
    rows = [
        ["anna.jansen@example.org", "", "nl", *first],
        ["", "B. de Vries | Kerkstraat 1 | 1234 AB Amstelstad", "en", *last],
    ]
    return columns, rows
