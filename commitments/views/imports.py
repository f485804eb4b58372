"""The staff area's spreadsheet import (/personal/import/) and its templates.

Upload → preview (a dry run: counts, first rows, every error) → confirm → the same file,
kept on the server between the two steps (imports.stash), imported in one transaction.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import exports, permissions
from ..forms import ImportConfirmForm, ImportForm
from ..imports import discard, run_import, stash, template_table, unstash
from ..models import Promise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Room for the form fields and multipart boundaries around the file itself.
_FORM_OVERHEAD = 64 * 1024


def _may_import_at_all(user):
    if not (permissions.may_log(user) or permissions.is_superuser(user)):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    _may_import_at_all(request.user)
    if int(request.META.get("CONTENT_LENGTH") or 0) > settings.IMPORT_MAX_BYTES + _FORM_OVERHEAD:
        # Refused before Django reads the upload into a temporary file.
        form = ImportForm(user=request.user)
        return render(request, "staff/import.html", _upload_context(form, True), status=413)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.is_valid():
        return render(request, "staff/import.html", _upload_context(form))
    upload, promise = form.cleaned_data["file"], form.cleaned_data["promise"]
    data = upload.read()
    organisation = form.cleaned_data["organisation"]
    report = run_import(
        data,
        file_name=upload.name,
        promise=promise,
        organisation=organisation,
        user=request.user,
        dry_run=True,
    )
    confirm = None
    if report.ok:
        initial = {"promise": promise, "organisation": organisation, "file_name": upload.name}
        confirm = ImportConfirmForm(
            initial={**initial, "sha256": stash(data, request.user)}, user=request.user
        )
    context = {"report": report, "confirm": confirm, "promise": promise, "form": form}
    return render(request, "staff/import_preview.html", context)


def _upload_context(form, too_large=False):
    return {
        "form": form,
        "promises": list(form.fields["promise"].queryset),
        "too_large": too_large,
        "max_mb": settings.IMPORT_MAX_BYTES // 1_048_576,
        "max_rows": settings.IMPORT_MAX_ROWS,
    }


@login_required
@require_POST
def import_confirm(request):
    _may_import_at_all(request.user)
    form = ImportConfirmForm(request.POST, user=request.user)
    if not form.is_valid():
        if form.has_error("__all__", "not_allowed"):
            raise PermissionDenied
        messages.error(request, _("The import could not be confirmed: upload the file again."))
        return redirect("staff:import")
    data = unstash(form.cleaned_data["sha256"], request.user)
    if data is None:
        messages.error(request, _("The uploaded file is no longer kept: upload it again."))
        return redirect("staff:import")
    report = run_import(
        data,
        file_name=form.cleaned_data["file_name"],
        promise=form.cleaned_data["promise"],
        organisation=form.cleaned_data["organisation"],
        user=request.user,
    )
    if not report.ok:
        # The data changed between preview and confirmation (e.g. someone took an id).
        context = {"report": report, "confirm": None, "promise": form.cleaned_data["promise"]}
        return render(request, "staff/import_preview.html", context)
    discard(form.cleaned_data["sha256"], request.user)
    messages.success(
        request,
        _("Imported %(name)s: %(new)s new, %(changed)s changed, %(unchanged)s unchanged.")
        % {
            "name": report.file_name,
            "new": report.new,
            "changed": report.changed,
            "unchanged": report.unchanged,
        },
    )
    return redirect("staff:activities")


@login_required
def import_template(request, promise, fmt):
    """The file to fill in: the promise's columns and two example rows."""
    promise = get_object_or_404(Promise.objects.loggable_by(request.user), slug=promise)
    header, rows = template_table(promise)
    name = f"aktiviteter-mall-{promise.slug}"
    if fmt == "xlsx":
        response = HttpResponse(exports.write_xlsx(header, rows, _("Activities")), XLSX_TYPE)
    else:
        response = HttpResponse(exports.write_csv(header, rows), "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
