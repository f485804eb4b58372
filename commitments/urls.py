"""Public pages of promises, their commitments and districts, and their open data."""

from django.urls import path

from .views import easy_read, open_data
from .views import public as views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("loften/<slug:slug>/", views.promise_detail, name="promise"),
    path("loften/<slug:slug>/lattlast/", easy_read.promise_easy_read, name="easy_read"),
    path(
        "loften/<slug:slug>/atagande/<int:number>/",
        views.commitment_detail,
        name="commitment",
    ),
    path(
        "loften/<slug:slug>/omraden/<slug:district>/",
        views.district_detail,
        name="district",
    ),
    path("loften/<slug:slug>/data/aktiviteter.csv", open_data.activities_csv, name="csv"),
    path("loften/<slug:slug>/data/sammanstallning.json", open_data.summary_json, name="json"),
]
