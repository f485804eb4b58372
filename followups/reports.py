"""The tertial report: the follow-up page's template parts as a tagged A4 PDF, via WeasyPrint.

`build_context` gathers what the web page and the PDF both show, from commitments.figures
(`for_promise`, the entry point the public pages and the JSON use too);
`render_pdf` makes the PDF (WeasyPrint is imported inside, so that the site starts where Pango
is missing); `render_and_store` freezes a published follow-up's report once.
"""

import asyncio
import atexit
import base64
import copy
import gc
import hashlib
import logging
import os
import re
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone, translation

from commitments import charts, figures
from commitments.models import Commitment, Signatory

from .models import FollowUp

logger = logging.getLogger(__name__)
_warned_no_browser = False
# The charts' size in the PDF, in CSS pixels: drawn at 84 mm wide (report.css), 17 px text
# prints at about 8 pt.
PRINT_CHART_SIZE = (480, 280)
_stylesheet = None  # (FontConfiguration, CSS): parsed once per process, fonts loaded once


def _report_stylesheet():
    global _stylesheet
    if _stylesheet is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        css = CSS(
            filename=str(settings.BASE_DIR / "static" / "css" / "report.css"), font_config=fonts
        )
        _stylesheet = (fonts, css)
        # FontConfiguration cleans up in __del__, which fails during interpreter shutdown.
        atexit.register(_release_stylesheet)
    return _stylesheet


def _release_stylesheet():
    global _stylesheet
    _stylesheet = None
    gc.collect()


@dataclass
class CommitmentPart:
    """One commitment's section of the follow-up, the same on the page and in the PDF."""

    commitment: Commitment
    assessment: object
    tables: list  # figures.ActivityTable per activity type: per tertial and district
    indicators: list  # figures.IndicatorFigures
    tertial: object = None  # the follow-up's

    @property
    def anchor(self):
        return f"atagande-{self.commitment.number}"

    @property
    def key_indicator(self):
        return figures.key_indicator(self.indicators)

    @property
    def in_tertial_and_so_far(self):
        """Per activity type: (the table, its row of the follow-up's tertial or None)."""
        return [(table, table.in_tertial(self.tertial)) for table in self.tables]


@dataclass(frozen=True)
class Signer:
    """Who signed the promise for an approving organisation."""

    name: str
    role: str


def commitments_as_published(followup, commitments):
    """{pk: the commitment as its text read when the follow-up was published}, for those
    corrected since (Commitment.text_changed_at): a published follow-up keeps the words it
    assessed. One query, and none when no text was corrected after it."""
    published = followup.published_at
    changed = [
        c for c in commitments if published and c.text_changed_at and c.text_changed_at > published
    ]
    if not changed:
        return {}
    records = Commitment.history.filter(
        id__in=[c.pk for c in changed], history_date__lte=published
    ).order_by("id", "history_date", "history_id")
    then = {record.id: record for record in records}  # the last record of each before it
    shown = {}
    for commitment in changed:
        if commitment.pk in then:
            shown[commitment.pk] = copy.copy(commitment)
            shown[commitment.pk].title = then[commitment.pk].title
            shown[commitment.pk].text = then[commitment.pk].text
    return shown


def build_context(followup, *, earlier=None):
    """Everything the follow-up's page and report show: `figures.for_promise` through its
    tertial (the promise from its start up to the tertial's end, the measured values known
    then), and the follow-up's own assessments and approvals. `earlier`: the promises it
    continues, when the caller loaded them (`figures.public_promise`).
    """
    promise = followup.promise
    tertial = followup.period
    shown = figures.for_promise(promise, through=tertial, earlier=earlier)
    assessments = {a.commitment_id: a for a in followup.assessments.all()}
    as_published = commitments_as_published(followup, [p.commitment for p in shown.commitments])
    parts = [
        CommitmentPart(
            commitment=as_published.get(part.commitment.pk, part.commitment),
            assessment=assessments.get(part.commitment.pk),
            tables=part.tables,
            indicators=part.indicators,
            tertial=tertial,
        )
        for part in shown.commitments
    ]
    # The organisation's signatory of the promise, read with the approvals (no query of its own).
    signer = Signatory.objects.filter(
        promise=promise, organisation=OuterRef("organisation")
    ).order_by("-order")
    rows = followup.approvals.select_related("organisation").annotate(
        signer_name=Subquery(signer.values("name")[:1]),
        signer_role=Subquery(signer.values("role")[:1]),
    )
    approvals = [
        (row, Signer(row.signer_name, row.signer_role) if row.signer_name else None) for row in rows
    ]
    return {
        "followup": followup,
        "promise": promise,
        "tertial": tertial,
        "first_tertial": shown.first_tertial,
        "parts": parts,
        "goal_indicators": shown.goal_indicators,
        "indicator_items": shown.indicators,
        "approvals": approvals,
    }


def svg_batch(plotly_figures):
    """SVG bytes of each figure, rendered in one browser session (kaleido, Chromium).

    Starting the browser costs seconds and each next figure a fraction of one, so a report's
    figures go through one warm session. Without a browser: [] and one warning per process.
    """
    global _warned_no_browser
    if not plotly_figures:
        return []
    os.environ["BROWSER_PATH"] = settings.BROWSER_PATH  # choreographer reads it there
    try:
        import kaleido

        async def render_all():
            async with kaleido.Kaleido(n=1) as session:
                return [
                    await session.calc_fig(
                        figure,
                        opts={
                            "format": "svg",
                            "width": PRINT_CHART_SIZE[0],
                            "height": PRINT_CHART_SIZE[1],
                        },
                    )
                    for figure in plotly_figures
                ]

        return _run_coroutine(render_all)
    except Exception as error:
        if not _warned_no_browser:
            logger.warning("Report charts left out: no browser for kaleido (%s).", error)
            _warned_no_browser = True
        return []


