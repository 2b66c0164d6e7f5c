"""Council voting records: the council, its parties and members, decisions and votes (issue 11 §3).

Every row carries its organisation (tenancy) and, where it came from outside, the identifier it
has in its source (``source_id``: a Popolo ``id``, or the name in a CSV file), so importing the
same data again updates rows instead of adding them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionKind(models.TextChoices):
    """What the council decided on."""

    MOTION = "motion", _("motie")
    AMENDMENT = "amendment", _("amendement")
    PROPOSAL = "proposal", _("raadsvoorstel")


class DecisionResult(models.TextChoices):
    """The outcome of a vote."""

    ADOPTED = "adopted", _("aangenomen")
    REJECTED = "rejected", _("verworpen")


class VoteChoice(models.TextChoices):
    """How one member voted."""

    FOR = "for", _("voor")
    AGAINST = "against", _("tegen")
    ABSTAIN = "abstain", _("onthouden")
    ABSENT = "absent", _("afwezig")


class PartyPosition(models.TextChoices):
    """How a party voted: its members' choice, or split when they differed."""

    FOR = "for", _("voor")
    AGAINST = "against", _("tegen")
    ABSTAIN = "abstain", _("onthouden")
    ABSENT = "absent", _("afwezig")
    SPLIT = "split", _("verdeeld")


class ImportSource(models.TextChoices):
    """Where imported council data came from."""

    POPOLO = "popolo", _("Popolo-JSON")
    CSV = "csv", _("CSV of Excel")
    API = "api", _("API")
    DEMO = "demo", _("demo")


class ImportStatus(models.TextChoices):
    """What became of an import."""

    DONE = "done", _("ingelezen")
    REJECTED = "rejected", _("afgewezen")


def _organisation() -> models.ForeignKey[object, object]:
    return models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("De organisatie waarvan de raad (of het algemeen bestuur) is."),
    )


def _source_id() -> models.CharField[str, str]:
    return models.CharField(
        _("bron-id"),
        max_length=200,
        help_text=_("De sleutel in de bron (Popolo-id of naam in het CSV-bestand)."),
    )


class Council(models.Model):
    """The elected body of one organisation: gemeenteraad, Provinciale Staten, algemeen bestuur."""

    organisation = models.OneToOneField(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="council",
        help_text=_("De organisatie waarvan dit de raad is."),
    )
    name = models.CharField(
        _("naam"), max_length=200, help_text=_("Bijvoorbeeld: gemeenteraad van Amstelstad.")
    )
    source_id = models.CharField(
        _("bron-id"),
        max_length=200,
        blank=True,
        help_text=_("De sleutel van de raad in de bron, als die er een heeft."),
    )
    updated_at = models.DateTimeField(
        _("bijgewerkt"),
        auto_now=True,
        help_text=_("Wanneer de gegevens voor het laatst veranderden."),
    )

    class Meta:
        verbose_name = _("raad")
        verbose_name_plural = _("raden")

    def __str__(self) -> str:
        return self.name


class Party(models.Model):
    """A party (fractie) in the council."""

    organisation = _organisation()
    source_id = _source_id()
    name = models.CharField(_("naam"), max_length=200, help_text=_("De naam van de fractie."))
    abbreviation = models.CharField(
        _("afkorting"),
        max_length=40,
        blank=True,
        help_text=_("Korte naam in tabellen, bijvoorbeeld PvdA; leeg: de naam."),
    )

    class Meta:
        verbose_name = _("fractie")
        verbose_name_plural = _("fracties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_id"], name="council_party_source_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """The abbreviation, or the name when there is none."""
        return self.abbreviation or self.name


class CouncilMember(models.Model):
    """A member of the council (raadslid); their party may change over time."""

    organisation = _organisation()
    source_id = _source_id()
    name = models.CharField(_("naam"), max_length=200, help_text=_("De naam van het raadslid."))

    class Meta:
        verbose_name = _("raadslid")
        verbose_name_plural = _("raadsleden")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_id"], name="council_member_source_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PartyMembership(models.Model):
    """A member's membership of a party, from a date until a date (both may be unknown)."""

    organisation = _organisation()
    member = models.ForeignKey(
        CouncilMember,
        verbose_name=_("raadslid"),
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text=_("Het raadslid."),
    )
    party = models.ForeignKey(
        Party,
        verbose_name=_("fractie"),
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text=_("De fractie waarvan het raadslid lid was."),
    )
    start_date = models.DateField(
        _("vanaf"),
        null=True,
        blank=True,
        help_text=_("Eerste dag van het lidmaatschap; leeg: onbekend."),
    )
    end_date = models.DateField(
        _("tot en met"),
        null=True,
        blank=True,
        help_text=_("Laatste dag van het lidmaatschap; leeg: nog lid of onbekend."),
    )

    class Meta:
        verbose_name = _("fractielidmaatschap")
        verbose_name_plural = _("fractielidmaatschappen")
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "party", "start_date"],
                name="council_membership_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} – {self.party_id}"


