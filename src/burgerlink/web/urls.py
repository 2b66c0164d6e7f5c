"""URLs of the public site and the staff area (Dutch paths: this is a Dutch government site)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.i18n import set_language

from burgerlink.web.forms import ResetPasswordForm
from burgerlink.web.views import (
    account,
    members,
    moderation,
    organisation,
    privacy,
    public,
    self_assessment,
    staff,
)

app_name = "web"

urlpatterns = [
    path("", public.home, name="home"),
    path("organisaties/", public.organisation_list, name="organisation-list"),
    path("organisaties/<slug:slug>/", public.organisation_detail, name="organisation-detail"),
    path(
        "organisaties/<slug:slug>/scorekaart/",
        public.organisation_scorecard,
        name="organisation-scorecard",
    ),
    path("organisaties/<slug:slug>/thema.css", public.organisation_theme, name="theme-css"),
    path("burgerservicecode/", public.code_overview, name="code"),
    path("burgerservicecode/<int:number>/", public.norm_detail, name="norm"),
    path("levensgebeurtenissen/", public.life_events, name="life-events"),
    path("toegankelijkheid/", public.accessibility_statement, name="accessibility"),
    path("verwerkingen/", privacy.processing_overview, name="processing-overview"),
    path("privacyverzoeken/", privacy.operator_requests, name="operator-privacy"),
    path("taal/", set_language, name="set-language"),
    # Accounts
    path("inloggen/", account.login_view, name="login"),
    path("inloggen/code/", account.login_verify, name="login-verify"),
    path("uitloggen/", account.logout_view, name="logout"),
    path("account/tweestapsverificatie/", account.totp_setup, name="totp-setup"),
    path("uitnodiging/<str:secret>/", account.invitation, name="invitation"),
    path(
        "wachtwoord-vergeten/",
        auth_views.PasswordResetView.as_view(
            template_name="web/account/password_reset_form.html",
            form_class=ResetPasswordForm,
            success_url=reverse_lazy("web:password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="web/account/password_reset_done.html"
        ),
        name="password-reset-done",
    ),
    path(
        "wachtwoord-kiezen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="web/account/password_reset_confirm.html",
            success_url=reverse_lazy("web:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "wachtwoord-kiezen/klaar/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="web/account/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    # Staff area
    path("medewerkers/", staff.staff_home, name="staff-home"),
    path("medewerkers/<slug:slug>/", staff.dashboard_view, name="staff-dashboard"),
    path(
        "medewerkers/<slug:slug>/zelfevaluatie/",
        self_assessment.assessment_list,
        name="staff-assessments",
    ),
    path(
        "medewerkers/<slug:slug>/zelfevaluatie/<int:pk>/",
        self_assessment.assessment_edit,
        name="staff-assessment",
    ),
    path(
        "medewerkers/<slug:slug>/zelfevaluatie/<int:pk>/publiceren/",
        self_assessment.assessment_publish,
        name="staff-assessment-publish",
    ),
    path("medewerkers/<slug:slug>/kalender/", organisation.calendar_view, name="staff-calendar"),
    path(
        "medewerkers/<slug:slug>/kalender/<int:pk>/verwijderen/",
        organisation.closing_day_delete,
        name="staff-closing-day-delete",
    ),
    path("medewerkers/<slug:slug>/api-sleutels/", organisation.token_list, name="staff-tokens"),
    path(
        "medewerkers/<slug:slug>/api-sleutels/<int:pk>/intrekken/",
        organisation.token_revoke,
        name="staff-token-revoke",
    ),
    path("medewerkers/<slug:slug>/collega-s/", members.member_list, name="staff-members"),
    path(
        "medewerkers/<slug:slug>/collega-s/<int:pk>/intrekken/",
        members.member_revoke,
        name="staff-member-revoke",
    ),
    path(
        "medewerkers/<slug:slug>/collega-s/uitnodigingen/<int:pk>/intrekken/",
        members.invitation_withdraw,
        name="staff-invitation-withdraw",
    ),
    path("medewerkers/<slug:slug>/auditlog/", staff.audit_log, name="staff-audit"),
    path("medewerkers/<slug:slug>/privacy/", privacy.staff_requests, name="staff-privacy"),
    path(
        "medewerkers/<slug:slug>/moderatie/",
        moderation.moderation_queue,
        name="staff-moderation",
    ),
]
