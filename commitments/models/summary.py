"""The public figures of each promise, precomputed: what its public pages read.

A promise page must not aggregate a hundred thousand activities per request. `PublicSummary`
holds, per promise, the sums that `commitments.figures.activity_cells` would compute from
`Activity.objects.public()`: per commitment, activity type, district and tertial the number
of activities and their hours (the row without a measure) and the sum of each measure (one row
per measure). It is derived data, built and read only by `commitments.figures`
(`public_cells`), never edited.

`SummaryState` says what a promise's rows cover: the promise's `public_version` they were
built at and the publication cut-off date they were built through. A summary is used only
while both hold (commitments.figures.cells.usable); otherwise it is built again.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .activity_type import ActivityType, Measure
from .promise import Commitment, District, Promise


class SummaryState(models.Model):
    # Read with the promise (select_related("summary_state")): no query of its own.
    promise = models.OneToOneField(
        Promise, verbose_name=_("promise"), on_delete=models.CASCADE, related_name="summary_state"
    )
    data_version = models.PositiveBigIntegerField(_("data version"))
    built_through = models.DateField(_("built through"))
    built_at = models.DateTimeField(_("built at"), auto_now=True)

    class Meta:
        verbose_name = _("public summary state")
        verbose_name_plural = _("public summary states")

    def __str__(self):
        return f"{self.promise_id}: {self.data_version} / {self.built_through}"


class PublicSummary(models.Model):
    # Indexed by the (promise, commitment) index.
    promise = models.ForeignKey(
        Promise,
        verbose_name=_("promise"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    activity_type = models.ForeignKey(
        ActivityType,
        verbose_name=_("activity type"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    tertial = models.PositiveSmallIntegerField(_("tertial"))
    # None: the row of the number of activities and their hours; else one measure's sum.
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        db_index=False,
    )
    # Set on the rows of one day, kept for the activity types a rate target counts
    # (commitments.figures.rates); None on the rows of a tertial.
    day = models.DateField(_("day"), null=True)
    # The first activity's date, on a tertial's count row: when a milestone was reached.
    first_day = models.DateField(_("first activity"), null=True)
    count = models.PositiveIntegerField(_("number of activities"), default=0)
    hours = models.DecimalField(_("hours"), max_digits=14, decimal_places=2, default=0)
    total = models.DecimalField(_("total"), max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("public summary row")
        verbose_name_plural = _("public summary rows")
        indexes = [
            models.Index(fields=["promise", "commitment"], name="summary_promise_commitment"),
        ]

    def __str__(self):
        return f"{self.promise_id}/{self.commitment_id}/{self.activity_type_id}"