class Meeting(models.Model):
    """A council meeting at which decisions were voted on."""

    organisation = _organisation()
    source_id = _source_id()
    name = models.CharField(
        _("naam"), max_length=300, blank=True, help_text=_("Bijvoorbeeld: raadsvergadering.")
    )
    date = models.DateField(_("datum"), help_text=_("De dag van de vergadering."))

    class Meta:
        verbose_name = _("vergadering")
        verbose_name_plural = _("vergaderingen")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_id"], name="council_meeting_source_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.date}"


class Decision(models.Model):
    """A motion, amendment or proposal the council voted on, with the result and the totals."""

    organisation = _organisation()
    source_id = _source_id()
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("vergadering"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        help_text=_("De vergadering waarin gestemd werd, als die bekend is."),
    )
    kind = models.CharField(
        _("soort"),
        max_length=12,
        choices=DecisionKind.choices,
        help_text=_("Motie, amendement of raadsvoorstel."),
    )
    title = models.CharField(_("titel"), max_length=500, help_text=_("De titel van het besluit."))
    text = models.TextField(
        _("tekst"), blank=True, help_text=_("De tekst of een samenvatting van het besluit.")
    )
    date = models.DateField(_("datum"), help_text=_("De dag waarop gestemd werd."))
    result = models.CharField(
        _("uitslag"),
        max_length=10,
        choices=DecisionResult.choices,
        help_text=_("Aangenomen of verworpen."),
    )
    links = models.JSONField(
        _("links"),
        default=list,
        blank=True,
        help_text=_("Links naar documenten: een lijst van {url, label}."),
    )
    votes_for = models.PositiveIntegerField(
        _("stemmen voor"), default=0, help_text=_("Aantal stemmen voor.")
    )
    votes_against = models.PositiveIntegerField(
        _("stemmen tegen"), default=0, help_text=_("Aantal stemmen tegen.")
    )
    votes_abstain = models.PositiveIntegerField(
        _("onthoudingen"), default=0, help_text=_("Aantal leden dat zich onthield.")
    )
    votes_absent = models.PositiveIntegerField(
        _("afwezig"), default=0, help_text=_("Aantal leden dat afwezig was.")
    )

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_id"], name="council_decision_source_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "-date"], name="council_decision_date")]

    def __str__(self) -> str:
        return self.title


class MemberVote(models.Model):
    """How one member voted on one decision, and for which party they sat then."""

    organisation = _organisation()
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("besluit"),
        on_delete=models.CASCADE,
        related_name="member_votes",
        help_text=_("Het besluit waarover gestemd werd."),
    )
    member = models.ForeignKey(
        CouncilMember,
        verbose_name=_("raadslid"),
        on_delete=models.CASCADE,
        related_name="votes",
        help_text=_("Het raadslid dat stemde."),
    )
    party = models.ForeignKey(
        Party,
        verbose_name=_("fractie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member_votes",
        help_text=_("De fractie van het raadslid op de dag van de stemming."),
    )
    choice = models.CharField(
        _("stem"),
        max_length=10,
        choices=VoteChoice.choices,
        help_text=_("Voor, tegen, onthouden of afwezig."),
    )

    class Meta:
        verbose_name = _("stem van een raadslid")
        verbose_name_plural = _("stemmen van raadsleden")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "member"], name="council_member_vote_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.choice}"


