"""How imported rows reach the database: in batches, with history, none once a row has failed.

The whole import is one transaction (run.py), rolled back on any error; ActivityResource
(rows.py) hands its rows over in batches through django-import-export's bulk hooks, which this
module implements. Each batch is written in a savepoint, so that a batch the database refuses
leaves PostgreSQL's transaction usable for the report, and no batch is written once any row of
the file failed. History rows (django-simple-history) are written in bulk beside the rows.
"""

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import Activity, ActivityValue

# What an update writes: every field the file sets, the version and the time of change.
UPDATED_FIELDS = [
    "date",
    "commitment",
    "activity_type",
    "district",
    "hours",
    "staff_count",
    "summary",
    "internal_note",
    "is_public",
    "version",
    "updated_at",
]
UPDATE_BATCH_SIZE = 500


class BulkWrites:
    """ActivityResource's bulk hooks: new and changed activities and their measure values."""

    def _write(self, write, instances, result, raise_errors):
        if not instances:
            return
        failed = self.failed or (
            result is not None and (result.has_errors() or result.has_validation_errors())
        )
        try:
            if not failed:
                # A savepoint, so that a refused batch leaves PostgreSQL's transaction usable.
                with transaction.atomic():
                    write(instances)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            instances.clear()

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        def write(instances):
            bulk_create_with_history(
                instances,
                Activity,
                batch_size=self._meta.batch_size,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
            self._write_values(instances, replace=False)

        self._write(write, self.create_instances, result, raise_errors)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        def write(instances):
            # bulk_update_with_history is Django's bulk_update plus history rows; Django's
            # bulk_update builds a CASE expression per object and field in Python (measured:
            # 181 rows/s), so the update is one UPDATE ... FROM (VALUES ...) per batch instead.
            update_rows(instances, UPDATED_FIELDS)
            Activity.history.bulk_history_create(
                instances,
                batch_size=self._meta.batch_size,
                update=True,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
            self._write_values(instances, replace=True)

        self._write(write, self.update_instances, result, raise_errors)

    def _write_values(self, instances, *, replace):
        """Measure values as the rows say: created, changed or deleted, each with history."""
        created, changed, deleted = [], [], []
        for activity in instances:
            old = activity.old_rows if replace else {}
            for measure_id, value in activity.new_values.items():
                row = old.get(measure_id)
                if row is None:
                    created.append(activity.value_rows[measure_id])
                elif row.value != value:
                    row.value = value
                    changed.append(row)
            deleted.extend(row for pk, row in old.items() if pk not in activity.new_values)
        history = {"default_user": self.user, "default_change_reason": self.change_reason}
        if deleted:
            delete_values(deleted, **history)
        if changed:
            bulk_update_with_history(
                changed, ActivityValue, ["value"], batch_size=UPDATE_BATCH_SIZE, **history
            )
        if created:
            bulk_create_with_history(
                created, ActivityValue, batch_size=self._meta.batch_size, **history
            )


def delete_values(rows, *, default_user, default_change_reason):
    """Delete measure values with a history row each, in two statements per batch.

    A queryset's delete() would send simple-history's post_delete signal row by row, a query
    per value; here the history rows are written in bulk and the rows deleted by id.
    """
    historical = ActivityValue.history.model
    now = timezone.now()
    historical.objects.bulk_create(
        [
            historical(
                history_date=now,
                history_user=default_user,
                history_change_reason=default_change_reason,
                history_type="-",
                **{
                    field.attname: getattr(row, field.attname)
                    for field in historical.tracked_fields
                },
            )
            for row in rows
        ],
        batch_size=UPDATE_BATCH_SIZE,
    )
    table = connection.ops.quote_name(ActivityValue._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPDATE_BATCH_SIZE):
            ids = [row.pk for row in rows[start : start + UPDATE_BATCH_SIZE]]
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))})", ids)


def update_rows(instances, field_names):
    """Write the fields of many activities in one statement per batch (PostgreSQL, SQLite)."""
    fields = [Activity._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    table = quote(Activity._meta.db_table)
    names = ["id", *(field.column for field in fields)]
    if connection.vendor == "postgresql":
        # VALUES has no column types of its own: cast each to its column's type.
        types = ["bigint", *(field.db_type(connection) for field in fields)]
        placeholder = "(" + ", ".join(f"%s::{kind}" for kind in types) + ")"
    else:
        placeholder = "(" + ", ".join(["%s"] * len(names)) + ")"
    assignments = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in fields)
    columns = ", ".join(quote(name) for name in names)
    with connection.cursor() as cursor:
        for start in range(0, len(instances), UPDATE_BATCH_SIZE):
            batch = instances[start : start + UPDATE_BATCH_SIZE]
            params = []
            for activity in batch:
                params.append(activity.pk)
                params.extend(
                    field.get_db_prep_save(getattr(activity, field.attname), connection)
                    for field in fields
                )
            cursor.execute(
                f"WITH v ({columns}) AS (VALUES {', '.join([placeholder] * len(batch))}) "
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.id = v.id",
                params,
            )
