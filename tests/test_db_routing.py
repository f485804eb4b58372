"""Which requests count as public-page reads for the replica router (db_routers.py)."""

import pytest
from django.urls import resolve
from django.utils import translation

from promise_portal.db_routers import ReplicaRouter, is_public_page, public_read


@pytest.mark.parametrize(
    ("method", "path", "public"),
    [
        ("GET", "/", True),
        ("HEAD", "/loften/eskilstuna-2018/", True),
        ("GET", "/en/loften/eskilstuna-2018/atagande/1/", True),
        ("POST", "/loften/eskilstuna-2018/", False),
        ("GET", "/admin/", False),
        ("GET", "/healthz/", False),
    ],
)
def test_only_reads_of_public_pages_count_as_public(rf, method, path, public):
    request = getattr(rf, method.lower())(path)
    with translation.override("en" if path.startswith("/en/") else "sv"):
        match = resolve(path)
    assert is_public_page(request, match) is public


def test_staff_routes_are_never_public_whatever_their_namespace(rf):
    match = resolve("/")
    match.route = "personal/uppfoljningar/"
    assert not is_public_page(rf.get("/personal/uppfoljningar/"), match)
    match.route = "en/personal/uppfoljningar/"
    assert not is_public_page(rf.get("/en/personal/uppfoljningar/"), match)


def test_without_a_replica_every_read_and_write_goes_to_the_primary():
    router = ReplicaRouter()
    token = public_read.set(True)
    try:
        assert router.db_for_read(None) == "default"
        assert router.db_for_write(None) == "default"
    finally:
        public_read.reset(token)
    assert router.allow_migrate("replica", "commitments") is False
