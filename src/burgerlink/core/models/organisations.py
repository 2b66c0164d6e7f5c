"""Organisations, staff users and their roles per organisation."""

from __future__ import annotations

import re
import unicodedata
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burgerlink.core.colours import contrast_ratio
from burgerlink.core.geo.areas import validate_area

HEX_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
HEX_COLOUR = RegexValidator(HEX_PATTERN, _("Gebruik een kleur als #RRGGBB."))


class OrganisationKind(models.TextChoices):
    """The kinds of government organisation the platform knows."""

    MUNICIPALITY = "municipality", _("Gemeente")
    PROVINCE = "province", _("Provincie")
    WATER_BOARD = "water_board", _("Waterschap")
    NATIONAL_AGENCY = "national_agency", _("Landelijke uitvoeringsorganisatie")
    OTHER = "other", _("Overig")


class SizeClass(models.TextChoices):
    """Size classes by number of inhabitants, used to benchmark like with like."""

    XS = "xs", _("minder dan 10.000 inwoners")
    S = "s", _("10.000 tot 20.000 inwoners")
    M = "m", _("20.000 tot 50.000 inwoners")
    L = "l", _("50.000 tot 100.000 inwoners")
    XL = "xl", _("100.000 tot 250.000 inwoners")
    XXL = "xxl", _("250.000 inwoners of meer")
    NONE = "none", _("geen grootteklasse")


SIZE_CLASS_BOUNDS: list[tuple[int, str]] = [
    (10_000, SizeClass.XS),
    (20_000, SizeClass.S),
    (50_000, SizeClass.M),
    (100_000, SizeClass.L),
    (250_000, SizeClass.XL),
]


def size_class_for(inhabitants: int | None) -> str:
    """Return the size class for a number of inhabitants (``none`` when unknown)."""
    if inhabitants is None:
        return SizeClass.NONE
    for upper, size_class in SIZE_CLASS_BOUNDS:
        if inhabitants < upper:
            return size_class
    return SizeClass.XXL


# CBS codes for municipalities (GM0363), provinces (PV27) and water boards (WS0155); national
# agencies use their OIN (organisatie-identificatienummer, 20 digits).
OFFICIAL_CODE_PATTERNS: dict[str, re.Pattern[str]] = {
    OrganisationKind.MUNICIPALITY: re.compile(r"^GM\d{4}$"),
    OrganisationKind.PROVINCE: re.compile(r"^PV\d{2}$"),
    OrganisationKind.WATER_BOARD: re.compile(r"^WS\d{4}$"),
    OrganisationKind.NATIONAL_AGENCY: re.compile(r"^\d{20}$"),
}
OIN = re.compile(r"^\d{20}$")


