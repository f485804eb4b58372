"""The page checks: axe-core (WCAG 2.1 A and AA), the Nu Html Checker, 320 px width, and on
public pages tables that fit a phone.

Each returns what it found, described well enough to fix it from the test output; an empty
list means the page passes. `tests/e2e/test_checkers.py` proves each one finds a planted fault.
"""

import json
import subprocess
import tempfile
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NARROW = 320
VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

_axe = Axe()


def axe_violations(page):
    """axe-core's violations of the WCAG 2.1 A and AA rules on the page as it is now."""
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
    ]


def sideways_scroll(page):
    """How far the page scrolls sideways at 320 px (0 when it fits); restores the viewport."""
    viewport = page.viewport_size
    page.set_viewport_size({"width": NARROW, "height": viewport["height"]})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
    finally:
        page.set_viewport_size(viewport)
    return max(0, width - NARROW)


PHONES = (390, NARROW)

# The tables folded behind "Visa siffrorna" are opened first, as a reader would.
_SCROLLING_TABLES = """() => {
    document.querySelectorAll(".show-figures[aria-expanded=false]").forEach((b) => b.click());
    return [...document.querySelectorAll(".table-wrap")]
    .filter((box) => box.scrollWidth > box.clientWidth + 1)
    .map((box) => {
        const caption = box.querySelector("caption");
        return (caption ? caption.textContent : box.textContent).trim().slice(0, 60);
    });
}"""


def tables_scrolling_sideways(page):
    """The tables whose figures hide behind a horizontal scroll on a phone (390 and 320 px):
    "390 px: <caption>" for each; restores the viewport."""
    viewport = page.viewport_size
    found = []
    try:
        for width in PHONES:
            page.set_viewport_size({"width": width, "height": viewport["height"]})
            found += [f"{width} px: {name}" for name in page.evaluate(_SCROLLING_TABLES)]
    finally:
        page.set_viewport_size(viewport)
    return found


def html_errors(documents):
    """The Nu Html Checker's errors for each document, in one run of the checker.

    `documents` maps a name to the HTML as the server sent it; the result maps each name to
    its list of error messages.
    """
    if not VNU_JAR.exists():
        raise RuntimeError(f"{VNU_JAR} is missing: run `npm ci` (make e2e does it)")
    with tempfile.TemporaryDirectory(prefix="vnu-") as directory:
        files = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(directory) / f"page{index}.html"
            path.write_text(html, encoding="utf-8")
            files[path.name] = (name, str(path))
        completed = subprocess.run(
            [
                "java",
                "-jar",
                str(VNU_JAR),
                "--format",
                "json",
                "--stdout",
                *(path for _name, path in files.values()),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if not completed.stdout.strip():
            raise RuntimeError(f"the Nu Html Checker gave no report: {completed.stderr[-2000:]}")
        report = json.loads(completed.stdout)
    errors = {name: [] for name in documents}
    for message in report["messages"]:
        if message["type"] not in {"error", "non-document-error"}:
            continue
        # vnu names the file it read ("file:/tmp/vnu-x/page3.html"); a message about no file
        # (the checker itself failing) is charged to every document, never dropped.
        filename = message.get("url", "").rpartition("/")[2]
        names = [files[filename][0]] if filename in files else list(documents)
        where = f"line {message.get('lastLine', '?')}"
        for name in names:
            errors[name].append(
                f"{where}: {message['message']} [{message.get('extract', '').strip()}]"
            )
    return errors
