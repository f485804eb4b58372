"""Who may see and change what in the staff area: the one place the rules are written.

The QuerySets' `visible_to(user)` and `editable_by(user)` are built from these functions, so
staff views, the admin, exports and the follow-up workflow all start from the same rules:

- every staff user belongs to one organisation; an organisation *takes part* in a promise as
  its municipality, its local police area or a responsible organisation of a commitment;
- police and municipal staff see and change their own organisation's activities;
- coordinators manage everything of the promises they *lead* (their organisation is the
  promise's municipality or police area);
- approvers read everything of the promises they lead and change no activity;
- anyone else sees nothing.
"""

from django.db.models import Q

from . import roles

# Groups whose members log activities for their own organisation.
LOGGING_GROUPS = frozenset({roles.POLICE, roles.MUNICIPALITY, roles.COORDINATOR})
# Groups whose members see everything of the promises their organisation leads.
LEADING_GROUPS = frozenset({roles.COORDINATOR, roles.APPROVER})
STAFF_GROUPS = LOGGING_GROUPS | LEADING_GROUPS

NOTHING = Q(pk__in=[])


def groups_of(user):
    """The user's group names, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if not hasattr(user, "_portal_groups"):
        user._portal_groups = frozenset(user.groups.values_list("name", flat=True))
    return user._portal_groups


def is_staff_member(user):
    """A user with an organisation and one of the staff groups."""
    return bool(groups_of(user) & STAFF_GROUPS) and user.organisation_id is not None


def may_log(user):
    return bool(groups_of(user) & LOGGING_GROUPS) and user.organisation_id is not None


def is_coordinator(user):
    return roles.COORDINATOR in groups_of(user) and user.organisation_id is not None


def is_superuser(user):
    return getattr(user, "is_superuser", False) and user.is_active


def taking_part(user, prefix=""):
    """Q for promises (at `prefix`) the user's organisation takes part in."""
    from .models import Commitment

    org = user.organisation_id
    return (
        Q(**{f"{prefix}municipality_id": org})
        | Q(**{f"{prefix}police_area_id": org})
        | Q(
            **{
                f"{prefix}pk__in": Commitment.objects.filter(responsible_organisations=org).values(
                    "promise_id"
                )
            }
        )
    )


def leading(user, prefix=""):
    """Q for promises (at `prefix`) the user's organisation leads: municipality or police area."""
    org = user.organisation_id
    return Q(**{f"{prefix}municipality_id": org}) | Q(**{f"{prefix}police_area_id": org})


def promise_visibility(user, prefix=""):
    """Q for the promises a staff user may see anything of."""
    if is_superuser(user):
        return Q()
    if not is_staff_member(user):
        return NOTHING
    return taking_part(user, prefix)


def activity_visibility(user):
    """Q for the activities the user may read, internal notes included."""
    if is_superuser(user):
        return Q()
    if not is_staff_member(user):
        return NOTHING
    query = Q(organisation_id=user.organisation_id) & taking_part(user, "commitment__promise__")
    if groups_of(user) & LEADING_GROUPS:
        query |= leading(user, "commitment__promise__")
    return query


def activity_editability(user):
    """Q for the activities the user may change or delete."""
    if is_superuser(user):
        return Q()
    if not may_log(user):
        return NOTHING
    query = Q(organisation_id=user.organisation_id) & taking_part(user, "commitment__promise__")
    if is_coordinator(user):
        query |= leading(user, "commitment__promise__")
    return query


def activity_auditability(user):
    """Q for the activities whose history the user may read: coordinators of the promise."""
    if is_superuser(user):
        return Q()
    if not is_coordinator(user):
        return NOTHING
    return leading(user, "commitment__promise__")


def taking_part_organisations(promise):
    """Q for the organisations that take part in one promise (who an activity can be for)."""
    return (
        Q(pk=promise.municipality_id)
        | Q(pk=promise.police_area_id)
        | Q(commitments__promise=promise)
    )
