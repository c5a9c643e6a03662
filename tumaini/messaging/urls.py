"""Mounted at /hooks/africastalking/<secret>/; every view here is wrapped in `provider_callback`.

The contract also reserves sms/, ussd/, ussd-events/ and voice/ under this prefix: the tips app adds
them (inbound reports), each view decorated with `tumaini.messaging.views.provider_callback`.
"""

from django.urls import path

from tumaini.messaging import views

app_name = "messaging"

urlpatterns = [
    path("sms-delivery/", views.sms_delivery, name="sms_delivery"),
]
