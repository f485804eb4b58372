"""Every public address of the demo data, rendered and written to a folder; two folders compared.

For a redesign that must not change what citizens read (issue 15): render the pages before and
after it and compare them byte for byte. Each run starts from a fresh SQLite database with the
demo data, so two runs on the same day see the same data:

    python -m tests.public_snapshot write /tmp/before     # on the old commit
    python -m tests.public_snapshot write /tmp/after      # on the new one
    python -m tests.public_snapshot compare /tmp/before /tmp/after

A report's SHA-256 differs between runs (the PDF holds its rendering time), so 64-digit hex
digests are masked in the comparison, and a report is compared by its text without the time
it was made; nothing else is.
"""

import os
import re
import sys
import tempfile
from pathlib import Path

MASKED = re.compile(rb"\b[0-9a-f]{64}\b")
MADE_AT = re.compile(r"(Skapad|Created) \d+ \w+ \d{4} \d\d:\d\d")
PRIVATE = ("admin/", "personal/", "en/personal/")


def _setup(database):
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DEBUG", "1")
    os.environ["BROWSER_PATH"] = "/nonexistent/chromium"  # no charts in the stored reports
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "promise_portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)


def write(folder):
    folder = Path(folder)
    with tempfile.TemporaryDirectory() as scratch:
        _setup(Path(scratch) / "snapshot.sqlite3")
        from django.core.cache import cache
        from django.test import Client

        from tests.url_catalogue import Unresolvable, all_routes, concrete_url

        client = Client(HTTP_HOST="127.0.0.1")
        urls = set()
        for route in all_routes():
            if route.route.startswith(PRIVATE) or route.key == "healthz":
                continue
            for language in ("sv", "en") if route.i18n else ("sv",):
                try:
                    urls.add(concrete_url(route, language))
                except Unresolvable:
                    continue
        urls |= _every_part_of_the_demo()
        written = 0
        for url in sorted(urls):
            cache.clear()
            response = client.get(url)
            body = b"".join(response) if response.streaming else response.content
            name = url.strip("/").replace("/", "__") or "index"
            target = folder / f"{name}.{response.status_code}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
            written += 1
        print(f"{written} public addresses written to {folder}")


def _every_part_of_the_demo():
    """Each commitment's, district's and published follow-up's pages, in both languages."""
    from commitments.models import Promise

    urls = set()
    for promise in Promise.objects.public():
        paths = [promise.get_absolute_url()]
        paths += [c.get_absolute_url() for c in promise.commitments.all()]
        paths += [d.get_absolute_url() for d in promise.districts.all()]
        for followup in promise.followups.public():
            paths += [followup.get_absolute_url(), followup.get_version_url()]
            paths.append(followup.get_pdf_url())
        urls |= {*paths, *(f"/en{p}" for p in paths)}
    return urls


def _comparable(path):
    """A file's bytes with digests masked; a PDF's text (its bytes hold when it was made)."""
    if ".pdf." in path.name:
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        return MASKED.sub(b"<sha256>", MADE_AT.sub("<made at>", text).encode())
    return MASKED.sub(b"<sha256>", path.read_bytes())


def compare(before, after):
    before, after = Path(before), Path(after)
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    differ = []
    for name in names:
        old, new = before / name, after / name
        if not (old.exists() and new.exists()):
            differ.append(f"{name}: only in {'before' if old.exists() else 'after'}")
        elif _comparable(old) != _comparable(new):
            differ.append(f"{name}: differs")
    for line in differ:
        print(line)
    print(f"{len(names)} addresses, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    command, *folders = sys.argv[1:]
    sys.exit(write(*folders) if command == "write" else compare(*folders))
