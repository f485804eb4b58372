"""The follow-up workflow in the staff area (/personal/uppfoljningar/…)."""

from django.urls import path

from . import views

app_name = "followups_staff"
urlpatterns = [
    path("", views.staff_calendar, name="calendar"),
    path("<slug:slug>/<str:tertial>/ny/", views.staff_start, name="start"),
    path(
        "<slug:slug>/<str:tertial>/efterregistrera/",
        views.staff_register_past,
        name="register_past",
    ),
    path("<slug:slug>/<str:tertial>/inte-redovisad/", views.staff_unreported, name="unreported"),
    path(
        "<slug:slug>/<str:tertial>/inte-redovisad/ta-bort/",
        views.staff_unreported_remove,
        name="unreported_remove",
    ),
    path("<int:pk>/", views.staff_detail, name="detail"),
    path("<int:pk>/redigera/", views.staff_edit, name="edit"),
    path("<int:pk>/korrigera/", views.staff_correct, name="correct"),
    path("<int:pk>/utkast.pdf", views.staff_draft_pdf, name="draft_pdf"),
    path("<int:pk>/rapport/forsok-igen/", views.staff_retry, name="retry"),
    path("<int:pk>/<str:action>/", views.staff_transition, name="transition"),
]
