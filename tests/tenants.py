"""Tenants for the tests: a municipality, its police area, their promise and their people.

`build_tenant("Västerås", "vasteras")` makes one; every object it holds is named with its
mark, so that a page showing one to another tenant's user is seen at a glance. Its rows stand
in the same states as the demo's Eskilstuna rows (a published promise with kept, public
activities; a published and a draft follow-up), so that a permission seen from one tenant is
the same permission seen from the other.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from commitments import roles
from commitments.models import (
    Activity,
    ActivityImport,
    ActivityValue,
    Organisation,
    Promise,
    Signatory,
    User,
)
from followups.models import Approval, CommitmentAssessment, FollowUp

from .factories import (
    ActivityTypeFactory,
    CommitmentFactory,
    DistrictFactory,
    IndicatorFactory,
    MeasureFactory,
    MeasurementFactory,
    MunicipalityFactory,
    PoliceFactory,
    PromiseFactory,
    UserFactory,
)


@dataclass
class Tenant:
    mark: str
    promise: Promise
    municipality: Organisation
    police_area: Organisation
    users: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)  # model → this tenant's row of it


def member(username, organisation, group, **extra):
    """A staff user of `organisation` in `group`; not `is_staff`: the admin is the operators'."""
    roles.ensure_groups()
    user = UserFactory(
        username=username,
        organisation=organisation,
        first_name=extra.pop("first_name", username),
        **extra,
    )
    user.groups.set([Group.objects.get(name=group)])
    return user


def _aware(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def second_tenant():
    """Västerås 2018 beside the demo's Eskilstuna."""
    return build_tenant("Västerås", "vasteras")


def build_tenant(mark, slug):
    """A municipality and police area named `mark`, their promise of 2018 and their staff."""
    municipality = MunicipalityFactory(name=f"{mark} stad", slug=f"{slug}-stad", county="19")
    police_area = PoliceFactory(name=f"Lokalpolisområde {mark}", slug=f"lpo-{slug}")
    promise = PromiseFactory(
        municipality=municipality,
        police_area=police_area,
        title=f"Medborgarlöfte {mark} 2018",
        slug=f"{slug}-2018",
        is_published=True,
        published_at=_aware(date(2018, 1, 15)),
    )
    users = {
        "coordinator": member(f"{slug}-samordnare", municipality, roles.COORDINATOR),
        "police": member(f"{slug}-polis", police_area, roles.POLICE),
        "approver": member(f"{slug}-ordforande", municipality, roles.APPROVER),
        "police_approver": member(f"{slug}-lpo-chef", police_area, roles.APPROVER),
    }
    for order, (name, organisation) in enumerate(
        [(f"{mark} ordförande", municipality), (f"{mark} lpo-chef", police_area)], start=1
    ):
        signatory = Signatory.objects.create(
            promise=promise, name=name, role="Undertecknare", organisation=organisation, order=order
        )
    district = DistrictFactory(promise=promise, name=f"{mark} Skultuna", slug="skultuna")
    commitment = CommitmentFactory(
        promise=promise,
        number=1,
        title=f"{mark} trygghet",
        responsible_organisations=[municipality, police_area],
    )
    commitment.districts.set([district])
    activity_type = ActivityTypeFactory(
        commitment=commitment, name=f"{mark} fotpatrull", slug="fotpatrull"
    )
    measure = MeasureFactory(activity_type=activity_type, name=f"{mark} kontakter")
    activity = Activity(
        commitment=commitment,
        activity_type=activity_type,
        district=district,
        organisation=police_area,
        date=date(2018, 3, 14),
        hours=Decimal("2.5"),
        summary=f"{mark} patrull kring torget.",
        created_by=users["police"],
    )
    activity.save()
    value = ActivityValue.objects.create(activity=activity, measure=measure, value=Decimal(3))
    indicator = IndicatorFactory(
        promise=promise, commitment=commitment, name=f"{mark} otrygghet", source=f"{mark} enkät"
    )
    measurement = MeasurementFactory(
        indicator=indicator, district=district, source_note=f"{mark} 2018"
    )
    published = FollowUp.objects.create(
        promise=promise,
        year=2018,
        tertial=1,
        summary=f"{mark} sammanfattning T1.",
        state=FollowUp.State.PUBLISHED,
        published_at=_aware(date(2018, 5, 20)),
    )
    draft = FollowUp.objects.create(
        promise=promise, year=2018, tertial=3, summary=f"{mark} utkast T3."
    )
    for followup in (published, draft):
        assessment = CommitmentAssessment.objects.create(
            followup=followup,
            commitment=commitment,
            status=CommitmentAssessment.Status.ON_TRACK,
            justification=f"{mark} enligt plan.",
        )
    for approver in (users["approver"], users["police_approver"]):
        approval = Approval.objects.create(
            followup=published,
            organisation=approver.organisation,
            approved_by=approver,
            approved_at=_aware(date(2018, 5, 18)),
        )
    record = ActivityImport.objects.create(
        promise=promise,
        organisation=police_area,
        imported_by=users["police"],
        file_name=f"{slug}.csv",
        sha256="0" * 64,
        rows=1,
    )
    rows = [
        promise,
        signatory,
        district,
        commitment,
        activity_type,
        measure,
        activity,
        value,
        indicator,
        measurement,
        draft,
        assessment,
        approval,
        record,
    ]
    tenant = Tenant(mark, promise, municipality, police_area, users)
    tenant.rows = {type(row): row for row in rows}
    tenant.rows[Organisation] = municipality
    return tenant


def operator():
    """A superuser of the service, with no organisation."""
    return User.objects.create_superuser("operator", "", "operator-password-not-used")
