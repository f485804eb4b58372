"""While the version cannot be read, a public page is served as it was last rendered.

The database's failure is simulated here by the one read the page cache makes; the live test
(tests/live/test_database_outage.py) stops a real PostgreSQL server.
"""

import pytest
from django.db import OperationalError

from commitments import cache

from .public_urls import body

pytestmark = pytest.mark.django_db

VISITED = "/loften/eskilstuna-2018/atagande/1/"
SERVED_WHILE_DOWN = "X-Served-While-Database-Unavailable"


@pytest.fixture
def database_down(monkeypatch):
    def unreachable(*args):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    def go_down():
        monkeypatch.setattr(cache, "promise_version", unreachable)
        monkeypatch.setattr(cache, "home_version", unreachable)

    return go_down


def test_a_page_rendered_before_the_outage_is_served_and_marked(client, eskilstuna, database_down):
    first = client.get(VISITED)
    assert SERVED_WHILE_DOWN not in first
    database_down()
    response = client.get(VISITED)
    assert response.status_code == 200
    assert body(response) == body(first)
    assert response[SERVED_WHILE_DOWN] == "1"
    assert response["Cache-Control"] == "no-cache"
    assert int(response["Age"]) >= 0
    assert not response.cookies


def test_the_last_rendering_is_the_newest_version_seen(client, eskilstuna, database_down):
    client.get(VISITED)
    commitment = eskilstuna.commitments.get(number=1)
    commitment.title = "Ny rubrik 7741"
    commitment.save()
    eskilstuna.touch()
    assert "Ny rubrik 7741" in body(client.get(VISITED))
    database_down()
    assert "Ny rubrik 7741" in body(client.get(VISITED))


def test_a_page_never_rendered_gets_the_outage_page(client, eskilstuna, database_down):
    client.get(VISITED)
    database_down()
    for path in ["/loften/eskilstuna-2018/", "/en" + VISITED]:
        response = client.get(path)
        assert response.status_code == 503, path
        assert response["Retry-After"]
        assert SERVED_WHILE_DOWN not in response
