"""The coordinators' moderation of feedback: /personal/loften/<slug>/synpunkter/."""

from django.urls import path

from . import views

app_name = "feedback_staff"
urlpatterns = [
    path("loften/<slug:slug>/synpunkter/", views.moderation, name="moderation"),
    path("loften/<slug:slug>/synpunkter/<int:pk>/publicera/", views.publish, name="publish"),
    path("loften/<slug:slug>/synpunkter/<int:pk>/avpublicera/", views.unpublish, name="unpublish"),
]