def _run_coroutine(make_coroutine):
    """Run a coroutine to its end, also from code that already runs in an event loop.

    asyncio.run refuses to start inside a running loop (an async view, a worker built on
    asyncio, Playwright's test server); there the coroutine runs in a thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def attach_svg_charts(items):
    """The web page's plotly figures (commitments.charts), as SVG images for the PDF."""
    charts.attach(items)
    with_chart = [item for item in items if item.chart]
    for item in with_chart:
        layout = item.chart["figure"].setdefault("layout", {})
        # The report's own font, not the browser's system-ui: the PDF embeds only ours. The
        # chart prints about half the page wide (report.css), so its text is drawn larger.
        layout.setdefault("font", {}).update(family="'Source Sans 3', sans-serif", size=17)
    images = svg_batch([item.chart["figure"] for item in with_chart])
    for item, svg in zip(with_chart, images, strict=False):
        item.chart["svg"] = base64.b64encode(svg).decode("ascii")


_BETWEEN_TAGS = re.compile(r">\s+<")
_WHITESPACE = re.compile(r"\s+")


def compact_html(html):
    """The report's HTML without the templates' indentation.

    Whitespace between tags and runs of it render as nothing or one space anyway (the report
    has no preformatted text), but WeasyPrint parses each run and lays out a box for it.
    """
    return _WHITESPACE.sub(" ", _BETWEEN_TAGS.sub("><", html))


@contextmanager
def _no_cyclic_gc():
    """Pause the cyclic garbage collector while WeasyPrint builds one document.

    The document's boxes live until it is written, so there is nothing for it to free; its
    full passes over the process's long-lived objects cost a tenth of a render.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render_pdf(followup, *, draft=False, with_charts=True):
    """The report as PDF bytes: A4, Swedish, tagged (PDF/UA-1); "UTKAST" on every page if draft."""
    from weasyprint import HTML

    with translation.override("sv"):
        context = build_context(followup)
        if with_charts:
            attach_svg_charts(context["indicator_items"])
        html = render_to_string(
            "followups/report.html",
            # for_print: the shared includes leave out what only a browser uses.
            {**context, "draft": draft, "generated_at": timezone.now(), "for_print": True},
        )
    fonts, css = _report_stylesheet()
    with _no_cyclic_gc():
        return HTML(
            string=compact_html(html), base_url=str(settings.BASE_DIR / "static")
        ).write_pdf(stylesheets=[css], font_config=fonts, pdf_variant="pdf/ua-1")


def report_filename(followup, digest=""):
    name = f"{followup.promise.slug}-{followup.period.slug}-v{followup.version}"
    return f"{name}-{digest[:12]}.pdf" if digest else f"{name}.pdf"


def render_and_store(followup):
    """Render a published follow-up's report once and freeze it with its SHA-256.

    A stored report is never rendered again, so it cannot change when the data change.
    """
    if followup.state != FollowUp.State.PUBLISHED:
        return followup
    if followup.pdf:
        # Frozen already. Whatever its status says (a retry queued by mistake), the stored
        # file is the report: never rendered again, and its status says it is ready.
        if followup.pdf_status != FollowUp.PdfStatus.READY:
            followup.pdf_status, followup.pdf_error = FollowUp.PdfStatus.READY, ""
            followup.save(update_fields=["pdf_status", "pdf_error", "updated_at"])
            followup.promise.touch()
        return followup
    try:
        pdf = render_pdf(followup)
        digest = hashlib.sha256(pdf).hexdigest()
        followup.pdf.name = store_once(
            f"reports/{followup.promise.slug}/{report_filename(followup, digest)}", pdf, digest
        )
    except Exception as error:
        # Visible to the coordinator on the staff page, who can queue it again.
        followup.pdf = ""
        followup.pdf_status = FollowUp.PdfStatus.FAILED
        followup.pdf_error = f"{type(error).__name__}: {error}"[:2000]
        followup.save(update_fields=["pdf", "pdf_status", "pdf_error", "updated_at"])
        followup.promise.touch()
        raise
    followup.pdf_sha256 = digest
    followup.pdf_status = FollowUp.PdfStatus.READY
    followup.pdf_error = ""
    followup.save(update_fields=["pdf", "pdf_sha256", "pdf_status", "pdf_error", "updated_at"])
    # What the public page shows changes ("being prepared" → the link and its SHA-256).
    followup.promise.touch()
    return followup


class FrozenReportChanged(Exception):
    """A stored report's bytes no longer have the SHA-256 frozen with it."""


def store_once(name, pdf, digest):
    """Write the PDF under `name` unless a file with these very bytes is there already.

    The name carries the digest, so a file of that name is this report, left by an attempt
    whose database save failed; it is reused, never written over. Any other file of the name
    makes the storage choose a new name (it never overwrites: promise_portal/storages.py).
    """
    storage = FollowUp._meta.get_field("pdf").storage
    if storage.exists(name):
        with storage.open(name, "rb") as handle:
            if hashlib.sha256(handle.read()).hexdigest() == digest:
                return name
    return storage.save(name, ContentFile(pdf))


def read_frozen(followup):
    """The stored report's bytes, checked against the SHA-256 frozen at publication."""
    with followup.pdf.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != followup.pdf_sha256:
        raise FrozenReportChanged(f"{followup.pdf.name} does not match its SHA-256")
    return data
