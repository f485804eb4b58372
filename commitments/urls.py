"""Public pages of promises, their commitments and districts."""

from django.urls import path

from .views import public as views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("loften/<slug:slug>/", views.promise_detail, name="promise"),
    path(
        "loften/<slug:slug>/atagande/<int:number>/",
        views.commitment_detail,
        name="commitment",
    ),
]
