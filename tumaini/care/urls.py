"""Care delivery pages; each area keeps its routes beside its views."""

from tumaini.care.views import appointments, calendar, catalogue, deliveries, follow_ups

app_name = "care"

urlpatterns = [
    *calendar.urlpatterns,
    *appointments.urlpatterns,
    *deliveries.urlpatterns,
    *follow_ups.urlpatterns,
    *catalogue.urlpatterns,
]
