"""Who may open which staff page: one table of URL × role, checked against the URL resolver."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import get_resolver, reverse

from commitments import roles
from commitments.export_files import prepare, request_export
from commitments.models import (
    Activity,
    ActivityType,
    Commitment,
    District,
    Invitation,
    Promise,
)

from .factories import ActivityFactory, IndicatorFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "polis", "kommun", "samordnare", "ordforande", "outsider"]


def _coordinators_only(status):
    """A page of the Eskilstuna promise's workspace: its coordinator gets `status`, the rest
    of its staff 403, the outsider (another organisation) 404."""
    return {
        "anonymous": LOGIN,
        "polis": 403,
        "kommun": 403,
        "samordnare": status,
        "ordforande": 403,
        "outsider": 404,
    }


def _workspace_kwargs(name, promise):
    """The URL arguments of a workspace page of one row of `promise`."""
    kwargs = {"slug": promise.slug}
    district = promise.districts.order_by("pk").first()
    commitment = promise.commitments.get(number=1)
    activity_type = ActivityType.objects.filter(commitment=commitment).first()
    extra = {
        "workspace_preview_commitment": {"number": 1},
        "workspace_preview_district": {"district": district.slug},
        "workspace_type_create": {"commitment": commitment.pk},
        "workspace_type": {"pk": activity_type.pk},
        "workspace_type_delete": {"pk": activity_type.pk},
        "workspace_withdraw": {"pk": IndicatorFactory(promise=promise).pk},
        "workspace_part_create": {"kind": "omraden"},
        "workspace_part": {"kind": "omraden", "pk": district.pk},
        "workspace_part_delete": {"kind": "omraden", "pk": district.pk},
    }
    return kwargs | extra.get(name, {})


# name -> (kwargs source, {role: status}). "police" and "municipal" are the two activities
# below: one of the police, one of the municipality, both of the Eskilstuna promise.
LOGIN = 302
TABLE = {
    "dashboard": (None, dict.fromkeys(ROLES[1:], 200) | {"anonymous": LOGIN}),
    "activities": (None, dict.fromkeys(ROLES[1:], 200) | {"anonymous": LOGIN}),
    "activities_csv": (None, dict.fromkeys(ROLES[1:], 200) | {"anonymous": LOGIN}),
    "activity_create": (
        None,
        {
            "anonymous": LOGIN,
            "polis": 200,
            "kommun": 200,
            "samordnare": 200,
            "ordforande": 403,
            "outsider": 200,
        },
    ),
    "activity": (
        "police",
        {
            "anonymous": LOGIN,
            "polis": 200,
            "kommun": 404,
            "samordnare": 200,
            "ordforande": 200,
            "outsider": 404,
        },
    ),
    "activity_edit": (
        "police",
        {
            "anonymous": LOGIN,
            "polis": 200,
            "kommun": 404,
            "samordnare": 200,
            "ordforande": 404,
            "outsider": 404,
        },
    ),
    # Those who may change the (public, 2018) activity get a refusal: public records are kept.
    "activity_delete": (
        "municipal",
        {
            "anonymous": LOGIN,
            "polis": 404,
            "kommun": 403,
            "samordnare": 403,
            "ordforande": 404,
            "outsider": 404,
        },
    ),
    "activity_history": (
        "police",
        {
            "anonymous": LOGIN,
            "polis": 404,
            "kommun": 404,
            "samordnare": 200,
            "ordforande": 404,
            "outsider": 404,
        },
    ),
    # Asking for a prepared export is POST only; an export is its requester's alone.
    "export_start": (None, dict.fromkeys(ROLES[1:], 405) | {"anonymous": LOGIN}),
    **{
        name: ("export", dict.fromkeys(ROLES, 404) | {"anonymous": LOGIN, "polis": 200})
        for name in ["export", "export_file"]
    },
    "import": (
        None,
        {
            "anonymous": LOGIN,
            "polis": 200,
            "kommun": 200,
            "samordnare": 200,
            "ordforande": 403,
            "outsider": 200,
        },
    ),
    # Confirming is POST only.
    "import_confirm": (None, dict.fromkeys(ROLES[1:], 405) | {"anonymous": LOGIN}),
    **{
        name: (
            "promise",
            {
                "anonymous": LOGIN,
                "polis": 200,
                "kommun": 200,
                "samordnare": 200,
                "ordforande": 404,
                "outsider": 404,
            },
        )
        for name in ["import_template_xlsx", "import_template_csv"]
    },
    # Continuing a promise next year: its coordinators only.
    "copy_promise": (
        "slug",
        {
            "anonymous": LOGIN,
            "polis": 403,
            "kommun": 403,
            "samordnare": 200,
            "ordforande": 403,
            "outsider": 404,
        },
    ),
    # The promise workspace (tests/test_workspace.py): its coordinators only; the published
    # Eskilstuna promise keeps its parts (delete: 403) and starts from no other (copy: 403).
    "workspace_list": (None, dict.fromkeys(ROLES[1:], 200) | {"anonymous": LOGIN}),
    "workspace_create": (
        None,
        dict.fromkeys(ROLES[1:], 403) | {"anonymous": LOGIN, "samordnare": 200},
    ),
    **{
        name: ("workspace", _coordinators_only(status))
        for name, status in [
            ("workspace", 200),
            ("workspace_edit", 200),
            ("workspace_copy_from", 403),
            ("workspace_publish", 200),
            ("workspace_preview", 200),
            ("workspace_preview_commitment", 200),
            ("workspace_preview_district", 200),
            ("workspace_type_create", 200),
            ("workspace_type", 200),
            ("workspace_type_delete", 403),
            ("workspace_withdraw", 200),
            ("workspace_part_create", 200),
            ("workspace_part", 200),
            ("workspace_part_delete", 403),
        ]
    },
    # People and invitations: the promise's coordinators (tests/test_invitations.py).
    **{
        name: (
            source,
            {
                "anonymous": LOGIN,
                "polis": 403,
                "kommun": 403,
                "samordnare": 200,
                "ordforande": 403,
                "outsider": 403,
            },
        )
        for name, source in [
            ("people", None),
            ("people_invite", None),
            ("invitation_resend", "invitation"),
            ("invitation_revoke", "invitation"),
            ("account_deactivate", "account"),
            ("account_role", "account"),
        ]
    },
    # The link of an open invitation: the token is the permission.
    "invitation_accept": ("token", dict.fromkeys(ROLES, 200)),
    "login": (None, dict.fromkeys(ROLES, 200)),
    # Logging out is POST only.
    "logout": (None, dict.fromkeys(ROLES, 405)),
    "password_change": (None, dict.fromkeys(ROLES[1:], 200) | {"anonymous": LOGIN}),
    "password_change_done": (None, dict.fromkeys(ROLES[1:], 200) | {"anonymous": LOGIN}),
    "password_reset": (None, dict.fromkeys(ROLES, 200)),
    "password_reset_done": (None, dict.fromkeys(ROLES, 200)),
    "password_reset_confirm": ("reset", dict.fromkeys(ROLES, 200)),
    "password_reset_complete": (None, dict.fromkeys(ROLES, 200)),
}


def staff_url_names():
    """Every URL name in the `staff` namespace, as the resolver knows them."""
    _prefix, resolver = get_resolver().namespace_dict["staff"]
    return {pattern.name for pattern in resolver.url_patterns}


def test_every_staff_url_has_a_row_in_the_table():
    assert staff_url_names() == set(TABLE)


@pytest.fixture
def activities(eskilstuna):
    foot = ActivityType.objects.get(commitment__promise=eskilstuna, slug="fotpatrull")
    sspf = ActivityType.objects.get(commitment__promise=eskilstuna, slug="sspf-arendemote")
    skiftinge = District.objects.get(promise=eskilstuna, slug="skiftinge")
    return {
        "police": ActivityFactory(
            activity_type=foot, district=skiftinge, internal_note="Polisens anteckning."
        ),
        "municipal": ActivityFactory(
            activity_type=sspf,
            district=skiftinge,
            organisation=eskilstuna.municipality,
            internal_note="Kommunens anteckning.",
        ),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_role_gets_the_expected_answer(client, request, activities, name, role):
    source, expected = TABLE[name]
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    kwargs = {}
    if source == "reset":
        kwargs = {"uidb64": "MQ", "token": "ingen-giltig-token"}
    elif source == "promise":
        kwargs = {"promise": "eskilstuna-2018"}
    elif source == "slug":
        kwargs = {"slug": "eskilstuna-2018"}
    elif source == "workspace":
        kwargs = _workspace_kwargs(name, Promise.objects.get(slug="eskilstuna-2018"))
    elif source in ("invitation", "token"):
        invitation, token = Invitation.issue(
            email="ny@eskilstuna.example",
            organisation=activities["municipal"].organisation,
            role=roles.MUNICIPALITY,
        )
        kwargs = {"pk": invitation.pk} if source == "invitation" else {"token": token}
    elif source == "export":
        request.getfixturevalue("settings").MEDIA_ROOT = request.getfixturevalue("tmp_path")
        export = request_export(user=request.getfixturevalue("polis"), fmt="csv", query="")
        kwargs = {"pk": prepare(export).pk}
    elif source == "account":
        kwargs = {"pk": request.getfixturevalue("kommun").pk}
    elif source:
        kwargs = {"pk": activities[source].pk}
    url = reverse(f"staff:{name}", kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == expected[role], url
    if expected[role] == LOGIN:
        assert response["Location"].startswith("/personal/logga-in/?next=")


def test_an_officer_sees_only_the_own_organisations_activities_and_notes(client, polis, activities):
    visible = Activity.objects.visible_to(polis)
    assert list(visible) == [activities["police"]]
    # The restriction is in the SQL itself, so the other organisation's rows are never loaded.
    assert f'"organisation_id" = {polis.organisation_id}' in str(visible.query).replace(
        "commitments_activity.", ""
    ).replace('"commitments_activity".', "")

    client.force_login(polis)
    listing = client.get("/personal/aktiviteter/")
    assert [a.pk for a in listing.context["page"]] == [activities["police"].pk]
    export = b"".join(client.get("/personal/aktiviteter/aktiviteter.csv").streaming_content)
    assert "Polisens anteckning." in export.decode()
    assert "Kommunens anteckning." not in export.decode()
    detail = client.get(f"/personal/aktiviteter/{activities['municipal'].pk}/")
    assert detail.status_code == 404
    assert "Kommunens anteckning." not in detail.text


def test_a_coordinator_sees_every_organisations_notes_of_the_promise(samordnare, activities):
    notes = set(Activity.objects.visible_to(samordnare).values_list("internal_note", flat=True))
    assert notes == {"Polisens anteckning.", "Kommunens anteckning."}


def test_an_approver_reads_everything_of_the_promise_and_changes_nothing(lpo_chef, activities):
    assert Activity.objects.visible_to(lpo_chef).count() == 2
    assert not Activity.objects.editable_by(lpo_chef).exists()


def test_an_outsider_sees_nothing_of_the_promise(outsider, activities):
    assert not Activity.objects.visible_to(outsider).exists()
    assert not Promise.objects.visible_to(outsider).exists()
    assert not Commitment.objects.loggable_by(outsider).exists()
    assert not District.objects.visible_to(outsider).exists()
    assert not ActivityType.objects.loggable_by(outsider).exists()


def test_the_municipality_may_log_under_every_commitment_of_its_promise(kommun, eskilstuna):
    assert set(Commitment.objects.loggable_by(kommun)) == set(eskilstuna.commitments.all())


def test_a_user_of_a_responsible_organisation_takes_part_in_the_promise(eskilstuna):
    partner = OrganisationFactory(name="Eskilstunahem", slug="eskilstunahem")
    commitment = eskilstuna.commitments.get(number=3)
    commitment.responsible_organisations.add(partner)
    roles.ensure_groups()
    user = UserFactory(username="hem", organisation=partner)
    user.groups.set([Group.objects.get(name=roles.MUNICIPALITY)])
    assert list(Promise.objects.visible_to(user)) == [eskilstuna]
    mine = ActivityFactory(
        activity_type=commitment.activity_types.first(),
        organisation=partner,
        date=date(2018, 5, 5),
    )
    ActivityFactory(activity_type=commitment.activity_types.first())
    assert list(Activity.objects.editable_by(user)) == [mine]


def test_the_admin_lists_only_what_the_user_may_see(client, samordnare, outsider, activities):
    change = f"/admin/commitments/activity/{activities['police'].pk}/change/"
    for user in [samordnare, outsider]:  # made staff here: only operators are (issue 17)
        user.is_staff = True
        user.save()
    client.force_login(samordnare)
    assert change in client.get("/admin/commitments/activity/").text
    client.force_login(outsider)
    response = client.get("/admin/commitments/activity/")
    assert response.status_code == 200
    assert change not in response.text
    assert client.get(change).status_code in {302, 404}
