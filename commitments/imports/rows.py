"""How a row of the activity spreadsheet becomes an Activity (django-import-export).

django-import-export maps the columns, runs the rows, and reports per row (new, update, skip,
invalid). This module adds what it lacks for our files: the external id checked across the
whole promise, unchanged rows skipped, and measure values. The cells themselves (Swedish
formats, lookups by name with a "did you mean") are cells.py's; the bulk writes with history
are writes.py's.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field

from ..exports import PORTAL_ID_PREFIX
from ..models import Activity, ActivityValue
from .cells import (
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    LookupWidget,
    PublicWidget,
    TextWidget,
    cell_text,
    name_key,
    parse_decimal,
)
from .columns import COLUMNS, ROW_KEY
from .writes import BulkWrites

# The model fields the import sets and compares; foreign keys are compared by id.
COMPARED_FIELDS = [
    "external_id",
    "date",
    "commitment_id",
    "activity_type_id",
    "district_id",
    "hours",
    "staff_count",
    "summary",
    "internal_note",
    "is_public",
]
# Checked by construction (they come from Lookups); Django would check each with a query.
_FOREIGN_KEYS = ["commitment", "activity_type", "district", "organisation", "created_by"]
# Not in the file: set by the import itself or by the database.
_NOT_IMPORTED = ["id", "created_at", "updated_at", "version"]


def snapshot(activity, values):
    return (tuple(getattr(activity, name) for name in COMPARED_FIELDS), dict(values))


class ActivityResource(BulkWrites, resources.ModelResource):
    """One organisation's activities in one promise, imported in bulk with history."""

    external_id = Field(attribute="external_id", column_name="id", widget=TextWidget(100))
    date = Field(attribute="date", column_name="date", widget=DateWidget())
    commitment = Field(
        attribute="commitment", column_name="commitment", widget=LookupWidget("commitment")
    )
    activity_type = Field(
        attribute="activity_type", column_name="activity_type", widget=LookupWidget("type")
    )
    district = Field(attribute="district", column_name="district", widget=LookupWidget("district"))
    hours = Field(
        attribute="hours", column_name="hours", widget=DecimalWidget(), saves_null_values=False
    )
    staff_count = Field(
        attribute="staff_count",
        column_name="staff_count",
        widget=IntegerWidget(),
        saves_null_values=False,
    )
    summary = Field(attribute="summary", column_name="summary", widget=TextWidget())
    internal_note = Field(
        attribute="internal_note", column_name="internal_note", widget=TextWidget()
    )
    is_public = Field(attribute="is_public", column_name="is_public", widget=PublicWidget())

    class Meta:
        model = Activity
        fields = [key if key != "id" else "external_id" for key, _sv, _en in COLUMNS]
        import_id_fields = ["external_id"]
        use_bulk = True
        batch_size = 1000
        # Unchanged rows are found by comparing with a snapshot taken when the activity was
        # loaded (skip_row), which is cheaper than the deep copy the diff would make per row.
        skip_diff = True
        skip_unchanged = True
        report_skipped = True
        store_instance = False

    def __init__(self, *, lookups, organisation, user, measure_columns, change_reason):
        super().__init__()
        self.lookups = lookups
        self.organisation = organisation
        self.user = user
        # [(row key, {activity type id: Measure})] for the measure columns the file has.
        self.measure_columns = measure_columns
        self.change_reason = change_reason
        for field in self.fields.values():
            if isinstance(field.widget, LookupWidget):
                field.widget.lookups = lookups
        self.seen_ids = {}
        self.existing = {}
        self.foreign_ids = set()
        # Set once any row of the file failed: later batches are not written at all.
        self.failed = False

    # Loading: one chunk of rows at a time.

    def before_import(self, dataset, **kwargs):
        """Load the activities this chunk's ids refer to: a few queries per chunk, not per row."""
        ids = {cell_text(value) for value in dataset["id"]} - {""}
        portal_pks = {
            int(value[len(PORTAL_ID_PREFIX) :])
            for value in ids
            if value.startswith(PORTAL_ID_PREFIX) and value[len(PORTAL_ID_PREFIX) :].isdigit()
        }
        promise = self.lookups.promise
        # What the importer may change, as in the staff area; the command line may change all.
        editable = (
            Activity.objects.all() if self.user is None else Activity.objects.editable_by(self.user)
        ).filter(organisation=self.organisation)
        own = editable.filter(external_id__in=ids) | editable.filter(
            commitment__promise=promise, external_id="", pk__in=portal_pks
        )
        self.existing = {}
        self.foreign_ids = set()
        activities = list(own)
        values = {}
        for value in ActivityValue.objects.filter(activity__in=[a.pk for a in activities]):
            values.setdefault(value.activity_id, {})[value.measure_id] = value
        lookups = self.lookups
        for activity in activities:
            if activity.commitment_id not in lookups.commitments_by_pk:
                # The organisation used this id in another promise: the id is taken.
                self.foreign_ids.add(activity.external_id)
                continue
            key = activity.external_id or f"{PORTAL_ID_PREFIX}{activity.pk}"
            # Related objects from the lookups, so that clean() and str() need no query.
            activity.commitment = lookups.commitments_by_pk[activity.commitment_id]
            if activity.activity_type_id in lookups.types_by_pk:
                activity.activity_type = lookups.types_by_pk[activity.activity_type_id]
            if activity.district_id in lookups.districts_by_pk:
                activity.district = lookups.districts_by_pk[activity.district_id]
            activity.old_rows = values.get(activity.pk, {})
            activity.old_values = {pk: row.value for pk, row in activity.old_rows.items()}
            self.existing[key] = activity
        # Taken: the id of any other activity of the promise, or of the organisation elsewhere.
        others = Activity.objects.filter(
            Q(commitment__promise=promise) | Q(organisation=self.organisation)
        ).exclude(pk__in=[activity.pk for activity in activities])
        self.foreign_ids.update(
            others.filter(external_id__in=ids).values_list("external_id", flat=True)
        )
        self.foreign_ids.update(
            f"{PORTAL_ID_PREFIX}{pk}"
            for pk in others.filter(pk__in=portal_pks, external_id="").values_list("pk", flat=True)
        )

    def get_instance(self, instance_loader, row):
        external_id = cell_text(row.get("id"))
        if not external_id:
            return None
        if external_id in self.seen_ids:
            raise ValidationError(
                {
                    "external_id": ValidationError(
                        _("The id %(id)s is already used on row %(row)s of this file."),
                        code="duplicate_id",
                        params={"id": external_id, "row": self.seen_ids[external_id]},
                    )
                }
            )
        self.seen_ids[external_id] = row[ROW_KEY]
        if external_id in self.foreign_ids:
            raise ValidationError(
                {
                    "external_id": ValidationError(
                        _(
                            "The id %(id)s belongs to an activity of another organisation or "
                            "another promise: it cannot be overwritten."
                        ),
                        code="foreign_id",
                        params={"id": external_id},
                    )
                }
            )
        activity = self.existing.get(external_id)
        if activity is not None:
            activity.snapshot = snapshot(activity, activity.old_values)
        return activity

    def init_instance(self, row=None):
        activity = Activity(organisation=self.organisation, created_by=self.user)
        activity.old_rows, activity.old_values = {}, {}
        return activity

    # Each row: fields, measure values, every rule of the activity form.

    def import_instance(self, instance, row, **kwargs):
        # As django-import-export's, but a cell's error keeps its code.
        errors = {}
        for field in self.get_import_fields():
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                errors[field.attribute] = ValidationError(
                    str(error), code=getattr(error, "code", "invalid")
                )
        if instance.external_id.startswith(PORTAL_ID_PREFIX) and instance.pk:
            instance.external_id = ""
        self._check_context(row, errors)
        instance.new_values = self._measure_values(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def _check_context(self, row, errors):
        """A row that names a promise or an organisation must name the import's own."""
        promise, organisation = self.lookups.promise, self.organisation
        for key, names, code in [
            ("promise", {promise.title, promise.slug}, "other_promise"),
            ("organisation", {organisation.name, organisation.slug}, "other_organisation"),
        ]:
            text = cell_text(row.get(key))
            if text and name_key(text) not in {name_key(name) for name in names}:
                errors[key] = ValidationError(
                    _("The row is of %(value)s; this import is for %(expected)s."),
                    code=code,
                    params={
                        "value": text,
                        "expected": promise.title if key == "promise" else organisation.name,
                    },
                )

    def _measure_values(self, instance, row, errors):
        values = {}
        instance.value_rows = {}
        type_id = instance.activity_type_id
        if type_id is not None:
            # Values of the old type are not carried over to a new one.
            own = {m.pk for m in instance.activity_type.measure_list}
            values = {pk: v for pk, v in instance.old_values.items() if pk in own}
        for key, measures in self.measure_columns:
            try:
                number = parse_decimal(row.get(key))
            except ValueError as error:
                errors[key] = ValidationError(str(error), code=error.code)
                continue
            if type_id is None:
                continue
            measure = measures.get(type_id)
            if measure is None:
                if number is not None:
                    errors[key] = ValidationError(
                        _("The activity type %(type)s does not count this measure."),
                        code="measure_of_other_type",
                        params={"type": instance.activity_type.name},
                    )
                continue
            if number is None:
                values.pop(measure.pk, None)
                continue
            row_value = ActivityValue(activity=instance, measure=measure, value=number)
            try:
                row_value.full_clean(
                    exclude=["activity", "measure"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as error:
                errors[key] = error.error_dict["value"]
                continue
            values[measure.pk] = number
            # Kept, so that a new value is written from the instance that was validated.
            instance.value_rows[measure.pk] = row_value
        return values

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            # Constraints and uniqueness are checked per file (ids, above) and by the database
            # at the end; here they would cost queries per row.
            instance.full_clean(
                exclude=[*errors, *_FOREIGN_KEYS, *_NOT_IMPORTED],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None:
            return False
        return snapshot(instance, instance.new_values) == instance.snapshot

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is not None:
            instance.version += 1
            instance.updated_at = timezone.now()
