"""The tertial report: the follow-up page's template parts as a tagged A4 PDF, via WeasyPrint.

`build_context` gathers what the web page and the PDF both show, from commitments.figures;
`render_pdf` makes the PDF (WeasyPrint is imported inside, so that the site starts where Pango
is missing); `render_and_store` freezes a published follow-up's report once.
"""

import asyncio
import base64
import hashlib
import logging
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commitments import charts, figures
from commitments.models import Commitment, Indicator

from .models import FollowUp
from .tertials import tertials_between

logger = logging.getLogger(__name__)
_warned_no_browser = False
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
    return _stylesheet


@dataclass
class CommitmentPart:
    """One commitment's section of the follow-up, the same on the page and in the PDF."""

    commitment: Commitment
    assessment: object
    by_district: list
    by_tertial: list
    indicators: list
    chart_title: str
    chart_svg: str = ""  # base64 SVG, filled in only for the PDF

    @property
    def anchor(self):
        return f"atagande-{self.commitment.number}"


def build_context(followup):
    """Everything the follow-up's page and report show, computed from the data."""
    promise = followup.promise
    tertial = followup.period
    tertials = [
        t
        for t in tertials_between(promise.start_date, promise.end_date)
        if t.year == tertial.year and t <= tertial
    ]
    commitments = list(
        promise.commitments.prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related("activity_types", "districts"),
            )
        )
    )
    assessments = {a.commitment_id: a for a in followup.assessments.all()}
    by_district = figures.activities_by_district(commitments, tertial.start, tertial.end)
    by_tertial = figures.activities_by_tertial(commitments, tertials)
    parts = [
        CommitmentPart(
            commitment=commitment,
            assessment=assessments.get(commitment.pk),
            by_district=by_district.get(commitment.pk, []),
            by_tertial=by_tertial.get(commitment.pk, []),
            indicators=figures.indicator_values(
                commitment.indicators.all(), tertial.start, tertial.end
            ),
            chart_title=_("Activities per tertial, %(year)s") % {"year": tertial.year},
        )
        for commitment in commitments
    ]
    goal_indicators = figures.indicator_values(
        Indicator.objects.filter(promise=promise, commitment=None).prefetch_related(
            "activity_types", "districts"
        ),
        tertial.start,
        tertial.end,
    )
    signatories = {s.organisation_id: s for s in promise.signatories.all()}
    approvals = [
        (approval, signatories.get(approval.organisation_id))
        for approval in followup.approvals.select_related("organisation")
    ]
    return {
        "followup": followup,
        "promise": promise,
        "tertial": tertial,
        "parts": parts,
        "goal_indicators": goal_indicators,
        "approvals": approvals,
    }


def chart_figures(context):
    """The plotly figures of a report, in the order of its parts."""
    return [
        charts.activities_per_tertial(part.by_tertial, title=part.chart_title)
        for part in context["parts"]
    ]


def svg_batch(plotly_figures):
    """SVG bytes of each figure, rendered in one browser session (kaleido, Chromium).

    Starting the browser costs seconds and each next figure a fraction of one, so a report's
    figures go through one warm session. Without a browser: [] and one warning per process.
    """
    global _warned_no_browser
    if not plotly_figures:
        return []
    os.environ.setdefault("BROWSER_PATH", settings.BROWSER_PATH)
    try:
        import kaleido

        async def render_all():
            async with kaleido.Kaleido(n=1) as session:
                return [
                    await session.calc_fig(figure, opts={"format": "svg"})
                    for figure in plotly_figures
                ]

        return asyncio.run(render_all())
    except Exception as error:
        if not _warned_no_browser:
            logger.warning("Report charts left out: no browser for kaleido (%s).", error)
            _warned_no_browser = True
        return []


def render_pdf(followup, *, draft=False, with_charts=True):
    """The report as PDF bytes: A4, Swedish, tagged (PDF/UA-1); "UTKAST" on every page if draft."""
    from weasyprint import HTML

    with translation.override("sv"):
        context = build_context(followup)
        if with_charts:
            images = svg_batch(chart_figures(context))
            for part, svg in zip(context["parts"], images, strict=False):
                part.chart_svg = base64.b64encode(svg).decode("ascii")
        html = render_to_string(
            "followups/report.html",
            {**context, "draft": draft, "generated_at": timezone.now()},
        )
    fonts, css = _report_stylesheet()
    return HTML(string=html, base_url=str(settings.BASE_DIR / "static")).write_pdf(
        stylesheets=[css], font_config=fonts, pdf_variant="pdf/ua-1"
    )


def report_filename(followup, digest=""):
    name = f"{followup.promise.slug}-{followup.period.slug}-v{followup.version}"
    return f"{name}-{digest[:12]}.pdf" if digest else f"{name}.pdf"


def render_and_store(followup):
    """Render a published follow-up's report once and freeze it with its SHA-256.

    A stored report is never rendered again, so it cannot change when the data change.
    """
    if followup.state != FollowUp.State.PUBLISHED or followup.pdf:
        return followup
    try:
        pdf = render_pdf(followup)
        digest = hashlib.sha256(pdf).hexdigest()
        followup.pdf.save(
            f"{followup.promise.slug}/{report_filename(followup, digest)}",
            ContentFile(pdf),
            save=False,
        )
    except Exception as error:
        # Visible to the coordinator on the staff page, who can queue it again.
        followup.pdf = ""
        followup.pdf_status = FollowUp.PdfStatus.FAILED
        followup.pdf_error = f"{type(error).__name__}: {error}"[:2000]
        followup.save(update_fields=["pdf", "pdf_status", "pdf_error", "updated_at"])
        raise
    followup.pdf_sha256 = digest
    followup.pdf_status = FollowUp.PdfStatus.READY
    followup.pdf_error = ""
    followup.save(update_fields=["pdf", "pdf_sha256", "pdf_status", "pdf_error", "updated_at"])
    return followup
