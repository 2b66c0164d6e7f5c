"""Staff pages of the self-assessment against the BurgerServiceCode: history, filling in, publishing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from burgerlink.core import selectors, services
from burgerlink.core.models import Organisation
from burgerlink.core.permissions import Perm, acting_user
from burgerlink.web.forms import SelfAssessmentForm
from burgerlink.web.shell import StaffRequest, render_staff, staff_view


@staff_view(Perm.EDIT_SELF_ASSESSMENT)
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """History of self-assessments; POST starts a new draft."""
    if request.method == "POST":
        try:
            assessment = services.start_self_assessment(
                organisation=organisation, by=acting_user(request)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("web:staff-assessments", slug=organisation.slug)
        return redirect("web:staff-assessment", slug=organisation.slug, pk=assessment.pk)
    history = [
        (assessment, selectors.assessment_scores(assessment))
        for assessment in selectors.assessment_history(organisation)
    ]
    return render_staff(
        request, organisation, "web/staff/assessment_list.html", {"history": history}
    )


@staff_view(Perm.EDIT_SELF_ASSESSMENT)
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_edit(request: StaffRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Fill in (or read) a self-assessment; publishing is a separate POST."""
    assessment = get_object_or_404(organisation.self_assessments, pk=pk)
    answers = list(
        assessment.answers.select_related("item__norm").order_by(
            "item__norm__number", "item__position"
        )
    )
    editable = assessment.status == "draft"
    form = SelfAssessmentForm(request.POST or None, answers=answers)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("Een gepubliceerde zelfevaluatie kan niet meer veranderen."))
            return redirect("web:staff-assessment", slug=organisation.slug, pk=assessment.pk)
        if form.is_valid():
            services.save_assessment_answers(
                assessment=assessment,
                answers={
                    item_id: services.AnswerInput(answer, explanation, links)
                    for item_id, (answer, explanation, links) in form.cleaned_answers().items()
                },
                by=acting_user(request),
            )
            messages.success(request, _("De antwoorden zijn bewaard."))
            return redirect("web:staff-assessment", slug=organisation.slug, pk=assessment.pk)
        messages.error(request, _("Niet alles is goed ingevuld; zie de meldingen bij de vragen."))
    return render_staff(
        request,
        organisation,
        "web/staff/assessment_edit.html",
        {
            "assessment": assessment,
            "form": form,
            "editable": editable,
            "scores": selectors.assessment_scores(assessment),
            "can_publish": request.can(Perm.PUBLISH_SELF_ASSESSMENT),
        },
    )


@staff_view(Perm.PUBLISH_SELF_ASSESSMENT)
@require_POST
def assessment_publish(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Publish a complete draft on the public scorecard."""
    assessment = get_object_or_404(organisation.self_assessments, pk=pk)
    try:
        services.publish_self_assessment(
            assessment=assessment,
            summary=request.POST.get("summary", "").strip(),
            by=acting_user(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("web:staff-assessment", slug=organisation.slug, pk=assessment.pk)
    messages.success(request, _("De zelfevaluatie staat op de openbare scorekaart."))
    return redirect("web:organisation-scorecard", slug=organisation.slug)
