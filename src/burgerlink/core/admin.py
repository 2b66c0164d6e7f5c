"""The operator's admin (/beheer/): catalogues, the BurgerServiceCode, organisations, decree days.

Only platform operators (and superusers) get in; organisations' own staff work in the staff area.
Published versions of the code are read-only here: the operator drafts a new version instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from burgerlink.core import permissions, services
from burgerlink.core.models import (
    Agency,
    ApiToken,
    AuditEvent,
    ChainLink,
    Channel,
    ChecklistItem,
    DecreeHoliday,
    LifeEvent,
    Membership,
    Norm,
    NormSet,
    Organisation,
    Theme,
    User,
)
from burgerlink.core.permissions import acting_user


class OperatorSite(admin.AdminSite):
    """The admin site, open to platform operators only."""

    site_header = _("Burgerlink platformbeheer")
    site_title = _("Platformbeheer")
    index_title = _("Catalogi en referentiegegevens")

    def has_permission(self, request: HttpRequest) -> bool:
        """Platform operators and superusers only, with their TOTP code when it is required."""
        user = request.user
        return bool(
            user.is_active
            and (user.is_superuser or permissions.is_platform_operator(user))
            and not permissions.second_factor_missing(user)
        )

    @method_decorator(never_cache)
    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """No login form of its own: the platform's login (throttled, with TOTP) is the only one.

        Signed in without the TOTP code that is required: set it up first. Signed in without
        operator rights: 403, rather than a second login form.
        """
        user = request.user
        if user.is_authenticated and permissions.second_factor_missing(user):
            return redirect("web:totp-setup")
        if user.is_authenticated:
            raise PermissionDenied("Only platform operators use the admin")
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        return redirect_to_login(next_url, reverse("web:login"))


site = OperatorSite(name="admin")


class OperatorAdmin(admin.ModelAdmin[Any]):
    """Full rights for operators; Django's per-model permissions are not used."""

    def _operator(self, request: HttpRequest) -> bool:
        return site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Operators may view."""
        return self._operator(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Operators may add."""
        return self._operator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Operators may change."""
        return self._operator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Operators may delete."""
        return self._operator(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        """Operators see every module."""
        return self._operator(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Save, and write the change to the platform's audit log."""
        super().save_model(request, obj, form, change)
        services.record_audit(
            actor=acting_user(request),
            action=f"admin.{'change' if change else 'add'}",
            obj=obj,
            summary=str(obj)[:200],
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        """Write the deletion to the audit log, then delete."""
        services.record_audit(
            actor=acting_user(request),
            action="admin.delete",
            obj=obj,
            summary=str(obj)[:200],
        )
        super().delete_model(request, obj)


class ReadOnlyAdmin(OperatorAdmin):
    """Logs and secrets: operators may look, never change."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Nobody adds by hand."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Nobody edits by hand."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Nobody deletes by hand."""
        return False


class MembershipInline(admin.TabularInline[Membership, Organisation]):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation, site=site)
class OrganisationAdmin(OperatorAdmin):
    list_display = ["name", "kind", "official_code", "inhabitants", "size_class", "is_active"]
    list_filter = ["kind", "size_class", "is_active"]
    search_fields = ["name", "slug", "official_code"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(User, site=site)
class UserAdmin(OperatorAdmin):
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_platform_operator",
        "is_active",
    ]
    list_filter = ["is_platform_operator", "is_active"]
    search_fields = ["username", "email", "first_name", "last_name"]
    exclude = ["password", "user_permissions", "groups"]
    readonly_fields = ["last_login", "date_joined"]


class ChecklistItemInline(admin.TabularInline[ChecklistItem, Norm]):
    model = ChecklistItem
    extra = 0


@admin.register(Norm, site=site)
class NormAdmin(OperatorAdmin):
    list_display = ["number", "name_nl", "name_en", "category", "norm_set"]
    list_filter = ["norm_set", "category"]
    inlines = [ChecklistItemInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Norms of a published version are history."""
        if obj is not None and not obj.norm_set.is_editable:
            return False
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission


class NormInline(admin.StackedInline[Norm, NormSet]):
    model = Norm
    extra = 0
    show_change_link = True


@admin.register(NormSet, site=site)
class NormSetAdmin(OperatorAdmin):
    list_display = ["version", "title", "status", "published_at"]
    readonly_fields = ["status", "published_at"]
    inlines = [NormInline]
    actions = ["draft_next_version", "publish"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Published and retired versions cannot change."""
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission

    @admin.action(description=_("Nieuwe conceptversie maken op basis van deze versie"))
    def draft_next_version(self, request: HttpRequest, queryset: QuerySet[NormSet]) -> None:
        """Copy each selected version into a draft with the next minor version number."""
        for norm_set in queryset:
            major, _dot, minor = norm_set.version.partition(".")
            version = (
                f"{major}.{int(minor or 0) + 1}"
                if minor.isdigit() or not minor
                else f"{norm_set.version}-concept"
            )
            try:
                draft = services.draft_norm_set_from(
                    source=norm_set, version=version, by=acting_user(request)
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request, _("Concept %(version)s aangemaakt.") % {"version": draft.version}
                )

    @admin.action(description=_("Publiceren (de huidige versie vervalt)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[NormSet]) -> None:
        """Publish the selected draft."""
        for norm_set in queryset:
            try:
                services.publish_norm_set(norm_set=norm_set, by=acting_user(request))
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Versie %(version)s is gepubliceerd.") % {"version": norm_set.version},
                )


@admin.register(Theme, site=site)
class ThemeAdmin(OperatorAdmin):
    list_display = ["code", "name_nl", "name_en", "position"]


@admin.register(Agency, site=site)
class AgencyAdmin(OperatorAdmin):
    list_display = ["code", "name_nl", "name_en", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name_nl", "name_en"]


class ChainLinkInline(admin.TabularInline[ChainLink, LifeEvent]):
    model = ChainLink
    extra = 1
    ordering = ["position"]


@admin.register(LifeEvent, site=site)
class LifeEventAdmin(OperatorAdmin):
    list_display = ["code", "name_nl", "name_en", "theme", "is_active"]
    list_filter = ["theme", "is_active"]
    search_fields = ["code", "name_nl", "name_en"]
    inlines = [ChainLinkInline]


@admin.register(Channel, site=site)
class ChannelAdmin(OperatorAdmin):
    list_display = ["code", "name_nl", "name_en", "position", "is_active"]


@admin.register(DecreeHoliday, site=site)
class DecreeHolidayAdmin(OperatorAdmin):
    list_display = ["date", "name_nl", "reference"]
    date_hierarchy = "date"
    search_fields = ["name_nl", "reference"]


@admin.register(AuditEvent, site=site)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "organisation", "actor_label", "action", "summary"]
    list_filter = ["action", "organisation"]
    search_fields = ["actor_label", "action", "summary"]


@admin.register(ApiToken, site=site)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Model]:
        """Tokens with their organisation."""
        return super().get_queryset(request).select_related("organisation")
