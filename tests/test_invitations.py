"""Accounts without a superuser: invitations, accepting them, deactivating and changing roles.

A coordinator administers the people of the two organisations that sign the promises they
coordinate; the operators invite a promise's first coordinator with `invite_coordinator`.
"""

import hashlib
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commitments import roles
from commitments.models import AccountEvent, Activity, Invitation, Organisation, User
from commitments.models.invitations import INVITATION_DAYS

from .factories import ActivityFactory, PoliceFactory
from .tenants import second_tenant

pytestmark = pytest.mark.django_db

PASSWORD = "ett-långt-lösenord-för-test"
LINK = re.compile(r"http://testserver(/personal/inbjudan/[^/\s]+/)")


def _link(mail):
    return LINK.search(mail.body)[1]


def _invite(client, organisation, role=roles.POLICE, email="ny.polis@polisen.example"):
    return client.post(
        reverse("staff:people_invite"),
        {"email": email, "organisation": organisation.pk, "role": role},
    )


def _issue(organisation, role=roles.MUNICIPALITY, email="ny@eskilstuna.example", **extra):
    roles.ensure_groups()
    return Invitation.issue(email=email, organisation=organisation, role=role, **extra)


def _accept(client, path, username="ny.polis", password=PASSWORD):
    return client.post(path, {"username": username, "password1": password, "password2": password})


@pytest.fixture
def coordinator_client(samordnare):
    client = Client()
    client.force_login(samordnare)
    return client


# The whole journey ---------------------------------------------------------------------------


def test_invite_accept_and_log_an_activity(coordinator_client, police_org, mailoutbox):
    response = _invite(coordinator_client, police_org)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:people")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ny.polis@polisen.example"]
    assert mail.subject == "Inbjudan till medborgarlöftesportalen"
    assert "polis" in mail.body and police_org.name in mail.body
    path = _link(mail)

    newcomer = Client()
    form = newcomer.get(path)
    assert form.status_code == 200
    assert 'value="ny.polis"' in form.content.decode()  # the user name, from the address
    response = _accept(newcomer, path)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:dashboard")

    user = User.objects.get(username="ny.polis")
    assert int(newcomer.session["_auth_user_id"]) == user.pk
    assert user.organisation == police_org
    assert list(user.groups.values_list("name", flat=True)) == [roles.POLICE]
    assert user.email == "ny.polis@polisen.example"
    assert not user.is_staff and not user.is_superuser and user.is_active
    assert newcomer.get(reverse("staff:dashboard")).status_code == 200
    assert newcomer.get(reverse("staff:activity_create")).status_code == 200

    invitation = Invitation.objects.get()
    assert invitation.account == user and invitation.accepted_at is not None
    # The coordinator sees the new person among the police area's active staff.
    page = coordinator_client.get(reverse("staff:people")).content.decode()
    assert "ny.polis" in page


def test_the_link_carries_the_token_and_only_its_hash_is_stored(police_org, samordnare):
    invitation, raw = _issue(police_org, role=roles.POLICE, invited_by=samordnare)
    assert len(raw) >= 40
    assert invitation.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert raw not in {str(value) for value in stored.values()}
    assert Invitation.objects.with_token(raw).get() == invitation


# Which roles in which organisation -------------------------------------------------------------

ROLE_CASES = [
    # (organisation, role, may be given)
    ("police", roles.POLICE, True),
    ("police", roles.MUNICIPALITY, False),
    ("police", roles.APPROVER, True),
    ("police", roles.COORDINATOR, True),
    ("municipality", roles.POLICE, False),
    ("municipality", roles.MUNICIPALITY, True),
    ("municipality", roles.APPROVER, True),
    ("municipality", roles.COORDINATOR, True),
]


@pytest.mark.parametrize(("kind", "role", "allowed"), ROLE_CASES)
def test_a_role_fits_the_kind_of_organisation(
    coordinator_client, eskilstuna, mailoutbox, kind, role, allowed
):
    organisation = eskilstuna.police_area if kind == "police" else eskilstuna.municipality
    response = _invite(coordinator_client, organisation, role=role)
    assert response.status_code == (302 if allowed else 200)
    assert Invitation.objects.exists() is allowed
    assert len(mailoutbox) == int(allowed)
    if not allowed:
        assert "Den här rollen kan inte ges i den här organisationen." in response.content.decode()
        with pytest.raises(ValidationError):
            _issue(organisation, role=role)


