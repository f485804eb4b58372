"""The share pack of a published follow-up: an image for social media and a ready-to-post text.

The image (1200 × 630 PNG, the size Open Graph and X/Twitter cards show large) is drawn on the
server with Pillow in the project's own font, from the same follow-up the page and the PDF
show: the promise, the tertial and each commitment's assessment, in words and colour. It is
rendered by the background worker when the follow-up is published (`tasks.render_report`),
stored once beside the report, and served without a cookie (`views.share_image`).

The post text is for staff to paste on Facebook or elsewhere: Swedish, at most 500 characters,
the link to the follow-up, and nothing about a person (the assessments are the organisations').
"""

import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext as _

from .models import FollowUp
from .reports import commitments_as_published

logger = logging.getLogger(__name__)

SIZE = (1200, 630)
IMAGE_ROWS = 4  # commitments drawn; a promise has "a few", the rest are counted
POST_LIMIT = 500
FONTS = settings.BASE_DIR / "static" / "fonts" / "source-sans-3"
# The site's colours (static/css/site.css): status colours with AA contrast on white.
INK, MUTED, BRAND, PAPER, TINT = "#1b1e23", "#4a5160", "#0b3a6e", "#ffffff", "#f2f4f7"
STATUS_COLOURS = {
    "on_track": "#1d6b34",
    "kept": "#1d6b34",
    "partly": "#8a4b00",
    "partly_kept": "#8a4b00",
    "not_on_track": "#a4161a",
    "not_kept": "#a4161a",
}


@dataclass(frozen=True)
class Line:
    number: int
    title: str
    status: str  # CommitmentAssessment.Status, or "" when not assessed
    status_text: str
    label: str  # "Åtagande 1, <title>"


@dataclass(frozen=True)
class ShareCard:
    """What the image says (in Swedish, whoever asks), and its alt text in words."""

    heading: str
    promise: str
    period: str
    organisations: str
    lines: tuple
    more: str  # "and 2 more commitments" when the image has no room for them, else ""

    @property
    def alt_text(self):
        parts = [f"{self.heading}: {self.promise}."]
        parts += [f"{line.label}: {line.status_text}." for line in self.lines]
        return " ".join(parts)


def share_card(followup):
    """The card of a follow-up: its commitments as published, each with its assessment."""
    promise = followup.promise
    with translation.override("sv"):
        commitments = list(promise.commitments.order_by("number"))
        as_published = commitments_as_published(followup, commitments)
        assessments = {a.commitment_id: a for a in followup.assessments.all()}
        lines = []
        for commitment in commitments:
            shown = as_published.get(commitment.pk, commitment)
            assessment = assessments.get(commitment.pk)
            lines.append(
                Line(
                    number=commitment.number,
                    title=shown.title,
                    status=assessment.status if assessment else "",
                    status_text=(
                        assessment.get_status_display() if assessment else _("not assessed")
                    ),
                    label=f"{_('Commitment')} {commitment.number}, {shown.title}",
                )
            )
        hidden = len(lines) - IMAGE_ROWS
        return ShareCard(
            heading=_("Follow-up %(period)s") % {"period": followup.period},
            promise=promise.title,
            period=str(followup.period),
            organisations=f"{promise.municipality.name} · {promise.police_area.name}",
            lines=tuple(lines),
            more=_("and %(n)s more commitments") % {"n": hidden} if hidden > 0 else "",
        )


def _font(size, *, bold=False):
    from PIL import ImageFont

    name = "source-sans-3-latin-700-normal.ttf" if bold else "source-sans-3-latin-400-normal.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def _fit(draw, text, font, width, *, lines=1):
    """`text` wrapped into at most `lines` lines of `width` pixels, the last cut with "…"."""
    words, out, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            current = candidate
            continue
        out.append(current)
        current = word
        if len(out) == lines:
            break
    else:
        out.append(current)
        return [line for line in out if line]
    last = out[-1]
    while last and draw.textlength(last + " …", font=font) > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    out[-1] = f"{last} …"
    return out


def render_image(card):
    """The card as PNG bytes, 1200 × 630."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    margin = 64
    # The band: what this is and of which promise.
    draw.rectangle([0, 0, width, 200], fill=BRAND)
    draw.text((margin, 40), card.heading.upper(), font=_font(28), fill=PAPER)
    title_font = _font(54, bold=True)
    for n, line in enumerate(_fit(draw, card.promise, title_font, width - 2 * margin)):
        draw.text((margin, 84 + n * 60), line, font=title_font, fill=PAPER)
    # One row per commitment: the status in a coloured box, the commitment's title beside.
    top, rows = 236, card.lines[:IMAGE_ROWS]
    row_height = min(96, (height - top - 80) // max(1, len(rows)))
    status_font, title_font = _font(28, bold=True), _font(32)
    for n, line in enumerate(rows):
        y = top + n * row_height
        colour = STATUS_COLOURS.get(line.status, MUTED)
        label = line.status_text[:1].upper() + line.status_text[1:]
        box = 300
        draw.rounded_rectangle([margin, y, margin + box, y + 56], radius=8, outline=colour, width=4)
        label_lines = _fit(draw, label, status_font, box - 28)
        draw.text((margin + 14, y + 10), label_lines[0], font=status_font, fill=colour)
        text = f"{line.number}. {line.title}"
        x = margin + box + 28
        for k, part in enumerate(_fit(draw, text, title_font, width - x - margin, lines=2)):
            draw.text((x, y + 8 + k * 36), part, font=title_font, fill=INK)
    if card.more:
        draw.text((margin, height - 112), card.more, font=_font(26), fill=MUTED)
    draw.rectangle([0, height - 72, width, height], fill=TINT)
    draw.text((margin, height - 56), card.organisations, font=_font(28), fill=MUTED)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def render_and_store_image(followup):
    """Draw a published follow-up's share image once and store it beside its report."""
    if followup.state != FollowUp.State.PUBLISHED or followup.share_image:
        return followup
    card = share_card(followup)
    name = f"{followup.promise.slug}/{followup.promise.slug}-{followup.period.slug}"
    followup.share_image.save(
        f"{name}-v{followup.version}.png", ContentFile(render_image(card)), save=False
    )
    followup.share_image_alt = card.alt_text
    followup.save(update_fields=["share_image", "share_image_alt", "updated_at"])
    # The public pages name the image in their Open Graph tags from now on.
    followup.promise.touch()
    return followup


def post_text(followup, url):
    """A ready-to-post text in Swedish: the promise, the tertial, each commitment's status
    and the link; at most POST_LIMIT characters (titles are shortened, then left out)."""
    card = share_card(followup)
    with translation.override("sv"):
        opening = _("Follow-up of %(promise)s, %(period)s:") % {
            "promise": card.promise,
            "period": card.period,
        }
        closing = _("Read what was done and the figures: %(url)s") % {"url": url}
        commitment = _("Commitment")
    for title_length in (200, 80, 50, 30, 0):
        lines = [opening]
        for line in card.lines:
            title = line.title
            if len(title) > title_length:
                title = title[: max(0, title_length - 1)].rstrip() + "…"
            if title_length:
                lines.append(f"{line.number}. {title}: {line.status_text}.")
            else:
                lines.append(f"{commitment} {line.number}: {line.status_text}.")
        text = "\n".join([*lines, closing])
        if len(text) <= POST_LIMIT:
            return text
    # Only a very long promise title or address gets here: the opening is cut.
    room = POST_LIMIT - len(closing) - 2
    return text[:room].rstrip() + "…\n" + closing
