"""Who may see and change what: the one place the staff permission rules are written.

Every staff view, form, the import, the copy page, the follow-up workflow and the admin start
from the QuerySets' `visible_to(user)`, `editable_by(user)` and `led_by(user)`, which are built
from the predicates and Q-builders below. The rules:

- every staff user belongs to one organisation and is in one or more staff groups;
- an organisation *leads* a promise when it is the promise's municipality or local police
  area (a signatory), and *takes part* in it when it leads it or is responsible for one of
  its commitments;
- staff see the structure of the promises their organisation takes part in, and change the
  activities of their own organisation there;
- coordinators of a leading organisation set up and change everything of the promise and
  change every activity in it; they write its follow-ups;
- approvers of a leading organisation read everything of the promise, approve and publish its
  follow-ups, and change no activity;
- staff of a leading organisation, in any group, read its follow-ups;
- superusers (the operators) see and change everything, through the same QuerySets;
- coordinators invite and deactivate the people of the signatory organisations of the
  promises they coordinate (`people_administration`);
- anyone else sees nothing. A row outside these rules is never loaded.
"""

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q

from . import roles

# Groups whose members log activities for their own organisation.
LOGGING_GROUPS = frozenset({roles.POLICE, roles.MUNICIPALITY, roles.COORDINATOR})
# Groups whose members see everything of the promises their organisation leads.
LEADING_GROUPS = frozenset({roles.COORDINATOR, roles.APPROVER})
STAFF_GROUPS = LOGGING_GROUPS | LEADING_GROUPS

NOTHING = Q(pk__in=[])
EVERYTHING = Q()


# Who the user is.


def groups_of(user):
    """The user's group names, read once per request (kept on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if not hasattr(user, "_portal_groups"):
        user._portal_groups = frozenset(user.groups.values_list("name", flat=True))
    return user._portal_groups


def is_superuser(user):
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def is_staff_member(user):
    """A user with an organisation and one of the staff groups."""
    return bool(groups_of(user) & STAFF_GROUPS) and user.organisation_id is not None


def may_log(user):
    return bool(groups_of(user) & LOGGING_GROUPS) and user.organisation_id is not None


def is_coordinator(user):
    return roles.COORDINATOR in groups_of(user) and user.organisation_id is not None


def is_approver(user):
    return roles.APPROVER in groups_of(user) and user.organisation_id is not None


# The user and one promise (a loaded Promise, no query).


def leads(user, promise):
    """The user's organisation is one of the promise's two signatories."""
    return user.organisation_id is not None and user.organisation_id in (
        promise.municipality_id,
        promise.police_area_id,
    )


def is_coordinator_of(user, promise):
    """A coordinator of one of the promise's two signatory organisations."""
    return is_coordinator(user) and leads(user, promise)


def is_approver_of(user, promise):
    """The approver of one of the promise's two signatory organisations."""
    return is_approver(user) and leads(user, promise)


def may_set_up(user, promise):
    """Who may change a promise's structure: its coordinators, and the operators."""
    return is_superuser(user) or is_coordinator_of(user, promise)


# Q-builders: for promises at `prefix` ("" on Promise itself, "commitment__promise__", ...).


def taking_part(user, prefix=""):
    """Q for promises the user's organisation takes part in."""
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
    """Q for promises the user's organisation leads: municipality or police area."""
    org = user.organisation_id
    return Q(**{f"{prefix}municipality_id": org}) | Q(**{f"{prefix}police_area_id": org})


def promise_visibility(user, prefix=""):
    """Q for the promises a staff user may see anything of."""
    if is_superuser(user):
        return EVERYTHING
    if not is_staff_member(user):
        return NOTHING
    return taking_part(user, prefix)


def promise_leadership(user, prefix=""):
    """Q for the promises whose follow-ups a user reads: staff of a leading organisation."""
    if is_superuser(user):
        return EVERYTHING
    if not is_staff_member(user):
        return NOTHING
    return leading(user, prefix)


def promise_coordination(user, prefix=""):
    """Q for the promises whose structure and follow-ups the user may change."""
    if is_superuser(user):
        return EVERYTHING
    if not is_coordinator(user):
        return NOTHING
    return leading(user, prefix)


def organisation_visibility(user):
    """Q for organisations: one's own, and those taking part in the promises one sees."""
    from .models import Commitment, Promise

    if is_superuser(user):
        return EVERYTHING
    if not is_staff_member(user):
        return NOTHING
    promises = Promise.objects.filter(taking_part(user))
    return (
        Q(pk=user.organisation_id)
        | Q(pk__in=promises.values("municipality_id"))
        | Q(pk__in=promises.values("police_area_id"))
        | Q(
            pk__in=Commitment.objects.filter(promise__in=promises).values(
                "responsible_organisations"
            )
        )
    )


