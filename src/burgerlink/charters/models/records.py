"""Service records (contacts and cases) with their measured verdict, and import batches.

A record carries the verdict of the one charter norm that measures it (chosen by channel for a
contact, by case type for a case, in the charter version valid on the record's date). Keeping the
verdict on the record row lets an import write each record once (one COPY on PostgreSQL) and lets
reports aggregate one table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from burgerlink.charters.compliance import Verdict
from burgerlink.charters.models.norms import TERM_UNIT_LABELS
from burgerlink.core.calendar import TermUnit

# The verdict is defined once, in the compliance engine; here it gets its labels.
VERDICT_LABELS = {
    Verdict.UNMEASURED: _("niet gemeten"),
    Verdict.MET: _("gehaald"),
    Verdict.MISSED: _("niet gehaald"),
    Verdict.OPEN: _("nog open"),
}
VERDICT_CHOICES = [(verdict.value, label) for verdict, label in VERDICT_LABELS.items()]
# An extension (Awb 4:14) is given in weeks or calendar days.
EXTENSION_UNIT_CHOICES = [
    (unit.value, TERM_UNIT_LABELS[unit]) for unit in (TermUnit.WEEKS, TermUnit.CALENDAR_DAYS)
]


class BatchKind(models.TextChoices):
    """What an import file holds."""

    CONTACTS = "contacts", _("klantcontacten")
    CASES = "cases", _("zaken")
    SUSPENSIONS = "suspensions", _("opschortingen")
    EXTENSIONS = "extensions", _("verdagingen")


class BatchStatus(models.TextChoices):
    """Life cycle of an import."""

    RUNNING = "running", _("bezig")
    DONE = "done", _("klaar")
    FAILED = "failed", _("afgewezen")


class ImportBatch(models.Model):
    """One imported file or pushed batch: counts, and row-level errors when it was refused."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("De organisatie waarvoor de gegevens zijn aangeleverd."),
    )
    kind = models.CharField(
        _("soort"),
        max_length=12,
        choices=BatchKind.choices,
        help_text=_("Welke soort gegevens: klantcontacten, zaken, opschortingen of verdagingen."),
    )
    source = models.CharField(
        _("bron"), max_length=20, default="upload", help_text=_("upload, cli of api")
    )
    file_format = models.CharField(
        _("formaat"),
        max_length=30,
        blank=True,
        help_text=_("Formaat van het bestand: CSV, XLSX of JSON."),
    )
    filename = models.CharField(
        _("bestandsnaam"),
        max_length=255,
        blank=True,
        help_text=_("Naam van het aangeleverde bestand."),
    )
    sha256 = models.CharField(
        _("controlegetal"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 van het bestand; herkent een bestand dat nog eens wordt aangeleverd."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BatchStatus.choices,
        default=BatchStatus.RUNNING,
        help_text=_("Bezig, klaar of afgewezen; een afgewezen bestand heeft niets opgeslagen."),
    )
    rows_total = models.PositiveIntegerField(
        _("rijen"), default=0, help_text=_("Aantal gelezen rijen.")
    )
    rows_created = models.PositiveIntegerField(
        _("nieuw"), default=0, help_text=_("Aantal rijen dat nieuw is opgeslagen.")
    )
    rows_updated = models.PositiveIntegerField(
        _("bijgewerkt"),
        default=0,
        help_text=_("Aantal rijen dat een bestaand gegeven heeft gewijzigd."),
    )
    rows_unchanged = models.PositiveIntegerField(
        _("ongewijzigd"), default=0, help_text=_("Aantal rijen dat al zo was opgeslagen.")
    )
    errors = models.JSONField(
        _("fouten"),
        default=list,
        blank=True,
        help_text=_("Fouten per rij en kolom waarom het bestand is afgewezen (ten hoogste 200)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aangeleverd door"),
        help_text=_(
            "De medewerker die het bestand aanleverde; leeg bij de API of de opdrachtregel."
        ),
    )
    started_at = models.DateTimeField(
        _("begonnen"), auto_now_add=True, help_text=_("Moment waarop de import begon.")
    )
    finished_at = models.DateTimeField(
        _("klaar"),
        null=True,
        blank=True,
        help_text=_("Moment waarop de import klaar of afgewezen was."),
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename} ({self.get_status_display()})"


class Measured(models.Model):
    """Columns every measured record has: the norm that applies and the verdict.

    The record tables hold millions of rows per organisation. Their foreign keys carry no database
    constraint: PostgreSQL checks deferred constraints row by row at commit, which costs more
    than loading the rows. The import validates every id it writes, and deletes go through the
    ORM, which still applies ``on_delete``.
    """

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,  # covered by the (organisation, source_id) and (organisation, period) indexes
        help_text=_("De organisatie die het contact of de zaak behandelt."),
    )
    source_id = models.CharField(
        _("kenmerk in het bronsysteem"), max_length=64, help_text=_("Uniek per organisatie.")
    )
    received_at = models.DateTimeField(
        _("ontvangen"), help_text=_("Moment van ontvangst; hier begint de klok van de norm.")
    )
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,  # partial index on missed records only (compensation after an import)
        help_text=_("De import waarmee dit gegeven binnenkwam of voor het laatst veranderde."),
    )
    norm = models.ForeignKey(
        "charters.CharterNorm",
        verbose_name=_("norm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("De norm uit de versie van het handvest die gold op de datum van ontvangst."),
        db_constraint=False,
        db_index=False,  # reports reach norms through (organisation, period, norm)
    )
    deadline = models.DateTimeField(
        _("uiterste moment"),
        null=True,
        blank=True,
        help_text=_("Uiterste moment volgens de norm; leeg als geen norm dit meet."),
    )
    verdict = models.PositiveSmallIntegerField(
        _("uitkomst"),
        choices=VERDICT_CHOICES,
        default=Verdict.UNMEASURED,
        help_text=_("Uitkomst tegen de norm: gehaald, niet gehaald, nog open of niet gemeten."),
    )
    lateness_seconds = models.BigIntegerField(
        _("te laat (seconden)"), null=True, blank=True, help_text=_("Alleen bij niet gehaald.")
    )
    period = models.DateField(
        _("maand"), help_text=_("Eerste dag van de maand van ontvangst (Nederlandse tijd).")
    )

    class Meta:
        abstract = True


class Contact(Measured):
    """A contact between a citizen and the organisation (klantcontact)."""

    channel = models.ForeignKey(
        "core.Channel",
        verbose_name=_("kanaal"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
        help_text=_("Het kanaal waarlangs de burger contact opnam."),
    )
    handled_at = models.DateTimeField(
        _("afgehandeld"), null=True, blank=True, help_text=_("Opgenomen, beantwoord of geholpen.")
    )
    wait_seconds = models.PositiveIntegerField(
        _("wachttijd (seconden)"), null=True, blank=True, help_text=_("Telefoon en balie.")
    )
    answered = models.BooleanField(
        _("vraag beantwoord"),
        null=True,
        blank=True,
        help_text=_("Of de vraag in dit contact beantwoord is; leeg: onbekend."),
    )
    reclassified_as = models.ForeignKey(
        "core.Channel",
        verbose_name=_("behandeld als"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Bijvoorbeeld een e-mail die als brief is behandeld."),
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("klantcontact")
        verbose_name_plural = _("klantcontacten")
        # Source id first: a unique index is built or checked by sorting, and only the first
        # column gets PostgreSQL's cheap abbreviated keys; within an organisation's partition
        # the organisation is the same on every row, so leading with it doubles the build time.
        constraints = [
            models.UniqueConstraint(fields=["source_id", "organisation"], name="contact_source")
        ]
        # The (organisation, period) index is a BRIN index on PostgreSQL, created in migration
        # 0005: a few kilobytes for millions of rows, and free to maintain during bulk loads.
        indexes = [
            models.Index(
                fields=["organisation", "deadline"],
                condition=models.Q(verdict=Verdict.OPEN),
                name="contact_open",
            ),
            models.Index(
                fields=["batch"],
                condition=models.Q(verdict=Verdict.MISSED),
                name="contact_missed_batch",
            ),
        ]

    def __str__(self) -> str:
        return self.source_id


class Case(Measured):
    """A case (zaak): an application, complaint or request decided within a term."""

    case_type = models.SlugField(
        _("zaaktype of product"),
        max_length=80,
        help_text=_(
            "Zaaktype of product, bijvoorbeeld omgevingsvergunning-regulier; kiest de norm."
        ),
    )
    complete_at = models.DateTimeField(
        _("aanvraag compleet"), null=True, blank=True, help_text=_("Leeg: compleet bij ontvangst.")
    )
    decided_at = models.DateTimeField(
        _("besloten"), null=True, blank=True, help_text=_("Moment van het besluit; leeg: nog open.")
    )
    suspended_days = models.PositiveIntegerField(
        _("dagen opgeschort"), default=0, help_text=_("Som van de opschortingen (Awb 4:15).")
    )
    extended_days = models.PositiveIntegerField(
        _("dagen verdaagd"), default=0, help_text=_("Som van de verdagingen (Awb 4:14).")
    )

    class Meta:
        verbose_name = _("zaak")
        verbose_name_plural = _("zaken")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "source_id"], name="case_source")
        ]
        indexes = [
            models.Index(fields=["organisation", "period", "norm"], name="case_period"),
            models.Index(
                fields=["organisation", "deadline"],
                condition=models.Q(verdict=Verdict.OPEN),
                name="case_open",
            ),
            models.Index(
                fields=["batch"],
                condition=models.Q(verdict=Verdict.MISSED),
                name="case_missed_batch",
            ),
        ]

    def __str__(self) -> str:
        return self.source_id


class Suspension(models.Model):
    """A period in which a decision term stood still (opschorting, Awb 4:15)."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("De organisatie van de zaak."),
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("zaak"),
        on_delete=models.CASCADE,
        related_name="suspensions",
        help_text=_("De zaak waarvan de termijn stilstond."),
    )
    start = models.DateField(_("begin"), help_text=_("De dag van het verzoek om aan te vullen."))
    end = models.DateField(
        _("einde"), null=True, blank=True, help_text=_("De dag van aanvulling; leeg: loopt nog.")
    )
    reason = models.CharField(
        _("reden"), max_length=200, blank=True, help_text=_("Waarom de termijn is opgeschort.")
    )
    legal_basis = models.CharField(
        _("grondslag"),
        max_length=60,
        default="Awb 4:15",
        help_text=_("Het wetsartikel dat de opschorting toestaat."),
    )

    class Meta:
        verbose_name = _("opschorting")
        verbose_name_plural = _("opschortingen")
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["case", "start"], name="suspension_start"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="suspension_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.start}–{self.end or ''}"


class Extension(models.Model):
    """An extension of a decision term with notice (verdaging, Awb 4:14)."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("De organisatie van de zaak."),
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("zaak"),
        on_delete=models.CASCADE,
        related_name="extensions",
        help_text=_("De zaak waarvan de termijn is verdaagd."),
    )
    amount = models.PositiveIntegerField(
        _("duur"), help_text=_("Met hoeveel de termijn verlengd is, in de eenheid hiernaast.")
    )
    unit = models.CharField(
        _("eenheid"),
        max_length=20,
        choices=EXTENSION_UNIT_CHOICES,
        help_text=_("Weken of kalenderdagen."),
    )
    reason = models.CharField(
        _("reden"), max_length=200, blank=True, help_text=_("Waarom de termijn is verdaagd.")
    )
    legal_basis = models.CharField(
        _("grondslag"),
        max_length=60,
        default="Awb 4:14",
        help_text=_("Het wetsartikel dat de verdaging toestaat."),
    )

    class Meta:
        verbose_name = _("verdaging")
        verbose_name_plural = _("verdagingen")

    def __str__(self) -> str:
        return f"{self.case_id} +{self.amount} {self.unit}"
