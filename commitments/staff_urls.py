"""The staff area (/personal/): logging, correcting and reviewing activities; login."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .views import staff as views

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("aktiviteter/", views.activity_list, name="activities"),
    path("aktiviteter/aktiviteter.csv", views.activity_export, name="activities_csv"),
    path("aktiviteter/ny/", views.activity_create, name="activity_create"),
    path("aktiviteter/<int:pk>/", views.activity_detail, name="activity"),
    path("aktiviteter/<int:pk>/andra/", views.activity_edit, name="activity_edit"),
    path("aktiviteter/<int:pk>/ta-bort/", views.activity_delete, name="activity_delete"),
    path("aktiviteter/<int:pk>/historik/", views.activity_history, name="activity_history"),
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("losenord/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "losenord/bytt/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("aterstall-losenord/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "aterstall-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "aterstall-losenord/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "aterstall-losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
