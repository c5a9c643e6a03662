"""Mounted at /hooks/africastalking/<secret>/; every view here is wrapped in `provider_callback`.

The contract also reserves sms/, ussd/, ussd-events/ and voice/ under this prefix: the tips app adds
them (inbound reports), each view decorated with `tumaini.messaging.views.provider_callback`.
"""

from django.urls import path

from tumaini.messaging import views
from tumaini.tips.channels import sms as tips_sms
from tumaini.tips.channels import ussd as tips_ussd
from tumaini.tips.channels import voice as tips_voice

app_name = "messaging"

urlpatterns = [
    path("sms-delivery/", views.sms_delivery, name="sms_delivery"),
    # Inbound reports (tips); each view is wrapped in provider_callback where it is defined.
    path("sms/", tips_sms.inbound_sms, name="inbound_sms"),
    path("ussd/", tips_ussd.ussd, name="ussd"),
    path("ussd-events/", tips_ussd.ussd_events, name="ussd_events"),
    path("voice/", tips_voice.voice, name="voice"),
]
