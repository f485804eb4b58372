"""An activity's audit trail as staff read it: each saved version, with what it changed.

Read from django-simple-history's records on the activity's history page and on the page that
refuses a stale edit (`Activity.changes_since`).
"""

from django.utils.translation import gettext_lazy as _

HISTORY_ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def describe_history(records):
    """Each history record in order, with the fields that changed since the one before."""
    described, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["version", "created_at"])
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append(
                    {
                        "field": field.verbose_name,
                        "old": _display(record, field, change.old),
                        "new": _display(record, field, change.new),
                    }
                )
        described.append(
            {"record": record, "action": HISTORY_ACTIONS[record.history_type], "changes": changes}
        )
        previous = record
    return described


def _display(record, field, value):
    """A changed value as a reader knows it: the related object's name, not its id."""
    if value in (None, ""):
        return "–"
    if field.is_relation:
        return str(field.related_model._default_manager.filter(pk=value).first() or value)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value
