"""The admin is the operators' tool (issue 17, item 3): only superusers are staff.

Coordinators set up promises in the staff area's workspace and administer their people there,
so a coordinator, as the demo seeds one and as an accepted invitation makes one, is sent to the
admin's login; the operator (`createsuperuser`) gets in. `User.clean` refuses staff status
without superuser status, so the admin's own user form cannot make a coordinator staff again,
and migration 0015 took it from every account that had it.
"""

import importlib
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from commitments import people, roles
from commitments.models import Invitation, User
from commitments.models.invitations import Role
from followups.demo import seed_accounts

from .tenants import member, operator

pytestmark = pytest.mark.django_db

PASSWORD = "ett-långt-lösenord-för-test"


def _admin_answer(user):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    if response.status_code == 302:
        return urlsplit(response["Location"]).path
    return response.status_code


def _accepted_coordinator(organisation):
    roles.ensure_groups()
    invitation, _raw = Invitation.issue(
        email="ny.samordnare@eskilstuna.example", organisation=organisation, role=Role.COORDINATOR
    )
    form = people.AcceptForm(
        {"username": "ny.samordnare", "password1": PASSWORD, "password2": PASSWORD},
        invitation=invitation,
    )
    assert form.is_valid(), form.errors
    return people.accept(invitation.pk, form)


def test_a_coordinator_is_sent_to_the_admin_login_and_the_operator_gets_in(eskilstuna):
    seeded = seed_accounts("demo-password-not-used")["samordnare"]
    invited = _accepted_coordinator(eskilstuna.municipality)
    for coordinator in (seeded, invited):
        assert coordinator.groups.filter(name=roles.COORDINATOR).exists()
        assert not coordinator.is_staff
        assert _admin_answer(coordinator) == reverse("admin:login")
    assert _admin_answer(operator()) == 200


def test_nobody_but_a_superuser_may_be_staff(municipality_org):
    coordinator = member("samordnare", municipality_org, roles.COORDINATOR)
    coordinator.is_staff = True
    with pytest.raises(ValidationError) as refused:
        coordinator.full_clean()
    assert set(refused.value.message_dict) == {"is_staff"}
    coordinator.is_superuser = True
    coordinator.full_clean()


def test_the_admins_user_form_does_not_make_a_coordinator_staff(municipality_org):
    coordinator = member("samordnare", municipality_org, roles.COORDINATOR, email="s@e.example")
    client = Client()
    client.force_login(operator())
    url = reverse("admin:commitments_user_change", args=[coordinator.pk])
    response = client.post(
        url,
        {
            "username": coordinator.username,
            "first_name": coordinator.first_name,
            "last_name": "",
            "email": coordinator.email,
            "is_active": "on",
            "is_staff": "on",
            "groups": [group.pk for group in coordinator.groups.all()],
            "organisation": municipality_org.pk,
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 200  # the form again, with the field's error
    assert response.context["adminform"].form.errors.keys() == {"is_staff"}
    coordinator.refresh_from_db()
    assert not coordinator.is_staff


def test_the_migration_takes_staff_status_from_everyone_but_the_operators(municipality_org):
    coordinator = member("samordnare", municipality_org, roles.COORDINATOR, is_staff=True)
    the_operator = operator()
    migration = importlib.import_module("commitments.migrations.0016_staff_only_operators")
    migration.only_operators_are_staff(
        apps, SimpleNamespace(connection=SimpleNamespace(alias="default"))
    )
    assert not User.objects.get(pk=coordinator.pk).is_staff
    assert User.objects.get(pk=the_operator.pk).is_staff
