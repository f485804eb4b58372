"""Subscription pages for citizens: a promise's subscribe form, the mailed links, privacy."""

from django.urls import path

from . import views

app_name = "subscriptions"
urlpatterns = [
    path("loften/<slug:slug>/prenumerera/", views.subscribe, name="subscribe"),
    path("loften/<slug:slug>/prenumerera/skickat/", views.sent, name="sent"),
    path("prenumeration/bekrafta/<str:token>/", views.confirm, name="confirm"),
    path("prenumeration/avsluta/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("integritet/", views.privacy, name="privacy"),
]