class Organisation(models.Model):
    """A government organisation that uses the platform; the tenant of every owned row."""

    kind = models.CharField(
        _("soort"),
        max_length=20,
        choices=OrganisationKind.choices,
        db_index=True,
        help_text=_("Soort overheidsorganisatie; bepaalt welke officiële code geldig is."),
    )
    name = models.CharField(_("naam"), max_length=200, help_text=_("Officiële naam."))
    slug = models.SlugField(
        _("slug"), unique=True, max_length=80, help_text=_("Korte naam in webadressen.")
    )
    official_code = models.CharField(
        _("officiële code"),
        max_length=20,
        blank=True,
        help_text=_("CBS-code (GM0363, PV27, WS0155) of OIN (20 cijfers)."),
    )
    inhabitants = models.PositiveIntegerField(
        _("inwoners"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Aantal inwoners van het gebied; bepaalt de grootteklasse voor vergelijkingen."
        ),
    )
    size_class = models.CharField(
        _("grootteklasse"),
        max_length=4,
        choices=SizeClass.choices,
        default=SizeClass.NONE,
        editable=False,
        db_index=True,
        help_text=_("Volgt uit het aantal inwoners."),
    )
    agency = models.ForeignKey(
        "core.Agency",
        verbose_name=_("rol in ketens"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Welke schakel in de keten van levensgebeurtenissen deze organisatie is."),
    )
    description = models.TextField(
        _("beschrijving"),
        blank=True,
        help_text=_("Korte beschrijving op de openbare pagina's, in het Nederlands."),
    )
    description_en = models.TextField(
        _("beschrijving (Engels)"),
        blank=True,
        help_text=_("Korte beschrijving op de openbare pagina's, in het Engels."),
    )
    website = models.URLField(
        _("website"), blank=True, help_text=_("Adres van de eigen website van de organisatie.")
    )
    primary_colour = models.CharField(
        _("hoofdkleur"),
        max_length=7,
        default="#154273",
        validators=[HEX_COLOUR],
        help_text=_("Achtergrond van knoppen en koppen; wit moet erop leesbaar zijn (4,5:1)."),
    )
    accent_colour = models.CharField(
        _("accentkleur"),
        max_length=7,
        default="#01689b",
        validators=[HEX_COLOUR],
        help_text=_("Kleur van links op wit; moet leesbaar zijn (4,5:1)."),
    )
    logo = models.FileField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        help_text=_("Logo op de openbare pagina's van de organisatie."),
    )
    area = models.TextField(
        _("gebied"),
        blank=True,
        validators=[validate_area],
        help_text=_(
            "Het werkgebied als GeoJSON (Polygon of MultiPolygon, posities als lengtegraad, "
            "breedtegraad in WGS 84). Plekken die burgers opgeven moeten erin liggen; leeg: "
            "heel Nederland."
        ),
    )
    is_active = models.BooleanField(
        _("actief"),
        default=True,
        help_text=_("Uit: de organisatie en haar pagina's zijn niet meer zichtbaar."),
    )
    created_at = models.DateTimeField(
        _("aangemaakt"),
        auto_now_add=True,
        help_text=_("Moment waarop de organisatie op het platform kwam."),
    )

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["official_code"],
                condition=~models.Q(official_code=""),
                name="organisation_official_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        """Derive the size class from the number of inhabitants before saving."""
        self.size_class = size_class_for(self.inhabitants)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        """Check the official code against the kind and the colours against WCAG contrast."""
        errors: dict[str, str] = {}
        pattern = OFFICIAL_CODE_PATTERNS.get(self.kind)
        if self.official_code and pattern and not pattern.match(self.official_code):
            errors["official_code"] = str(
                _("Deze code past niet bij de soort organisatie (bijvoorbeeld GM0363 of een OIN).")
            )
        elif self.official_code and not pattern and not OIN.match(self.official_code):
            errors["official_code"] = str(_("Gebruik een OIN van 20 cijfers."))
        for field in ("primary_colour", "accent_colour"):
            value = getattr(self, field)
            if HEX_PATTERN.match(value) and contrast_ratio(value, "#ffffff") < 4.5:
                errors[field] = str(_("Te weinig contrast met wit (minimaal 4,5:1 voor WCAG AA)."))
        if errors:
            raise ValidationError(errors)


def normalise_username(raw: str) -> str:
    """Return the one spelling of a username that logins, throttling and storage all use.

    Surrounding whitespace is dropped, compatibility characters are folded (Unicode NFKC) and
    case is folded, so ``" Anna.Admin"``, ``"anna.admin"`` and a full-width ``"ａｎｎａ.admin"``
    name the same account and count towards the same login throttle.
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", raw.strip()).casefold())


class NormalisedUserManager(UserManager["User"]):
    """Finds accounts by the normalised username, so every login path compares one spelling."""

    def get_by_natural_key(self, username: str | None) -> User:
        """Return the account whose stored (normalised) username matches ``username``."""
        return self.get(username=normalise_username(username or ""))


