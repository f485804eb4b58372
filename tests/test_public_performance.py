"""Public pages cost the same number of queries whatever the volume, and are cached by version."""

import gzip
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commitments.cache import bump_data_version
from commitments.models import (
    ActivityType,
    ActivityValue,
    DataVersion,
    District,
    Indicator,
    Measurement,
)
from followups.models import CommitmentAssessment, FollowUp

from .factories import (
    ActivityFactory,
    ActivityTypeFactory,
    CommitmentFactory,
    DistrictFactory,
    FollowUpFactory,
    MeasureFactory,
)
from .public_urls import ARGUMENTS, body

pytestmark = pytest.mark.django_db


def _add_volume(promise, n, seed):
    """n public activities of every type across districts and tertials, with measure values,
    plus indicators, measurements and published follow-ups with assessments."""
    rng = random.Random(seed)
    # More of the structure too, so that a query per commitment or district shows.
    commitment = CommitmentFactory(promise=promise, number=3 + seed)
    MeasureFactory(activity_type=ActivityTypeFactory(commitment=commitment))
    DistrictFactory(promise=promise)
    types = list(
        ActivityType.objects.filter(commitment__promise=promise).prefetch_related("measures")
    )
    districts = list(District.objects.filter(promise=promise))
    for i in range(n):
        activity_type = types[i % len(types)]
        activity = ActivityFactory(
            activity_type=activity_type,
            district=rng.choice(districts),
            date=date(2018, 1, 1) + timedelta(days=rng.randrange(365)),
            hours=Decimal(rng.randrange(1, 9)),
        )
        ActivityValue.objects.bulk_create(
            ActivityValue(activity=activity, measure=m, value=rng.randrange(50))
            for m in activity_type.measures.all()
        )
    for k in range(1, 1 + n // 10):
        indicator = Indicator.objects.create(
            promise=promise,
            commitment=promise.commitments.get(number=1 + k % 3),
            name=f"Indikator {seed}-{k}",
            unit="st",
            direction="higher",
            kind="derived",
            aggregation="count",
            source="Portalen",
        )
        indicator.activity_types.set(types[k % len(types) :][:2])
        indicator.districts.set(districts[: k % 3])
        measured = Indicator.objects.create(
            promise=promise,
            name=f"Mätt {seed}-{k}",
            unit="%",
            direction="lower",
            kind="measured",
            source="Trygghetsmätningen",
            baseline_value=40,
        )
        for district in [None, *districts[:2]]:
            Measurement.objects.create(
                indicator=measured,
                period_start=date(2018, 1, 1),
                period_end=date(2018, 4, 30),
                district=district,
                value=30 + k,
            )
    for tertial in range(1, 1 + min(3, n // 10)):
        followup = FollowUpFactory(
            promise=promise,
            year=2018,
            tertial=tertial,
            version=seed,
            correction_reason="Rättelse." if seed > 1 else "",
            state=FollowUp.State.PUBLISHED,
            published_at=timezone.now(),
        )
        for commitment in promise.commitments.all():
            CommitmentAssessment.objects.create(
                followup=followup, commitment=commitment, status="on_track", justification="Ok."
            )
    bump_data_version()


def _urls():
    kwargs = dict(ARGUMENTS)
    # The follow-up page exists only once a follow-up of T1 is published (both volumes have one).
    return [reverse(name, kwargs=kw) for name, kw in sorted(kwargs.items())]


def _counts(client):
    counts = {}
    for url in _urls():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            body(response)  # a streamed CSV queries while it is read
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_every_public_url_costs_the_same_queries_at_two_volumes(
    client, eskilstuna, django_assert_num_queries
):
    # Both volumes have some of everything: a prefetch over no rows skips its query.
    _add_volume(eskilstuna, 30, seed=1)
    small = _counts(client)
    _add_volume(eskilstuna, 150, seed=2)
    cache.clear()
    for url, n in small.items():
        with django_assert_num_queries(n):
            body(client.get(url))


def test_a_cached_page_costs_one_query_until_the_data_version_changes(client, eskilstuna):
    _add_volume(eskilstuna, 10, seed=1)
    url = "/loften/eskilstuna-2018/atagande/1/"
    first = body(client.get(url))
    with CaptureQueriesContext(connection) as queries:
        assert body(client.get(url)) == first
    assert len(queries) == 1  # the data version
    commitment = eskilstuna.commitments.get(number=1)
    commitment.title = "Ny rubrik 5521"
    commitment.save()
    assert "Ny rubrik 5521" not in body(client.get(url))  # not bumped: still the cached page
    bump_data_version()
    assert "Ny rubrik 5521" in body(client.get(url))


def test_a_successful_change_through_the_admin_bumps_the_data_version(admin_client, eskilstuna):
    before = DataVersion.current()[0]
    promise_url = reverse("admin:commitments_promise_change", args=[eskilstuna.pk])
    admin_client.get(promise_url)
    assert DataVersion.current()[0] == before  # reading changes nothing
    admin_client.post(reverse("admin:logout"))
    assert DataVersion.current()[0] == before + 1


def test_a_cached_page_is_served_gzipped_to_a_client_that_accepts_it(client, eskilstuna):
    url = "/loften/eskilstuna-2018/"
    plain = body(client.get(url))
    compressed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content).decode() == plain
    again = client.get(url)
    assert "Content-Encoding" not in again and body(again) == plain
