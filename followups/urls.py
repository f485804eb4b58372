"""Follow-up pages: public (/loften/<slug>/uppfoljningar/...) and staff (/personal/...)."""

app_name = "followups"
urlpatterns = []