def test_only_the_signatories_of_the_coordinated_promises_are_offered(
    coordinator_client, eskilstuna
):
    other = second_tenant()
    partner = Organisation.objects.create(name="Föreningen", slug="foreningen", kind="other")
    form = coordinator_client.get(reverse("staff:people_invite")).context["form"]
    offered = set(form.fields["organisation"].queryset)
    assert offered == {eskilstuna.municipality, eskilstuna.police_area}
    for organisation in (other.municipality, partner):
        response = _invite(coordinator_client, organisation, role=roles.COORDINATOR)
        assert response.status_code == 200
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "email",
    ["811218-9876@example.se", "8112189876@polisen.example", "anna.19811218-9876@kommun.example"],
)
def test_a_personal_identity_number_in_the_address_is_refused(
    coordinator_client, police_org, mailoutbox, email
):
    response = _invite(coordinator_client, police_org, email=email)
    assert response.status_code == 200
    assert "personnummer" in response.content.decode()
    assert not Invitation.objects.exists() and not mailoutbox
    with pytest.raises(ValidationError) as error:
        _issue(police_org, role=roles.POLICE, email=email)
    assert "personal_number" in [e.code for e in error.value.error_dict["email"]]


def test_an_open_invitation_is_not_sent_twice(coordinator_client, police_org, mailoutbox):
    assert _invite(coordinator_client, police_org).status_code == 302
    response = _invite(coordinator_client, police_org, email="NY.POLIS@polisen.example")
    assert response.status_code == 200
    assert Invitation.objects.count() == 1 and len(mailoutbox) == 1


# The link: once, for seven days, until sent again or revoked -----------------------------------


def test_an_invitation_expires_after_seven_days(police_org):
    invitation, raw = _issue(police_org, role=roles.POLICE)
    assert invitation.expires_at - invitation.created_at == timedelta(days=INVITATION_DAYS)
    path = reverse("staff:invitation_accept", kwargs={"token": raw})
    almost = invitation.created_at + timedelta(days=7) - timedelta(minutes=1)
    assert invitation.state_at(almost) == Invitation.State.PENDING
    assert invitation.state_at(invitation.expires_at) == Invitation.State.EXPIRED
    # A week later: the link is gone, and posting to it creates nobody.
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = Client().get(path)
    assert response.status_code == 410
    assert "Inbjudan har gått ut." in response.content.decode()
    assert _accept(Client(), path).status_code == 410
    assert not User.objects.filter(username="ny.polis").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_link_works_once(police_org):
    _invitation, raw = _issue(police_org, role=roles.POLICE)
    path = reverse("staff:invitation_accept", kwargs={"token": raw})
    assert _accept(Client(), path).status_code == 302
    again = Client()
    response = again.get(path)
    assert response.status_code == 410
    assert "Inbjudan har redan använts." in response.content.decode()
    assert _accept(again, path, username="en.till").status_code == 410
    assert User.objects.filter(organisation=police_org).count() == 1
    assert "_auth_user_id" not in again.session


def test_an_unknown_link_is_not_found():
    response = Client().get(reverse("staff:invitation_accept", kwargs={"token": "ingen-sadan"}))
    assert response.status_code == 404
    assert "Länken till inbjudan är inte giltig." in response.content.decode()


def test_sending_again_makes_a_new_link_and_the_old_one_stops(
    coordinator_client, police_org, samordnare, mailoutbox
):
    invitation, old = _issue(police_org, role=roles.POLICE, invited_by=samordnare)
    url = reverse("staff:invitation_resend", kwargs={"pk": invitation.pk})
    assert coordinator_client.get(url).status_code == 200  # asks first
    assert coordinator_client.post(url).status_code == 302
    new = _link(mailoutbox[0])
    old_path = reverse("staff:invitation_accept", kwargs={"token": old})
    assert Client().get(old_path).status_code == 404
    assert Client().get(new).status_code == 200
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=6)


