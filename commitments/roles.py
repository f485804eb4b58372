"""The staff groups of DESIGN.md and the model permissions each holds.

The staff area reads a user's group names (`commitments.permissions`), never these model
permissions; only the admin does, to decide which of its screens a staff user sees (which rows
a user may see or change is decided by the QuerySets, `visible_to` and `editable_by`). Since
issue 17 only operators are staff (`User.clean`), and a superuser holds every permission, so
the groups' permissions matter only if a non-operator is ever made staff again: then the admin
still shows them no more than their group's screens, scoped to their own promises
(`commitments.scoped_admin`, defence in depth). They are kept for that.
"""

from django.db.models import Q

POLICE = "police"
MUNICIPALITY = "municipality"
COORDINATOR = "coordinator"
APPROVER = "approver"

_CONTENT = {
    "commitments": [
        "organisation",
        "promise",
        "signatory",
        "district",
        "commitment",
        "activitytype",
        "measure",
        "activity",
        "activityvalue",
        "activityimport",
        "indicator",
        "measurement",
    ],
    "followups": ["followup", "commitmentassessment", "approval"],
}
_STAFF_ACTIVITY = [
    ("commitments", "activity", ("add", "change", "delete", "view")),
    ("commitments", "activityvalue", ("add", "change", "delete", "view")),
]

GROUP_PERMISSIONS = {
    POLICE: _STAFF_ACTIVITY,
    MUNICIPALITY: _STAFF_ACTIVITY,
    # Organisations are shared by every promise: coordinators read them, operators change them.
    COORDINATOR: [
        (app, model, ("view",) if model == "organisation" else ("add", "change", "delete", "view"))
        for app, models in _CONTENT.items()
        for model in models
    ],
    APPROVER: [(app, model, ("view",)) for app, models in _CONTENT.items() for model in models],
}


def ensure_groups(app_config=None, using="default", apps=None, **kwargs):
    """Create the groups and give each exactly its permissions; safe to run again."""
    if app_config is not None and app_config.label not in _CONTENT:
        return
    from django.contrib.auth.models import Group, Permission

    for name, grants in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        query = Q(pk__in=[])
        for app_label, model, actions in grants:
            query |= Q(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        group.permissions.set(Permission.objects.using(using).filter(query))
