"""`manage.py seed_demo` loads the promise and demo data, and a second run changes nothing."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from commitments.models import Activity, User
from followups.models import FollowUp

pytestmark = pytest.mark.django_db


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for app in ("commitments", "followups")
        for model in apps.get_app_config(app).get_models()
    }


def test_seed_demo_twice_gives_the_same_row_counts(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-lösenord-2018")
    call_command("seed_demo", stdout=io.StringIO())
    first = row_counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert row_counts() == first
    assert "0 new demo activities" in out.getvalue()


def test_seed_demo_makes_the_accounts_of_the_design(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-lösenord-2018")
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    groups = {u.username: [g.name for g in u.groups.all()] for u in User.objects.all()}
    assert groups == {
        "polis": ["police"],
        "kommun": ["municipality"],
        "samordnare": ["coordinator"],
        "ordforande": ["approver"],
        "lpo-chef": ["approver"],
    }
    assert User.objects.get(username="polis").check_password("demo-lösenord-2018")
    assert "demo-lösenord-2018" in out.getvalue()


def test_seed_demo_covers_the_year_every_commitment_and_district(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-lösenord-2018")
    call_command("seed_demo", stdout=io.StringIO())
    activities = Activity.objects.all()
    assert 200 <= activities.count() <= 1000
    assert set(activities.values_list("commitment__number", flat=True)) == {1, 2, 3}
    assert activities.values("district").distinct().count() == 4
    assert {d.month for d in activities.dates("date", "month")} == set(range(1, 13))
    assert all(a.external_id.startswith("demo-") for a in activities)
    states = dict(FollowUp.objects.values_list("tertial", "state"))
    assert states == {1: "published", 2: "published", 3: "draft"}


def test_seed_demo_generates_a_password_once_when_none_is_given(monkeypatch, tmp_path, settings):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    settings.BASE_DIR = tmp_path
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)
    password = (tmp_path / ".demo_password").read_text()
    assert "(generated now)" in first.getvalue()
    assert "(generated now)" not in second.getvalue()
    assert User.objects.get(username="samordnare").check_password(password)
