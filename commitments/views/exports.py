"""Staff exports prepared by the task worker: ask for one, watch its progress, download it.

The streamed CSV (views/staff.activity_export) answers at once for lists that fit in a web
request; these pages are for any size, CSV or XLSX (commitments/export_files.py).
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ..export_files import request_export
from ..models import ActivityExport

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}


@login_required
@require_POST
def export_start(request):
    fmt = request.POST.get("format")
    if fmt not in ActivityExport.Format.values:
        return HttpResponseBadRequest()
    export = request_export(user=request.user, fmt=fmt, query=request.POST.get("query", ""))
    return redirect(export)


@login_required
def export_status(request, pk):
    export = get_object_or_404(ActivityExport.objects.visible_to(request.user), pk=pk)
    working = export.state in (ActivityExport.State.QUEUED, ActivityExport.State.RUNNING)
    context = {
        "export": export,
        "working": working,
        "others": ActivityExport.objects.visible_to(request.user).exclude(pk=pk)[:10],
    }
    return render(request, "staff/export.html", context)


@login_required
def export_file(request, pk):
    export = get_object_or_404(ActivityExport.objects.visible_to(request.user), pk=pk)
    if export.state != ActivityExport.State.READY or not export.file:
        raise Http404
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export.file_name,
        content_type=CONTENT_TYPES[export.format],
    )
