"""Single timings beside the load: rendering the PDF report, and importing a spreadsheet."""

import os
import re
import time

from .config import IMPORT_ROWS, SLUG, quiet_command, timed


def pdf_timing():
    try:
        from followups import reports
    except ImportError:
        return None, "skipped: followups.reports does not exist yet (the follow-up branch)."
    from followups.models import FollowUp

    followup = (
        FollowUp.objects.filter(promise__slug=SLUG, state=FollowUp.State.PUBLISHED)
        .order_by("year", "tertial")
        .first()
    )
    if followup is None:
        return None, "skipped: no published follow-up to render."
    kwargs = {}
    import inspect

    if "with_charts" in inspect.signature(reports.render_pdf).parameters:
        kwargs["with_charts"] = False  # charts are rendered in a warm batch by the task
    reports.render_pdf(followup, **kwargs)  # warm: fonts and templates
    # The median of five renders: one sample on a shared machine says more about the
    # neighbours than about the report.
    runs = sorted(
        (timed(reports.render_pdf, followup, **kwargs) for _ in range(5)), key=lambda r: r[1]
    )
    pdf, seconds = runs[len(runs) // 2]
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    try:
        import io

        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    except ImportError:
        pass
    note = " (without charts)" if kwargs else ""
    return {"seconds": seconds, "pages": pages, "bytes": len(pdf)}, note


def import_timing():
    from django.core.management import get_commands

    if "import_activities" not in get_commands():
        return None, "skipped: no import_activities command yet (the import branch)."
    import csv
    import tempfile

    from commitments.models import ActivityType, Promise

    promise = Promise.objects.get(slug=SLUG)
    police = promise.police_area
    types = [
        t
        for t in ActivityType.objects.filter(commitment__promise=promise)
        .select_related("commitment")
        .prefetch_related(
            "measures", "commitment__districts", "commitment__responsible_organisations"
        )
        if police in t.commitment.responsible_organisations.all()
    ]
    measure_names = sorted({m.name for t in types for m in t.measures.all()})
    header = ["Id", "Datum", "Åtagande", "Aktivitetstyp", "Område", "Timmar", "Antal personal"]
    header += ["Sammanfattning", "Intern anteckning", "Publik", *measure_names]
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for index in range(IMPORT_ROWS):
            activity_type = types[index % len(types)]
            districts = list(activity_type.commitment.districts.all())
            values = {m.name: index % 7 for m in activity_type.measures.all()}
            writer.writerow(
                [
                    f"bench-{index:05d}",
                    f"2018-{1 + index % 12:02d}-{1 + index % 28:02d}",
                    activity_type.commitment.number,
                    activity_type.name,
                    districts[index % len(districts)].name,
                    2,
                    2,
                    "Importerad aktivitet för prestandamätning.",
                    "",
                    "ja",
                    *[values.get(name, "") for name in measure_names],
                ]
            )
        path = file.name
    try:
        started = time.perf_counter()
        try:
            output = quiet_command(
                "import_activities", path, promise=SLUG, organisation=police.slug
            )
        except (SystemExit, Exception) as error:  # report, never abort the benchmark
            return None, f"failed: {error!r}"
        seconds = time.perf_counter() - started
    finally:
        os.unlink(path)
    from commitments.models import Activity

    imported = Activity.objects.filter(external_id__startswith="bench-").count()
    if imported != IMPORT_ROWS:
        return None, f"failed: {imported} of {IMPORT_ROWS} rows imported. {output[-300:]}"
    return {"rows": imported, "seconds": seconds, "rps": imported / seconds}, ""
