"""Forms of the questionnaire pages: start a questionnaire, add or change a question."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from burgerlink.surveys.definition import Definition, Question
from burgerlink.surveys.questionnaires import editing, selectors
from burgerlink.surveys.questionnaires.editing import JSON

EMPTY = "leeg"
NEW_PAGE = "__nieuw__"
# Roles staff may give their own questions; the others belong to the templates' structure.
OWN_ROLES = ["", "aspect", "open", "background"]
CHOICE_TYPES = {"single", "multiple", "matrix"}
_LINE = re.compile(r"^\s*([^=]+?)\s*=\s*(.+?)\s*$")


class StartForm(forms.Form):
    """Choose a template (or start empty), a title and, for life events, which events."""

    template = forms.ChoiceField(label=_("Sjabloon"), widget=forms.RadioSelect)
    title = forms.CharField(
        label=_("Titel van de vragenlijst"),
        max_length=200,
        help_text=_("Deze titel zien de deelnemers boven de vragenlijst."),
    )
    title_en = forms.CharField(label=_("Titel in het Engels"), max_length=200, required=False)
    life_events = forms.MultipleChoiceField(
        label=_("Levensgebeurtenissen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Alleen voor het sjabloon levensgebeurtenissen. De vragenlijst vraagt dan alleen naar "
            "deze gebeurtenissen en de organisaties in hun ketens. Kiest u niets, dan blijven alle "
            "gebeurtenissen van het sjabloon erin."
        ),
    )

    def _choice_field(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def __init__(self, *args: Any, language: str = "nl", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {str(version.pk): version for version in selectors.template_versions()}
        self._choice_field("template").choices = [
            (pk, f"{version.questionnaire.title} – {gettext('versie')} {version.number}")
            for pk, version in self.versions.items()
        ] + [(EMPTY, gettext("Leeg beginnen, zonder sjabloon"))]
        self.groups = selectors.life_event_choices(language)
        self._choice_field("life_events").choices = [
            (event.code, event.label) for group in self.groups for event in group.events
        ]

    def clean(self) -> dict[str, Any]:
        """Life events only go with the life-event template."""
        data = super().clean() or {}
        version = self.versions.get(str(data.get("template", "")))
        if data.get("life_events") and (
            version is None or version.questionnaire.kind != "life_event"
        ):
            self.add_error(
                "life_events",
                gettext(
                    "Levensgebeurtenissen kiezen kan alleen bij het sjabloon levensgebeurtenissen."
                ),
            )
        return data


def parse_lines(value: str, *, codes: str, field: str) -> list[tuple[str, str, str]]:
    """Lines "code=label | English" into (code, Dutch, English); ``codes`` is "int" or "var"."""
    found: list[tuple[str, str, str]] = []
    for number, line in enumerate(value.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            raise ValidationError(
                gettext(
                    "Regel %(number)s: schrijf een %(field)s als code=tekst, bijvoorbeeld %(example)s."
                )
                % {
                    "number": number,
                    "field": field,
                    "example": "1=Ja | Yes" if codes == "int" else "EIGEN_RIJ_1=Snelheid | Speed",
                }
            )
        code, label = match.groups()
        if codes == "int" and not code.isdigit():
            raise ValidationError(
                gettext("Regel %(number)s: de code van een antwoordoptie is een getal.")
                % {"number": number}
            )
        if codes == "var" and not editing.is_valid_code(code):
            raise ValidationError(
                gettext("Regel %(number)s: %(rule)s")
                % {"number": number, "rule": editing.code_rule()}
            )
        nl, _sep, en = label.partition("|")
        if not nl.strip():
            raise ValidationError(
                gettext("Regel %(number)s: de tekst ontbreekt.") % {"number": number}
            )
        found.append((code, nl.strip(), en.strip()))
    return found


def lines_of(entries: list[Any]) -> str:
    """Options or matrix rows back into the "code=label | English" lines of the form."""
    lines = []
    for entry in entries:
        label = entry.label
        lines.append(f"{entry.code}={label.nl}" + (f" | {label.en}" if label.en else ""))
    return "\n".join(lines)


class QuestionForm(forms.Form):
    """One question: type, code, texts, options or rows, answers, routing and page."""

    type = forms.ChoiceField(label=_("Soort vraag"), choices=list(editing.TYPE_LABELS.items()))
    code = forms.CharField(
        label=_("Variabelecode"),
        max_length=40,
        help_text=_(
            "Hoofdletters, cijfers en _, bijvoorbeeld EIGEN_VRAAG_1. De code blijft in alle "
            "versies bij deze vraag en is de kolomnaam in exports."
        ),
    )
    text_nl = forms.CharField(label=_("Vraagtekst"), widget=forms.Textarea(attrs={"rows": 2}))
    text_en = forms.CharField(
        label=_("Vraagtekst in het Engels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    help_nl = forms.CharField(
        label=_("Toelichting bij de vraag"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    help_en = forms.CharField(
        label=_("Toelichting in het Engels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    options = forms.CharField(
        label=_("Antwoordopties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Bij één keuze, meer keuzes en matrix: één optie per regel als code=tekst, met "
            "desgewenst de Engelse tekst na een |, bijvoorbeeld 1=Ja | Yes. Codes 98 en 99 zijn "
            "voor weet niet en niet van toepassing."
        ),
    )
    rows = forms.CharField(
        label=_("Rijen van de matrix"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Alleen bij een matrix: één rij per regel als CODE=tekst, bijvoorbeeld "
            "EIGEN_RIJ_1=Snelheid | Speed. Elke rij is een eigen variabele."
        ),
    )
    required = forms.BooleanField(label=_("Verplicht"), required=False)
    dont_know = forms.BooleanField(label=_("Antwoord 'weet niet' (98) mogelijk"), required=False)
    not_applicable = forms.BooleanField(
        label=_("Antwoord 'niet van toepassing' (99) mogelijk"), required=False
    )
    minimum = forms.FloatField(label=_("Kleinste getal"), required=False)
    maximum = forms.FloatField(label=_("Grootste getal"), required=False)
    role = forms.ChoiceField(
        label=_("Rol in de analyse"),
        required=False,
        help_text=_(
            "Een aspect kan het totaaloordeel verklaren (prioriteitenmatrix); een open vraag "
            "verschijnt bij de resultaten; een achtergrondkenmerk dient voor de weging."
        ),
    )
    key = forms.CharField(
        label=_("Naam van het wegingskenmerk"),
        required=False,
        max_length=40,
        help_text=_("Alleen bij een achtergrondkenmerk, bijvoorbeeld wijk."),
    )
    condition_var = forms.ChoiceField(
        label=_("Alleen tonen als deze eerdere vraag"),
        required=False,
        help_text=_("Leeg: de vraag wordt altijd gesteld."),
    )
    condition_op = forms.ChoiceField(
        label=_("Vergelijking"),
        required=False,
        choices=[
            (op, label)
            for op, label in editing.OPERATOR_LABELS.items()
            if op in {"eq", "ne", "in", "not_in", "gte", "lte", "answered", "contains"}
        ],
    )
    condition_value = forms.CharField(
        label=_("Waarde"),
        required=False,
        max_length=200,
        help_text=_(
            "Een antwoordcode (bij ja/nee: 1 is ja, 0 is nee); bij 'is een van' meerdere codes "
            "met komma's, bijvoorbeeld 1, 2."
        ),
    )
    drop_condition = forms.BooleanField(label=_("Deze routering weghalen"), required=False)
    page = forms.ChoiceField(label=_("Pagina"))
    new_page_title = forms.CharField(
        label=_("Titel van de nieuwe pagina"),
        required=False,
        max_length=200,
        help_text=_("Alleen als u hierboven kiest voor een nieuwe pagina."),
    )

    def _choice_field(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def __init__(
        self,
        *args: Any,
        definition: Definition,
        existing: Question | None = None,
        **kwargs: Any,
    ) -> None:
        self.definition = definition
        self.existing = existing
        self.question: JSON = {}
        if existing is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(existing)
        super().__init__(*args, **kwargs)
        earlier: list[str] = []
        for question in definition.questions():
            if existing is not None and question.code == existing.code:
                break
            earlier.extend(question.variables())
        self._choice_field("condition_var").choices = [("", gettext("(altijd tonen)"))] + [
            (code, code) for code in earlier
        ]
        roles = list(OWN_ROLES)
        if existing is not None and existing.role not in roles:
            roles.append(existing.role)
        self._choice_field("role").choices = [(role, editing.ROLE_LABELS[role]) for role in roles]
        self.complex_condition = (
            existing.condition
            if existing is not None
            and existing.condition is not None
            and (existing.condition.all is not None or existing.condition.any is not None)
            else None
        )
        if self.complex_condition is None:
            del self.fields["drop_condition"]
        else:
            for name in ("condition_var", "condition_op", "condition_value"):
                del self.fields[name]
        if existing is not None:
            self.fields["code"].disabled = True
            self.fields["type"].disabled = existing.role in {"screening", "bsc"}
            del self.fields["page"]
            del self.fields["new_page_title"]
        else:
            self._choice_field("page").choices = [
                (page.key, page.title.nl) for page in definition.pages
            ] + [(NEW_PAGE, gettext("Nieuwe pagina aan het eind"))]

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        """The form's values for an existing question."""
        condition = question.condition
        simple = condition is not None and condition.var
        value = condition.value if simple and condition is not None else None
        values = value if isinstance(value, list) else ([] if value is None else [value])
        return {
            "type": question.type,
            "code": question.code,
            "text_nl": question.text.nl,
            "text_en": question.text.en,
            "help_nl": question.help.nl if question.help else "",
            "help_en": question.help.en if question.help else "",
            "options": lines_of(question.options) if question.type in CHOICE_TYPES else "",
            "rows": lines_of(question.rows),
            "required": question.required,
            "dont_know": question.dont_know,
            "not_applicable": question.not_applicable,
            "minimum": question.minimum,
            "maximum": question.maximum,
            "role": question.role,
            "key": question.key if question.role == "background" else "",
            "condition_var": condition.var if simple and condition is not None else "",
            "condition_op": condition.op if simple and condition is not None else "eq",
            "condition_value": ", ".join(
                str(int(v)) if isinstance(v, float) and v.is_integer() else str(v) for v in values
            ),
        }

    def _options(self, kind: str) -> list[JSON]:
        """The options typed in, keeping the keys an existing question's options had."""
        keys = {
            option.code: option.key for option in (self.existing.options if self.existing else [])
        }
        if kind not in CHOICE_TYPES and kind != "scale5":
            return []
        if kind == "scale5" and self.existing is not None:
            return [option.model_dump(exclude_defaults=True) for option in self.existing.options]
        try:
            lines = parse_lines(
                self.cleaned_data.get("options", ""), codes="int", field=gettext("antwoordoptie")
            )
        except ValidationError as error:
            self.add_error("options", error)
            return []
        result = []
        for code, nl, en in lines:
            option: JSON = {"code": int(code), "label": {"nl": nl, "en": en}}
            if keys.get(int(code)):
                option["key"] = keys[int(code)]
            result.append(option)
        return result

    def _rows(self, kind: str) -> list[JSON]:
        if kind != "matrix":
            return []
        previous = {row.code: row for row in (self.existing.rows if self.existing else [])}
        try:
            lines = parse_lines(
                self.cleaned_data.get("rows", ""), codes="var", field=gettext("rij")
            )
        except ValidationError as error:
            self.add_error("rows", error)
            return []
        rows = []
        for code, nl, en in lines:
            row: JSON = {"code": code, "label": {"nl": nl, "en": en}}
            if code in previous and previous[code].role:
                row["role"] = previous[code].role
                row["key"] = previous[code].key
            rows.append(row)
        return rows

    def _condition(self) -> JSON | None:
        if self.complex_condition is not None:
            if self.cleaned_data.get("drop_condition"):
                return None
            return self.complex_condition.model_dump(mode="json", exclude_none=True)
        var = self.cleaned_data.get("condition_var") or ""
        if not var:
            return None
        op = self.cleaned_data.get("condition_op") or "eq"
        raw = (self.cleaned_data.get("condition_value") or "").strip()
        if op == "answered":
            return {"var": var, "op": op}
        if not raw:
            self.add_error("condition_value", gettext("Vul de waarde in waarmee vergeleken wordt."))
            return None
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        values: list[float | str] = []
        for part in parts:
            try:
                values.append(float(part.replace(",", ".")))
            except ValueError:
                values.append(part)
        if op in {"in", "not_in"}:
            return {"var": var, "op": op, "value": values}
        if len(values) != 1:
            self.add_error(
                "condition_value",
                gettext("Vul één waarde in; meer waarden kan bij 'is een van'."),
            )
            return None
        return {"var": var, "op": op, "value": values[0]}

    def clean(self) -> dict[str, Any]:
        """Build the question JSON and check it against the definition's rules."""
        data = super().clean() or {}
        kind = data.get("type") or (self.existing.type if self.existing else "")
        if not kind or not data.get("text_nl"):
            return data
        question: JSON = {
            "code": (self.existing.code if self.existing else data.get("code", "")).strip(),
            "type": kind,
            "text": {"nl": data["text_nl"].strip(), "en": data.get("text_en", "").strip()},
            "required": bool(data.get("required")),
            "dont_know": bool(data.get("dont_know")),
            "not_applicable": bool(data.get("not_applicable")),
            "role": data.get("role") or "",
        }
        if data.get("help_nl", "").strip():
            question["help"] = {
                "nl": data["help_nl"].strip(),
                "en": data.get("help_en", "").strip(),
            }
        options = self._options(kind)
        if options:
            question["options"] = options
        rows = self._rows(kind)
        if rows:
            question["rows"] = rows
        if kind == "number":
            question["minimum"] = data.get("minimum")
            question["maximum"] = data.get("maximum")
        if question["role"] == "background":
            question["key"] = (data.get("key") or "").strip()
            if not question["key"]:
                self.add_error("key", gettext("Geef het wegingskenmerk een naam."))
        elif self.existing is not None and self.existing.key:
            question["key"] = self.existing.key
        condition = self._condition()
        if condition is not None:
            question["condition"] = condition
        if self.errors:
            return data
        try:
            self.question = editing.clean_question(question)
        except ValidationError as error:
            for message in error.messages:
                self.add_error(None, message)
        if (
            "page" in self.fields
            and data.get("page") == NEW_PAGE
            and not data.get("new_page_title", "").strip()
        ):
            self.add_error("new_page_title", gettext("Geef de nieuwe pagina een titel."))
        return data

    def placement(self) -> tuple[str, JSON | None]:
        """(page key, title of a new page or None) chosen on the form."""
        page = self.cleaned_data.get("page", "")
        if page == NEW_PAGE:
            return "", {"nl": self.cleaned_data["new_page_title"].strip()}
        return page, None