def organisation_editability(user):
    """Organisations are the operators' to change: they are shared by every promise."""
    return EVERYTHING if is_superuser(user) else NOTHING


def people_administration(user):
    """Q for the organisations whose people the user invites and deactivates.

    Coordinators administer the two signatory organisations of each promise they coordinate
    (their own and its partner), so that a promise's staff come in without an operator; the
    operators administer every organisation.
    """
    from .models import Promise

    if is_superuser(user):
        return EVERYTHING
    if not is_coordinator(user):
        return NOTHING
    promises = Promise.objects.filter(leading(user))
    return Q(pk__in=promises.values("municipality_id")) | Q(
        pk__in=promises.values("police_area_id")
    )


def may_administer_people(user):
    """Who opens the people pages at all: coordinators and the operators."""
    return is_superuser(user) or is_coordinator(user)


def taking_part_organisations(promise):
    """Q for the organisations that take part in one promise (who an activity can be for)."""
    return (
        Q(pk=promise.municipality_id)
        | Q(pk=promise.police_area_id)
        | Q(commitments__promise=promise)
    )


def loggable_organisations(user, promise):
    """Q for the organisations whose activities the user may enter in one promise.

    Staff who log enter their own organisation's, in a promise it takes part in; a
    coordinator of the promise enters any taking part organisation's; the operators too.
    """
    if is_superuser(user) or is_coordinator_of(user, promise):
        return taking_part_organisations(promise)
    if not may_log(user):
        return NOTHING
    return taking_part_organisations(promise) & Q(pk=user.organisation_id)


# Activities: by commitment ids, for speed (see commitment_ids).


@dataclass(frozen=True)
class CommitmentIds:
    """Ids of commitments, for the activity rules: those of the promises the user sees
    (`visible`) and, among them, those of the promises the user's organisation leads (`led`)."""

    visible: tuple[int, ...]
    led: tuple[int, ...]


def commitment_ids(user):
    """The user's CommitmentIds, read in one small query.

    Activities are filtered by these ids rather than by the promise: a join to the promise, or
    a subquery, inside an OR makes PostgreSQL read every activity in the database (a sequential
    scan of a million rows, docs/benchmarks.md); a list of ids lets it read only the promise's
    activities, through the (commitment, date) and (organisation, date) indexes. A view that
    builds several activity QuerySets (the staff list: its rows, its page, its filter) reads
    them once and passes them to each (`visible_to(user, commitments=...)`).
    """
    from .models import Commitment

    led = ExpressionWrapper(leading(user, "promise__"), output_field=BooleanField())
    rows = list(
        Commitment.objects.filter(promise_visibility(user, "promise__")).values_list("pk", led)
    )
    return CommitmentIds(
        visible=tuple(pk for pk, _led in rows), led=tuple(pk for pk, led in rows if led)
    )


def activity_visibility(user, commitments=None):
    """Q for the activities the user may read, internal notes included.

    `commitments` are the user's `commitment_ids` when the caller has read them already.
    """
    if is_superuser(user):
        return EVERYTHING
    if not is_staff_member(user):
        return NOTHING
    if commitments is None:
        commitments = commitment_ids(user)
    query = Q(organisation_id=user.organisation_id) & Q(commitment_id__in=commitments.visible)
    if groups_of(user) & LEADING_GROUPS:
        query |= Q(commitment_id__in=commitments.led)
    return query


def activity_editability(user):
    """Q for the activities the user may change or delete."""
    if is_superuser(user):
        return EVERYTHING
    if not may_log(user):
        return NOTHING
    commitments = commitment_ids(user)
    query = Q(organisation_id=user.organisation_id) & Q(commitment_id__in=commitments.visible)
    if is_coordinator(user):
        query |= Q(commitment_id__in=commitments.led)
    return query


def sees_other_organisations_activities(user):
    """Whether the user reads other organisations' activities (of promises they lead)."""
    return is_superuser(user) or bool(groups_of(user) & LEADING_GROUPS)


def activity_auditability(user):
    """Q for the activities whose history the user may read: coordinators of the promise."""
    if is_superuser(user):
        return EVERYTHING
    if not is_coordinator(user):
        return NOTHING
    return Q(commitment_id__in=commitment_ids(user).led)


# Follow-ups.


def followup_visibility(user, prefix=""):
    """Q for follow-ups (at `prefix`): staff of the promise's signatory organisations."""
    return promise_leadership(user, f"{prefix}promise__")


def followup_editability(user, prefix=""):
    """Q for follow-ups whose text the user may write: the promise's coordinators."""
    return promise_coordination(user, f"{prefix}promise__")
