"""Tyck till, for citizens: /loften/<slug>/tyck-till/."""

from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [path("loften/<slug:slug>/tyck-till/", views.feedback_page, name="page")]