def test_a_revoked_link_stops(coordinator_client, police_org, samordnare):
    invitation, raw = _issue(police_org, role=roles.POLICE, invited_by=samordnare)
    url = reverse("staff:invitation_revoke", kwargs={"pk": invitation.pk})
    assert coordinator_client.post(url).status_code == 302
    response = Client().get(reverse("staff:invitation_accept", kwargs={"token": raw}))
    assert response.status_code == 410
    assert "Inbjudan har återkallats." in response.content.decode()
    # Neither sent again nor revoked twice.
    assert coordinator_client.post(url).status_code == 404
    resend = reverse("staff:invitation_resend", kwargs={"pk": invitation.pk})
    assert coordinator_client.post(resend).status_code == 404


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort", "Det här lösenordet är för kort"),
        ("password123", "Detta lösenord är alldeles för vanligt"),
        ("12345678901234", "Detta lösenord är enbart numeriskt"),
    ],
)
def test_the_password_must_pass_djangos_validators(police_org, password, message):
    _invitation, raw = _issue(police_org, role=roles.POLICE)
    path = reverse("staff:invitation_accept", kwargs={"token": raw})
    response = _accept(Client(), path, password=password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="ny.polis").exists()


def test_a_taken_user_name_is_refused(police_org, polis):
    _invitation, raw = _issue(police_org, role=roles.POLICE, email="polis@polisen.example")
    path = reverse("staff:invitation_accept", kwargs={"token": raw})
    assert 'value="polis2"' in Client().get(path).content.decode()
    response = _accept(Client(), path, username="POLIS")
    assert response.status_code == 200
    assert Invitation.objects.get().accepted_at is None


# Deactivating and changing a role ----------------------------------------------------------------


def test_a_deactivated_person_cannot_log_in_and_their_work_stays(
    coordinator_client, kommun, samordnare, eskilstuna
):
    activity = ActivityFactory(
        activity_type=eskilstuna.commitments.get(number=3).activity_types.first(),
        organisation=kommun.organisation,
        created_by=kommun,
    )
    logged_in = Client()
    logged_in.force_login(kommun)
    url = reverse("staff:account_deactivate", kwargs={"pk": kommun.pk})
    assert coordinator_client.get(url).status_code == 200
    assert coordinator_client.post(url).status_code == 302
    # A session already open ends with the account.
    assert logged_in.get(reverse("staff:dashboard")).status_code == 302
    kommun.refresh_from_db()
    assert not kommun.is_active
    login = Client().post(
        reverse("staff:login"), {"username": "kommun", "password": "correct horse battery staple"}
    )
    assert login.status_code == 200  # the form again, not the dashboard
    assert "_auth_user_id" not in login.wsgi_request.session
    assert Activity.objects.get(pk=activity.pk).created_by == kommun
    event = AccountEvent.objects.get(account=kommun)
    assert (event.action, event.role, event.by) == ("deactivated", roles.MUNICIPALITY, samordnare)
    page = coordinator_client.get(reverse("staff:people")).content.decode()
    assert "Avaktiverade" in page
    # Once is enough: a deactivated account is not offered again.
    assert coordinator_client.post(url).status_code == 404


def test_a_coordinator_does_not_deactivate_themselves(coordinator_client, samordnare):
    url = reverse("staff:account_deactivate", kwargs={"pk": samordnare.pk})
    assert coordinator_client.post(url).status_code == 403
    samordnare.refresh_from_db()
    assert samordnare.is_active


def test_changing_a_role_is_recorded(coordinator_client, kommun, samordnare):
    url = reverse("staff:account_role", kwargs={"pk": kommun.pk})
    assert coordinator_client.get(url).status_code == 200
    assert coordinator_client.post(url, {"role": roles.POLICE}).status_code == 200  # not here
    assert coordinator_client.post(url, {"role": roles.APPROVER}).status_code == 302
    assert list(kommun.groups.values_list("name", flat=True)) == [roles.APPROVER]
    event = AccountEvent.objects.get(account=kommun)
    assert (event.action, event.role, event.by) == ("role_changed", roles.APPROVER, samordnare)


