from tumaini.referrals.views import incoming, partner, staff

app_name = "referrals"

urlpatterns = [*staff.urlpatterns, *partner.urlpatterns, *incoming.urlpatterns]
