"""factory_boy factories, so that a test builds only what it needs."""

from datetime import date
from decimal import Decimal

import factory

from commitments.models import (
    Activity,
    ActivityType,
    ActivityValue,
    Commitment,
    District,
    Indicator,
    Measure,
    Measurement,
    Organisation,
    Promise,
    User,
)
from followups.models import CommitmentAssessment, FollowUp


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.OTHER


class PoliceFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Lokalpolisområde {n}")
    slug = factory.Sequence(lambda n: f"lpo-{n}")
    kind = Organisation.Kind.POLICE


class MunicipalityFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Kommun {n}")
    slug = factory.Sequence(lambda n: f"kommun-{n}")
    kind = Organisation.Kind.MUNICIPALITY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    organisation = factory.SubFactory(PoliceFactory)
    password = factory.django.Password("correct horse battery staple")


class PromiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Promise

    municipality = factory.SubFactory(MunicipalityFactory)
    police_area = factory.SubFactory(PoliceFactory)
    title = factory.Sequence(lambda n: f"Medborgarlöfte Exempelstad {2018 + n}")
    slug = factory.Sequence(lambda n: f"exempelstad-{2018 + n}")
    start_date = date(2018, 1, 1)
    end_date = date(2018, 12, 31)
    problem_picture = "Problembild."
    goal = "Mål."
    follow_up_plan = "Följs upp tertialvis."
    is_published = True


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    promise = factory.SubFactory(PromiseFactory)
    name = factory.Sequence(lambda n: f"Område {n}")
    slug = factory.Sequence(lambda n: f"omrade-{n}")
    kind = District.Kind.PRIORITY


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    promise = factory.SubFactory(PromiseFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Åtagande {n + 1}")
    text = "Vi lovar att vara synliga."

    @factory.post_generation
    def responsible_organisations(self, create, extracted, **kwargs):
        if create:
            self.responsible_organisations.set(extracted or [self.promise.police_area])


class ActivityTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityType

    commitment = factory.SubFactory(CommitmentFactory)
    name = factory.Sequence(lambda n: f"Aktivitetstyp {n}")
    slug = factory.Sequence(lambda n: f"typ-{n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    activity_type = factory.SubFactory(ActivityTypeFactory)
    name = factory.Sequence(lambda n: f"Mått {n}")
    unit = "st"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    activity_type = factory.SubFactory(ActivityTypeFactory)
    commitment = factory.SelfAttribute("activity_type.commitment")
    district = factory.SubFactory(
        DistrictFactory, promise=factory.SelfAttribute("..commitment.promise")
    )
    organisation = factory.SelfAttribute("commitment.promise.police_area")
    date = date(2018, 3, 14)
    hours = Decimal("2.5")
    staff_count = 2
    summary = "Fotpatrullering kring torget."
    is_public = True


class ActivityValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityValue

    activity = factory.SubFactory(ActivityFactory)
    measure = factory.SubFactory(
        MeasureFactory, activity_type=factory.SelfAttribute("..activity.activity_type")
    )
    value = Decimal(10)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    promise = factory.SubFactory(PromiseFactory)
    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "procent"
    direction = Indicator.Direction.LOWER
    kind = Indicator.Kind.MEASURED
    source = "Trygghetsmätningen"
    # A target over the period, by direction, as the migration gave the indicators before
    # there were kinds of target; none without a value.
    target_kind = factory.LazyAttribute(
        lambda o: (
            Indicator.Target.NONE
            if o.target_value is None
            else {"higher": Indicator.Target.AT_LEAST, "lower": Indicator.Target.AT_MOST}[
                o.direction
            ]
        )
    )
    target_value = None


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    period_start = date(2018, 1, 1)
    period_end = date(2018, 4, 30)
    value = Decimal("35.5")


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    promise = factory.SubFactory(PromiseFactory)
    year = 2018
    tertial = 1
    summary = "Sammanfattning."
    easy_read = "Lättläst: så här gick det."


class CommitmentAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentAssessment

    followup = factory.SubFactory(FollowUpFactory)
    commitment = factory.SubFactory(
        CommitmentFactory, promise=factory.SelfAttribute("..followup.promise")
    )
    # The final follow-up of a promise gives verdicts; the others say how the work goes.
    status = factory.LazyAttribute(
        lambda o: (
            CommitmentAssessment.Status.KEPT
            if o.followup.is_final
            else CommitmentAssessment.Status.ON_TRACK
        )
    )
    justification = "Enligt plan."
