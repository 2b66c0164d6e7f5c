"""Core's staff pages that belong to no single task: the staff home, the dashboard, the audit log."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from burgerlink.core import dashboard, permissions, selectors
from burgerlink.core.models import Organisation, Role
from burgerlink.core.permissions import Perm
from burgerlink.web.shell import StaffRequest, render_staff, staff_view, verified_login_required


@verified_login_required
@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    """Where signed-in staff land: their organisation, or a choice when they have several."""
    organisations = list(permissions.staff_organisations(request.user))
    if len(organisations) == 1:
        return redirect("web:staff-dashboard", slug=organisations[0].slug)
    return render(request, "web/staff/home.html", {"organisations": organisations})


@staff_view(Perm.VIEW_DASHBOARD)
@require_safe
def dashboard_view(request: StaffRequest, organisation: Organisation) -> HttpResponse:
    """The organisation's dashboard; each capability contributes panels."""
    perms = request.organisation_perms
    panels = [
        {"panel": panel, "context": panel.context(organisation)}
        for panel in dashboard.panels_for(perms)
    ]
    assessment = selectors.latest_published_assessment(organisation)
    draft = organisation.self_assessments.filter(status="draft").first()
    return render_staff(
        request,
        organisation,
        "web/staff/dashboard.html",
        {
            "panels": panels,
            "assessment": assessment,
            "draft": draft,
            "roles": [Role(r).label for r in permissions.roles_in(request.user, organisation)],
            "recent_events": selectors.audit_events(organisation)[:5]
            if Perm.VIEW_AUDIT_LOG in perms
            else [],
        },
    )


@staff_view(Perm.VIEW_AUDIT_LOG)
@require_safe
def audit_log(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The organisation's audit log, 50 lines per page."""
    page = Paginator(selectors.audit_events(organisation).select_related("actor"), 50).get_page(
        request.GET.get("pagina")
    )
    return render_staff(request, organisation, "web/staff/audit.html", {"page": page})