def test_every_step_is_in_the_audit_trail(coordinator_client, police_org, samordnare, mailoutbox):
    _invite(coordinator_client, police_org)
    invitation = Invitation.objects.get()
    coordinator_client.post(reverse("staff:invitation_resend", kwargs={"pk": invitation.pk}))
    _accept(Client(), _link(mailoutbox[-1]))
    other, _raw = _issue(police_org, role=roles.APPROVER, email="chef@polisen.example")
    coordinator_client.post(reverse("staff:invitation_revoke", kwargs={"pk": other.pk}))
    user = User.objects.get(username="ny.polis")
    coordinator_client.post(reverse("staff:account_deactivate", kwargs={"pk": user.pk}))

    history = invitation.history.order_by("history_date", "history_id")
    assert [(r.history_change_reason, r.history_user) for r in history] == [
        ("invited", samordnare),
        ("resent", samordnare),
        ("accepted", user),
    ]
    assert other.history.latest("history_date").history_change_reason == "revoked"
    assert list(
        AccountEvent.objects.filter(account=user).order_by("at").values_list("action", "by")
    ) == [("created", user.pk), ("deactivated", samordnare.pk)]
    page = coordinator_client.get(reverse("staff:people")).content.decode()
    for words in ("inbjuden", "inbjudan skickad igen", "inbjudan accepterad", "avaktiverad"):
        assert words in page


