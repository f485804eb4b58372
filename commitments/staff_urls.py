"""The staff area (/personal/): logging, correcting and reviewing activities; login."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .views import copying as copy_views
from .views import exports as export_views
from .views import imports as import_views
from .views import people as people_views
from .views import staff as views
from .views import workspace

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("aktiviteter/", views.activity_list, name="activities"),
    path("aktiviteter/aktiviteter.csv", views.activity_export, name="activities_csv"),
    # Any size, CSV or XLSX, prepared by the task worker (views/exports.py).
    path("aktiviteter/exportera/", export_views.export_start, name="export_start"),
    path("exporter/<int:pk>/", export_views.export_status, name="export"),
    path("exporter/<int:pk>/fil/", export_views.export_file, name="export_file"),
    path("import/", import_views.import_upload, name="import"),
    path("import/bekrafta/", import_views.import_confirm, name="import_confirm"),
    path(
        "import/<slug:promise>/mall.xlsx",
        import_views.import_template,
        {"fmt": "xlsx"},
        name="import_template_xlsx",
    ),
    path(
        "import/<slug:promise>/mall.csv",
        import_views.import_template,
        {"fmt": "csv"},
        name="import_template_csv",
    ),
    path("aktiviteter/ny/", views.activity_create, name="activity_create"),
    path("aktiviteter/<int:pk>/", views.activity_detail, name="activity"),
    path("aktiviteter/<int:pk>/andra/", views.activity_edit, name="activity_edit"),
    path("aktiviteter/<int:pk>/ta-bort/", views.activity_delete, name="activity_delete"),
    path("aktiviteter/<int:pk>/historik/", views.activity_history, name="activity_history"),
    path("loften/<slug:slug>/kopiera/", copy_views.copy_promise, name="copy_promise"),
    # The promise workspace: coordinators set up, preview and publish (views/workspace.py).
    path("loften/", workspace.promise_list, name="workspace_list"),
    path("loften/nytt/", workspace.promise_create, name="workspace_create"),
    path("loften/<slug:slug>/", workspace.promise_workspace, name="workspace"),
    path("loften/<slug:slug>/andra/", workspace.promise_edit, name="workspace_edit"),
    path("loften/<slug:slug>/kopiera-fran/", workspace.copy_from, name="workspace_copy_from"),
    path("loften/<slug:slug>/publicera/", workspace.publish, name="workspace_publish"),
    path("loften/<slug:slug>/forhandsvisning/", workspace.preview, name="workspace_preview"),
    path(
        "loften/<slug:slug>/forhandsvisning/atagande/<int:number>/",
        workspace.preview,
        name="workspace_preview_commitment",
    ),
    path(
        "loften/<slug:slug>/forhandsvisning/omraden/<slug:district>/",
        workspace.preview,
        name="workspace_preview_district",
    ),
    path(
        "loften/<slug:slug>/atagande/<int:commitment>/typer/ny/",
        workspace.activity_type_form,
        name="workspace_type_create",
    ),
    path("loften/<slug:slug>/typer/<int:pk>/", workspace.activity_type_form, name="workspace_type"),
    path(
        "loften/<slug:slug>/typer/<int:pk>/ta-bort/",
        workspace.activity_type_delete,
        name="workspace_type_delete",
    ),
    path(
        "loften/<slug:slug>/indikatorer/<int:pk>/dra-tillbaka/",
        workspace.indicator_withdraw,
        name="workspace_withdraw",
    ),
    path("loften/<slug:slug>/<str:kind>/ny/", workspace.part_form, name="workspace_part_create"),
    path("loften/<slug:slug>/<str:kind>/<int:pk>/", workspace.part_form, name="workspace_part"),
    path(
        "loften/<slug:slug>/<str:kind>/<int:pk>/ta-bort/",
        workspace.part_delete,
        name="workspace_part_delete",
    ),
    path("personal/", people_views.people_list, name="people"),
    path("personal/bjud-in/", people_views.invite, name="people_invite"),
    path(
        "personal/<int:pk>/skicka-igen/",
        people_views.invitation_resend,
        name="invitation_resend",
    ),
    path("personal/<int:pk>/aterkalla/", people_views.invitation_revoke, name="invitation_revoke"),
    path(
        "personal/konto/<int:pk>/avaktivera/",
        people_views.account_deactivate,
        name="account_deactivate",
    ),
    path("personal/konto/<int:pk>/roll/", people_views.account_role, name="account_role"),
    path("inbjudan/<str:token>/", people_views.invitation_accept, name="invitation_accept"),
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
