"""/healthz/ answers 200 when the database answers and 503 when it does not."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

# A real unreachable database: a PostgreSQL address where nothing listens.
PROBE = """
import django, json
django.setup()
from django.test import Client
response = Client(HTTP_HOST="localhost").get("/healthz/")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def test_healthz_is_200_with_a_small_json_body(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_unreachable():
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/unreachable",
        "DJANGO_SETTINGS_MODULE": "promise_portal.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer == {"status": 503, "body": {"status": "error", "database": "unreachable"}}