# Who may ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["polis", "kommun", "ordforande", "lpo_chef", "outsider"])
def test_only_coordinators_administer_people(request, police_org, kommun, role):
    invitation, _raw = _issue(police_org, role=roles.POLICE)
    client = Client()
    client.force_login(request.getfixturevalue(role))
    urls = [
        reverse("staff:people"),
        reverse("staff:people_invite"),
        reverse("staff:invitation_resend", kwargs={"pk": invitation.pk}),
        reverse("staff:invitation_revoke", kwargs={"pk": invitation.pk}),
        reverse("staff:account_deactivate", kwargs={"pk": kommun.pk}),
        reverse("staff:account_role", kwargs={"pk": kommun.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url
    assert _invite(client, police_org).status_code == 403
    assert not Invitation.objects.exclude(pk=invitation.pk).exists()


def test_another_municipality_s_coordinator_sees_nothing_of_ours(police_org, kommun, samordnare):
    invitation, _raw = _issue(police_org, role=roles.POLICE, email="var@polisen.example")
    theirs = second_tenant().users["coordinator"]
    client = Client()
    client.force_login(theirs)
    page = client.get(reverse("staff:people"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Västerås stad" in text
    for ours in ("var@polisen.example", police_org.name, kommun.organisation.name, ">kommun<"):
        assert ours not in text
    for url in [
        reverse("staff:invitation_resend", kwargs={"pk": invitation.pk}),
        reverse("staff:invitation_revoke", kwargs={"pk": invitation.pk}),
        reverse("staff:account_deactivate", kwargs={"pk": kommun.pk}),
        reverse("staff:account_role", kwargs={"pk": kommun.pk}),
        reverse("staff:account_deactivate", kwargs={"pk": samordnare.pk}),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    invitation.refresh_from_db()
    kommun.refresh_from_db()
    assert invitation.revoked_at is None and kommun.is_active


def test_an_operator_administers_everyone(police_org, kommun):
    from .tenants import operator

    client = Client()
    client.force_login(operator())
    assert client.get(reverse("staff:people")).status_code == 200
    url = reverse("staff:account_deactivate", kwargs={"pk": kommun.pk})
    assert client.post(url).status_code == 302


def test_the_accept_page_is_open_to_someone_not_logged_in(police_org):
    _invitation, raw = _issue(police_org, role=roles.POLICE)
    response = Client().get(reverse("staff:invitation_accept", kwargs={"token": raw}))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


# The operators' command -------------------------------------------------------------------------


def test_the_command_invites_the_municipality_s_first_coordinator(eskilstuna, mailoutbox, capsys):
    roles.ensure_groups()
    call_command(
        "invite_coordinator",
        "--promise",
        "eskilstuna-2018",
        "--email",
        "Samordnare@Eskilstuna.example",
        "--base-url",
        "http://testserver",
    )
    out = capsys.readouterr().out
    invitation = Invitation.objects.get()
    assert invitation.organisation == eskilstuna.municipality
    assert invitation.role == roles.COORDINATOR and invitation.invited_by is None
    assert invitation.email == "samordnare@eskilstuna.example"
    path = LINK.search(out)[1]
    assert path == _link(mailoutbox[0])
    client = Client()
    assert _accept(client, path, username="forsta").status_code == 302
    user = User.objects.get(username="forsta")
    assert set(user.groups.all()) == {Group.objects.get(name=roles.COORDINATOR)}
    # The new coordinator can invite the rest at once.
    assert client.get(reverse("staff:people_invite")).status_code == 200


def test_the_command_invites_for_the_police_area_when_asked(eskilstuna, mailoutbox):
    call_command(
        "invite_coordinator",
        promise="eskilstuna-2018",
        email="chef@polisen.example",
        organisation="lpo-eskilstuna",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    assert Invitation.objects.get().organisation == eskilstuna.police_area
    assert len(mailoutbox) == 1


def test_a_new_municipality_starts_with_the_command_and_the_workspace(db, mailoutbox, capsys):
    """No promise yet: the operator creates the municipality and invites its coordinator, who
    starts the promise in the workspace and may then invite the rest."""
    roles.ensure_groups()
    PoliceFactory(name="Lokalpolisområde Arboga", slug="lpo-arboga")
    call_command(
        "invite_coordinator",
        "--new-organisation",
        "Arboga kommun",
        "--kind",
        "municipality",
        "--email",
        "samordnare@arboga.example",
        "--base-url",
        "http://testserver",
    )
    municipality = Organisation.objects.get(slug="arboga-kommun")
    assert municipality.kind == Organisation.Kind.MUNICIPALITY
    path = LINK.search(capsys.readouterr().out)[1]
    client = Client()
    assert _accept(client, path, username="arboga").status_code == 302
    assert client.get(reverse("staff:workspace_create")).status_code == 200
    assert "Lokalpolisområde Arboga" in client.get(reverse("staff:workspace_create")).text


def test_the_command_invites_for_an_organisation_without_a_promise(db, mailoutbox):
    police = PoliceFactory(name="Lokalpolisområde Köping", slug="lpo-koping")
    call_command(
        "invite_coordinator",
        organisation="lpo-koping",
        email="samordnare@polisen.example",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    assert Invitation.objects.get().organisation == police


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"email": "a@b.example"}, "Name a --promise"),
        ({"organisation": "ingen", "email": "a@b.example"}, "No organisation"),
        ({"new_organisation": "Ny kommun", "email": "a@b.example"}, "--kind"),
        ({"promise": "ingen-sadan", "email": "a@b.example"}, "No promise"),
        (
            {"promise": "eskilstuna-2018", "email": "a@b.example", "organisation": "lpo-vasteras"},
            "is not one of the promise's organisations",
        ),
        ({"promise": "eskilstuna-2018", "email": "811218-9876@b.example"}, "personnummer"),
    ],
)
def test_the_command_refuses(eskilstuna, mailoutbox, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("invite_coordinator", **options)
    assert not Invitation.objects.exists() and not mailoutbox


# Links to the pages -------------------------------------------------------------------------------


def test_the_public_footer_has_a_discreet_staff_login(client, eskilstuna):
    page = client.get(reverse("public:index")).content.decode()
    assert f'<a href="{reverse("staff:login")}">För personal: logga in</a>' in page


def test_the_dashboard_links_coordinators_to_the_people_page(samordnare, polis):
    link = f'href="{reverse("staff:people")}"'
    for user, shown in ((samordnare, True), (polis, False)):
        client = Client()
        client.force_login(user)
        page = client.get(reverse("staff:dashboard")).content.decode()
        assert (link in page) is shown
        assert ("Personal och inbjudningar" in page) is shown
