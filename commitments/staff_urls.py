"""The staff area (/personal/): logging, correcting and reviewing activities."""

app_name = "staff"
urlpatterns = []