class PartyVote(models.Model):
    """How one party voted on one decision: its position and its members' votes counted."""

    organisation = _organisation()
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("besluit"),
        on_delete=models.CASCADE,
        related_name="party_votes",
        help_text=_("Het besluit waarover gestemd werd."),
    )
    party = models.ForeignKey(
        Party,
        verbose_name=_("fractie"),
        on_delete=models.CASCADE,
        related_name="votes",
        help_text=_("De fractie."),
    )
    position = models.CharField(
        _("standpunt"),
        max_length=10,
        choices=PartyPosition.choices,
        help_text=_("Hoe de fractie stemde; verdeeld als haar leden verschillend stemden."),
    )
    votes_for = models.PositiveIntegerField(
        _("stemmen voor"), default=0, help_text=_("Leden van de fractie die voor stemden.")
    )
    votes_against = models.PositiveIntegerField(
        _("stemmen tegen"), default=0, help_text=_("Leden van de fractie die tegen stemden.")
    )
    votes_abstain = models.PositiveIntegerField(
        _("onthoudingen"), default=0, help_text=_("Leden van de fractie die zich onthielden.")
    )
    votes_absent = models.PositiveIntegerField(
        _("afwezig"), default=0, help_text=_("Leden van de fractie die afwezig waren.")
    )

    class Meta:
        verbose_name = _("stem van een fractie")
        verbose_name_plural = _("stemmen van fracties")
        constraints = [
            models.UniqueConstraint(fields=["decision", "party"], name="council_party_vote_unique")
        ]

    def __str__(self) -> str:
        return f"{self.party_id}: {self.position}"


class CouncilImport(models.Model):
    """One import of council data (a file, an API push or the demo): what it changed, or why not."""

    organisation = _organisation()
    source = models.CharField(
        _("bron"), max_length=10, choices=ImportSource.choices, help_text=_("Popolo, CSV of API.")
    )
    filename = models.CharField(
        _("bestandsnaam"), max_length=255, blank=True, help_text=_("De naam van het bestand.")
    )
    sha256 = models.CharField(
        _("controlegetal"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 van het bestand: hetzelfde bestand heeft hetzelfde controlegetal."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ImportStatus.choices,
        help_text=_("Ingelezen of afgewezen."),
    )
    decisions_created = models.PositiveIntegerField(
        _("nieuwe besluiten"), default=0, help_text=_("Besluiten die er nog niet waren.")
    )
    decisions_updated = models.PositiveIntegerField(
        _("bijgewerkte besluiten"), default=0, help_text=_("Besluiten waarvan iets veranderde.")
    )
    decisions_unchanged = models.PositiveIntegerField(
        _("ongewijzigde besluiten"), default=0, help_text=_("Besluiten die al zo waren opgeslagen.")
    )
    others_changed = models.PositiveIntegerField(
        _("andere wijzigingen"),
        default=0,
        help_text=_("Nieuwe of gewijzigde fracties, raadsleden, lidmaatschappen en vergaderingen."),
    )
    problems = models.JSONField(
        _("problemen"),
        default=list,
        blank=True,
        help_text=_("Waarom het bestand werd afgewezen: een lijst van {row, column, message}."),
    )
    problems_total = models.PositiveIntegerField(
        _("aantal problemen"), default=0, help_text=_("Alle gevonden problemen, ook niet-getoonde.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("De medewerker die importeerde; leeg bij een API-token of de demo."),
    )
    by_label = models.CharField(
        _("door (label)"),
        max_length=120,
        blank=True,
        help_text=_("Wie importeerde als het geen medewerker was, zoals token:naam."),
    )
    created_at = models.DateTimeField(
        _("moment"), auto_now_add=True, help_text=_("Wanneer de import plaatsvond.")
    )

    class Meta:
        verbose_name = _("import van raadsgegevens")
        verbose_name_plural = _("imports van raadsgegevens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def changed_anything(self) -> bool:
        """Whether this import added or changed anything."""
        return bool(self.decisions_created or self.decisions_updated or self.others_changed)
