"""The Swedish catalogue is complete, compiled, and covers every string in the code."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES"


def test_every_entry_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    source = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in po.translated_entries()}
    assert compiled == source, "run `make messages` and commit locale/"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed")
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    # makemessages writes into ./locale, so it runs on a copy of the sources.
    base = Path(settings.BASE_DIR)
    # devtools too: with DEBUG on it is an installed app, though it has no interface text.
    sources = [
        "promise_portal",
        "commitments",
        "followups",
        "feedback",
        "subscriptions",
        "devtools",
        "templates",
        "locale",
    ]
    for name in ["manage.py", *sources]:
        copy = shutil.copytree if (base / name).is_dir() else shutil.copy
        copy(base / name, tmp_path / name)
    (tmp_path / "locale/sv/LC_MESSAGES/django.po").unlink()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "sv", "--verbosity", "0"],
        cwd=tmp_path,
        env={**os.environ, "DEBUG": "1", "SECRET_KEY": "makemessages-only"},
        check=True,
    )
    found = {
        (e.msgctxt, e.msgid)
        for e in polib.pofile(str(tmp_path / "locale/sv/LC_MESSAGES/django.po"))
    }
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE / "django.po"))}
    assert found - known == set(), "run `make messages` and translate the new strings"
