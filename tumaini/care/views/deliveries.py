"""Services delivered to a survivor: the case's list and recording one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _t

from tumaini.care.forms import DeliveryForm, care_staff_of
from tumaini.care.policies import CARE_DELIVERY
from tumaini.care.selectors import deliveries as delivery_selectors
from tumaini.care.selectors.display import survivor_label
from tumaini.care.selectors.needs import needs_met_for_case
from tumaini.care.selectors.scope import care_case_or_404, case_in_care_scope
from tumaini.care.services import deliveries as delivery_services
from tumaini.care.views.common import apply_refusal, case_link
from tumaini.core.access import CREATE, VIEW


@login_required
def case_deliveries(request, case_id):
    case = care_case_or_404(
        user=request.user, resource=CARE_DELIVERY.name, action=VIEW, public_id=case_id
    )
    result = delivery_selectors.deliveries_of_case(
        user=request.user, case=case, page_number=request.GET.get("page") or 1, request=request
    )
    template = "care/deliveries.html"
    if request.htmx:
        template += "#delivery-table"
    return render(
        request,
        template,
        {
            **result,
            "case": case,
            "survivor": survivor_label(case.person),
            "case_url": case_link(user=request.user, case=case, part="care-services"),
            "needs": needs_met_for_case(user=request.user, case=case),
            "may_record": case_in_care_scope(
                user=request.user, resource=CARE_DELIVERY.name, action=CREATE, case=case
            ),
        },
    )


@login_required
def delivery_new(request, case_id):
    case = care_case_or_404(
        user=request.user, resource=CARE_DELIVERY.name, action=CREATE, public_id=case_id
    )
    goals = delivery_selectors.goals_of_case(case=case)
    initial = {
        "delivered_by": request.user.public_id,
        "delivered_on": timezone.localdate(),
        "cost_kes": 0,
    }
    chosen_goal = request.GET.get("goal")
    if chosen_goal and goals.filter(public_id=chosen_goal).exists():
        initial["goal"] = chosen_goal
    form = DeliveryForm(
        request.POST or None,
        offerings=delivery_selectors.offerings_for_case(case=case),
        goals=goals,
        staff=care_staff_of(case.organisation_id),
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                delivery_services.delivery_record(
                    actor=request.user,
                    case=case,
                    offering=data["offering"],
                    goal=data["goal"],
                    delivered_on=data["delivered_on"],
                    delivered_by=data["delivered_by"],
                    outcome=data["outcome"],
                    outcome_notes=data["outcome_notes"],
                    cost_kes=data["cost_kes"],
                    request=request,
                )
            except delivery_services.DeliveryRefused as refused:
                apply_refusal(form, refused)
            else:
                messages.success(request, _t("Service recorded."))
                return redirect(reverse("care:case_deliveries", kwargs={"case_id": case.public_id}))
        status = 400
    return render(
        request,
        "care/delivery_form.html",
        {
            "case": case,
            "survivor": survivor_label(case.person),
            "form": form,
            "has_catalogue": form.fields["offering"].queryset.exists(),
        },
        status=status,
    )


urlpatterns = [
    path("cases/<uuid:case_id>/services/", case_deliveries, name="case_deliveries"),
    path("cases/<uuid:case_id>/services/new/", delivery_new, name="delivery_new"),
]
