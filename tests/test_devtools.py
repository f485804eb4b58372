"""The development tools (devtools/) are installed in development and for `make bench` only."""

import runpy

import pytest
from django.conf import settings
from django.core.management import get_commands

SETTINGS = settings.BASE_DIR / "promise_portal" / "settings.py"
COMMANDS = ["bench_import", "bench_report", "generate_activities", "generate_national"]


@pytest.mark.parametrize(
    ("environment", "installed"),
    [
        ({"DEBUG": "1"}, True),
        ({"DEBUG": "0"}, False),
        ({"DEBUG": "0", "BENCH": "1"}, True),
        ({"DEBUG": "0", "BENCH": "0"}, False),
    ],
)
def test_devtools_is_an_app_only_with_debug_or_bench(monkeypatch, environment, installed):
    monkeypatch.delenv("BENCH", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    built = runpy.run_path(str(SETTINGS))

    assert ("devtools" in built["INSTALLED_APPS"]) is installed


def test_its_commands_come_from_devtools():
    # The suite runs with DEBUG on (make test), so the app is installed here.
    commands = get_commands()
    assert {name: commands.get(name) for name in COMMANDS} == dict.fromkeys(COMMANDS, "devtools")
