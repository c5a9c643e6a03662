"""Each area of case work keeps its routes beside its views (views/<area>.py: `urlpatterns`)."""

from tumaini.cases.views import (
    assessments,
    consent,
    detail,
    file,
    intake,
    lists,
    profile,
    screening,
    summary,
    workflow,
)

app_name = "cases"

urlpatterns = [
    *lists.urlpatterns,
    *intake.urlpatterns,
    *detail.urlpatterns,
    *screening.urlpatterns,
    *profile.urlpatterns,
    *consent.urlpatterns,
    *assessments.urlpatterns,
    *workflow.urlpatterns,
    *file.urlpatterns,
    *summary.urlpatterns,
]