class User(AbstractUser):
    """A person with an account: staff of an organisation, a platform operator or a citizen."""

    objects: ClassVar[NormalisedUserManager] = NormalisedUserManager()

    # Django's own columns, repeated only to give each a label and help text in our words; the
    # columns themselves are Django's (same types and sizes).
    password = models.CharField(
        _("wachtwoord"),
        max_length=128,
        help_text=_("Alleen een hash van het wachtwoord wordt bewaard, nooit het wachtwoord zelf."),
    )
    last_login = models.DateTimeField(
        _("laatste aanmelding"),
        blank=True,
        null=True,
        help_text=_("Moment van de laatste geslaagde aanmelding."),
    )
    first_name = models.CharField(
        _("voornaam"), max_length=150, blank=True, help_text=_("Voornaam zoals collega's die zien.")
    )
    last_name = models.CharField(
        _("achternaam"),
        max_length=150,
        blank=True,
        help_text=_("Achternaam zoals collega's die zien."),
    )
    email = models.EmailField(
        _("e-mailadres"),
        blank=True,
        help_text=_("Adres voor uitnodigingen, meldingen en het herstellen van het wachtwoord."),
    )
    date_joined = models.DateTimeField(
        _("aangemaakt"),
        default=timezone.now,
        help_text=_("Moment waarop het account is aangemaakt."),
    )
    is_platform_operator = models.BooleanField(
        _("platformbeheerder"),
        default=False,
        help_text=_("Beheert de catalogi: BurgerServiceCode, levensgebeurtenissen, kanalen."),
    )
    preferred_language = models.CharField(
        _("voorkeurstaal"),
        max_length=5,
        blank=True,
        choices=[("nl", "Nederlands"), ("en", "English")],
        help_text=_("Taal van de schermen en e-mails; leeg: de taal van de browser."),
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    @classmethod
    def normalize_username(cls, username: str) -> str:
        """Store usernames in the spelling that login and throttling use (see above)."""
        return normalise_username(username) if isinstance(username, str) else username

    def display_name(self) -> str:
        """Return the full name, falling back to the username."""
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    """Roles a staff member can hold within one organisation."""

    ADMINISTRATOR = "administrator", _("Beheerder")
    QUALITY_MANAGER = "quality_manager", _("Kwaliteitsmanager")
    RESEARCHER = "researcher", _("Onderzoeker")
    PARTICIPATION_OFFICER = "participation_officer", _("Participatiemedewerker (moderator)")
    COMMUNICATIONS = "communications", _("Communicatie")


class Membership(models.Model):
    """One role of one user in one organisation; a user may hold several."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text=_("De organisatie waarin de gebruiker deze rol heeft."),
    )
    user = models.ForeignKey(
        User,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text=_("De medewerker met deze rol."),
    )
    role = models.CharField(
        _("rol"),
        max_length=30,
        choices=Role.choices,
        help_text=_("De rol; die bepaalt wat de medewerker in de organisatie mag."),
    )
    created_at = models.DateTimeField(
        _("sinds"), auto_now_add=True, help_text=_("Moment waarop de rol is toegekend.")
    )

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


class Invitation(models.Model):
    """An offer of a role in an organisation, sent by e-mail; a membership only when accepted.

    Only a hash of the link's secret is stored. Nobody is attached to an organisation without
    opening the link and pressing "accept" while signed in to the invited address's account (or
    creating that account there).
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="invitations",
        help_text=_("De organisatie waarin de rol wordt aangeboden."),
    )
    email = models.EmailField(
        _("e-mailadres"), help_text=_("Het adres waarnaar de uitnodiging is gestuurd.")
    )
    role = models.CharField(
        _("rol"), max_length=30, choices=Role.choices, help_text=_("De aangeboden rol.")
    )
    first_name = models.CharField(
        _("voornaam"),
        max_length=150,
        blank=True,
        help_text=_("Voor een nieuw account; een bestaand account houdt zijn eigen naam."),
    )
    last_name = models.CharField(
        _("achternaam"),
        max_length=150,
        blank=True,
        help_text=_("Voor een nieuw account; een bestaand account houdt zijn eigen naam."),
    )
    token_hash = models.CharField(
        _("hash van de link"),
        max_length=64,
        unique=True,
        help_text=_("SHA-256 van het geheim in de link; het geheim zelf wordt niet bewaard."),
    )
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("uitgenodigd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("De beheerder die de uitnodiging stuurde."),
    )
    created_at = models.DateTimeField(
        _("verstuurd"), auto_now_add=True, help_text=_("Wanneer de uitnodiging is verstuurd.")
    )
    expires_at = models.DateTimeField(
        _("verloopt"), help_text=_("Na dit moment werkt de link niet meer.")
    )
    accepted_at = models.DateTimeField(
        _("geaccepteerd"),
        null=True,
        blank=True,
        help_text=_("Wanneer de uitnodiging is geaccepteerd; leeg zolang dat niet is gebeurd."),
    )
    accepted_by = models.ForeignKey(
        User,
        verbose_name=_("geaccepteerd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Het account dat de rol kreeg."),
    )

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "email"])]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()} – {self.organisation}"
