"""The activities staff log, and each one's values of its type's measures."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import permissions
from ..fields import InternalCharField, InternalTextField, PublicTextField
from ..history import HISTORY_ACTIONS, describe_history
from .activity_type import ActivityType, Measure
from .organisation import Organisation
from .promise import Commitment, District
from .tenancy import PromiseScopedQuerySet


def publication_cutoff():
    """The newest date a public activity may have today (`ActivityQuerySet.public`)."""
    return timezone.localdate() - settings.PUBLICATION_DELAY


class ActivityQuerySet(PromiseScopedQuerySet):
    def public(self):
        """What a citizen may see: public activities of published promises, once not too recent.

        Patrol plans must not be readable live; which date counts is decided here, once.
        """
        return self.filter(
            is_public=True,
            commitment__promise__is_published=True,
            date__lte=publication_cutoff(),
        )

    def visible_to(self, user, *, commitments=None):
        """What a staff user may read, internal notes included; nothing else is ever loaded.

        `commitments`: the user's `permissions.commitment_ids`, if the caller read them already.
        """
        return self.filter(permissions.activity_visibility(user, commitments))

    def editable_by(self, user):
        """What a staff user may change or delete."""
        return self.filter(permissions.activity_editability(user))

    def auditable_by(self, user):
        """Activities whose audit history the user may read."""
        return self.filter(permissions.activity_auditability(user))

    def between(self, start, end):
        return self.filter(date__gte=start, date__lte=end)

    def counts_by_commitment_and_district(self):
        """{(commitment id, district id): number of activities}, counted in the database."""
        # COUNT(*), not COUNT(id): the rows are counted from the (organisation, date, commitment,
        # district) index alone, without reading each activity (the staff dashboard).
        rows = self.order_by().values("commitment_id", "district_id").annotate(n=Count("*"))
        return {(row["commitment_id"], row["district_id"]): row["n"] for row in rows}


class Activity(models.Model):
    """What was done: one logged piece of work, with a value for each measure of its type."""

    # Indexed by the composite indexes in Meta, which start with it (one index fewer to write).
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,
    )
    activity_type = models.ForeignKey(
        ActivityType,
        verbose_name=_("activity type"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    staff_count = models.PositiveSmallIntegerField(_("number of staff"), default=1)
    summary = PublicTextField(_("public summary"), blank=True)
    internal_note = InternalTextField(
        _("internal note"), blank=True, help_text=_("Never shown in public.")
    )
    is_public = models.BooleanField(_("public"), default=True)
    external_id = InternalCharField(
        _("external id"),
        max_length=100,
        blank=True,
        help_text=_("The row's id in a spreadsheet, so that a re-import updates it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic concurrency: a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    # The one-time token of the form that created it: a form sent twice (a double click, a
    # resent request) finds the activity its first sending made instead of adding another.
    submission_token = models.UUIDField(
        _("submission token"), null=True, blank=True, unique=True, editable=False
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ActivityQuerySet.as_manager()
    promise_path = "commitment__promise"

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0),
                name="activity_hours_not_negative",
                violation_error_message=_("Hours cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(staff_count__gte=0),
                name="activity_staff_not_negative",
                violation_error_message=_("The number of staff cannot be negative."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="activity_external_id_unique_per_organisation",
                violation_error_message=_("The organisation already has an activity with this id."),
            ),
        ]
        # For the real query patterns (issue 9, docs/benchmarks.md shows their plans).
        indexes = [
            models.Index(fields=["commitment", "date"], name="activity_commitment_date"),
            models.Index(fields=["district", "date"], name="activity_district_date"),
            # An organisation's activities in a period, and the dashboard's counts of them per
            # commitment and district from the index alone (an index-only scan).
            models.Index(
                fields=["organisation", "date", "commitment", "district"],
                name="activity_organisation_counts",
            ),
            # Public figures of a commitment or district in a period: every column they count,
            # sum or group by is in the index, so PostgreSQL answers from it alone.
            models.Index(
                fields=["commitment", "date", "district", "activity_type", "hours", "id"],
                condition=Q(is_public=True),
                name="activity_public_commitment",
            ),
            models.Index(
                fields=["district", "date", "commitment", "activity_type", "hours", "id"],
                condition=Q(is_public=True),
                name="activity_public_district",
            ),
            # A user's own recent entries; imported and generated rows without one stay out.
            models.Index(
                fields=["created_by", "-created_at"],
                condition=Q(created_by__isnull=False),
                name="activity_created_by_recent",
            ),
        ]

    def __str__(self):
        return f"{self.activity_type} {self.date:%Y-%m-%d}"

    def is_deletable(self):
        """Public records are kept (Swedish archive rules): only a draft may be deleted.

        An activity is a draft while no citizen can have seen it: its promise has never been
        published, or it is still within the publication delay (`ActivityQuerySet.public`).
        After that it is corrected, or taken off the public pages by unticking "public", but
        kept, whether public or internal.
        """
        cutoff = timezone.localdate() - settings.PUBLICATION_DELAY
        return self.date > cutoff or self.commitment.promise.is_deletable()

    @transaction.atomic
    def delete_draft(self):
        """Delete an activity no citizen can have seen yet (`is_deletable`); else refuse."""
        if not self.is_deletable():
            raise ValidationError(
                _("A public record is kept: correct it, or untick “public”."), code="kept"
            )
        promise = self.commitment.promise
        self.delete()
        promise.touch()

    def clean(self):
        errors = {}
        if self.commitment_id:
            promise = self.commitment.promise
            if self.date and not promise.contains(self.date):
                errors["date"] = ValidationError(
                    _("The date must be within the promise's period, %(start)s – %(end)s."),
                    code="outside_period",
                    params={"start": promise.start_date, "end": promise.end_date},
                )
            if self.activity_type_id and self.activity_type.commitment_id != self.commitment_id:
                errors["activity_type"] = ValidationError(
                    _("The activity type does not belong to the chosen commitment."),
                    code="type_of_other_commitment",
                )
            if self.district_id and self.district.promise_id != promise.pk:
                errors["district"] = ValidationError(
                    _("The district does not belong to this promise."),
                    code="district_of_other_promise",
                )
        if errors:
            raise ValidationError(errors)

    def save_new(self, *, by, values, token=None):
        """Save a new activity entered by `by`, with its measure values, all or nothing.

        `token` is the one-time token of the form it came from: when that form was already
        saved (sent twice, or three times at once), the activity it made is returned and
        nothing is added. Two sendings at the same moment meet at the unique index: the
        second waits for the first to commit, fails to insert, and finds its activity.
        """
        existing = self._submitted(by, token)
        if existing is not None:
            return existing
        self.created_by = by
        self.version = 1
        self.submission_token = token
        try:
            with transaction.atomic():
                self.full_clean(validate_unique=False)
                self.validate_unique(exclude=["submission_token"])
                self.save()
                self.set_values(values)
                self.commitment.promise.touch()
        except IntegrityError:
            self.pk = None
            existing = self._submitted(by, token)
            if existing is None:
                raise
            return existing
        return self

    @staticmethod
    def _submitted(by, token):
        if token is None:
            return None
        return Activity.objects.filter(submission_token=token, created_by=by).first()

    def save_edit(self, *, based_on, values):
        """Save an edit made to version `based_on`; refuse it if someone saved since.

        The version is claimed with one conditional UPDATE inside the transaction: of two
        concurrent saves based on the same version, the database lets exactly one match the
        row, and the other's UPDATE matches nothing, so no read-then-write race exists.
        """
        with transaction.atomic():
            claimed = Activity.objects.filter(pk=self.pk, version=based_on).update(
                version=F("version") + 1
            )
            if not claimed:
                raise ValidationError(
                    _("Someone else saved this activity after you opened it."), code="stale"
                )
            self.version = based_on + 1
            self.full_clean()
            self.save()
            self.set_values(values)
            self.commitment.promise.touch()

    def set_values(self, values):
        """Store {measure: value}; None removes the measure's value.

        Values of another type's measures go: they were the old type's, if the type changed.
        """
        self.values.exclude(measure__activity_type=self.activity_type_id).delete()
        for measure, value in values.items():
            if value is None:
                self.values.filter(measure=measure).delete()
                continue
            row = self.values.filter(measure=measure).first() or ActivityValue(
                activity=self, measure=measure
            )
            row.value = value
            row.full_clean()
            row.save()

    def changes_since(self, version):
        """The saved changes after `version`: who, when and each field's old and new value."""
        records = list(self.history.filter(version__gte=version).order_by("version", "history_id"))
        return describe_history(records)[1:] if records else []

    def value_history(self, *, after=None):
        """The audit trail of this activity's measure values, oldest first."""
        records = ActivityValue.history.filter(activity_id=self.pk)
        if after is not None:
            records = records.filter(history_date__gt=after)
        return [
            {"record": record, "action": HISTORY_ACTIONS[record.history_type]}
            for record in records.select_related("measure", "history_user").order_by(
                "history_date", "history_id"
            )
        ]

    def value_changes_since(self, version):
        base = self.history.filter(version=version).order_by("history_id").last()
        return self.value_history(after=base.history_date if base else None)


class ActivityValueQuerySet(PromiseScopedQuerySet):
    """Measure values follow their activity's rules."""

    def visible_to(self, user):
        return self.filter(activity__in=Activity.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(activity__in=Activity.objects.editable_by(user))


class ActivityValue(models.Model):
    """One activity's value for one measure of its type."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="values",
        db_index=False,  # the unique (activity, measure) index starts with it
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(
        _("value"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    # Measure values are part of an activity's audit trail (shown beside the activity's own).
    history = HistoricalRecords()
    objects = ActivityValueQuerySet.as_manager()
    promise_path = "activity__commitment__promise"

    class Meta:
        verbose_name = _("measure value")
        verbose_name_plural = _("measure values")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "measure"],
                name="one_value_per_activity_and_measure",
                violation_error_message=_("The activity already has a value for this measure."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="measure_value_not_negative",
                violation_error_message=_("A measure value cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.measure.name}: {self.value}"

    def clean(self):
        if (
            self.activity_id
            and self.measure_id
            and self.measure.activity_type_id != self.activity.activity_type_id
        ):
            raise ValidationError(
                {
                    "measure": ValidationError(
                        _("The measure belongs to another activity type than the activity's."),
                        code="measure_of_other_type",
                    )
                }
            )
