"""Fictional demo data around the real Eskilstuna 2018 promise, for `manage.py seed_demo`.

Everything here is made up and marked as demo: activity ids start with "demo-", follow-up
summaries say "Demodata". Generated from a fixed random seed, so every run makes the same data.
"""

import os
import random
import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from commitments import roles
from commitments.loading import load_promise_file
from commitments.models import (
    Activity,
    ActivityValue,
    Organisation,
    User,
)

from .demo_indicators import seed_boundaries, seed_indicators
from .models import Approval, CommitmentAssessment, FollowUp, FollowUpEvent
from .reports import render_and_store
from .sharing import render_and_store_image
from .tertials import Tertial

FIXTURE = settings.BASE_DIR / "fixtures" / "eskilstuna_2018.toml"
DEMO_PREFIX = "demo-"
ACTIVITY_COUNT = 360

# username, organisation slug, group, first name, last name
ACCOUNTS = [
    ("polis", "lpo-eskilstuna", roles.POLICE, "Demo", "Polis"),
    ("kommun", "eskilstuna-kommun", roles.MUNICIPALITY, "Demo", "Kommun"),
    ("samordnare", "eskilstuna-kommun", roles.COORDINATOR, "Demo", "Samordnare"),
    ("ordforande", "eskilstuna-kommun", roles.APPROVER, "Demo", "Ordförande"),
    ("lpo-chef", "lpo-eskilstuna", roles.APPROVER, "Demo", "Lokalpolisområdeschef"),
]

# Per activity type: (typical hours, staff, {measure: (low, high)}, public summaries)
_WORK = {
    "fotpatrull": (
        3,
        2,
        {},
        ["Fotpatrullering kring torget och skolan.", "Kvällspatrull till fots."],
    ),
    "fordonspatrull": (4, 2, {}, ["Fordonspatrullering under kvällen.", "Synlig närvaro med bil."]),
    "trafikkontroll": (
        3,
        4,
        {
            "Kontrollerade fordon": (15, 80),
            "Misstänkt rattfylleri": (0, 3),
            "Ordningsböter": (0, 8),
        },
        ["Riktad trafikkontroll mot buskörning.", "Kontroll av mopeder och EPA-traktorer."],
    ),
    "medborgardialog": (
        2,
        2,
        {"Nådda boende": (10, 60)},
        ["Medborgardialog vid centrumbutikerna.", "Samtal med boende i bostadsområdet."],
    ),
    "trygghetsvandring": (
        2,
        3,
        {"Deltagare": (5, 25)},
        ["Trygghetsvandring med boende och fastighetsägare."],
    ),
    "narkotikainsats": (
        5,
        6,
        {"Rapporterade personer": (0, 6), "Beslag": (0, 4)},
        ["Narkotikainsats mot öppen försäljning."],
    ),
    "riktad-insats-grupperingar": (
        4,
        4,
        {"Anmälda brott": (0, 5)},
        ["Riktad insats mot grupperingar som skapar otrygghet."],
    ),
    "sspf-arendemote": (
        2,
        4,
        {"Diskuterade ungdomar": (1, 6)},
        ["SSPF-möte med socialtjänst, skola och polis."],
    ),
    "social-insatsgrupp": (
        2,
        3,
        {"Ungdomar i insats": (1, 3)},
        ["Samordning i social insatsgrupp."],
    ),
    "forebyggande-skolinsats": (
        2,
        2,
        {"Nådda elever": (20, 120)},
        ["Föreläsning om narkotika för högstadiet.", "Lektion om skadegörelse och ansvar."],
    ),
}


def demo_password():
    """DEMO_PASSWORD, else one generated once per checkout and kept in a git-ignored file."""
    if os.environ.get("DEMO_PASSWORD"):
        return os.environ["DEMO_PASSWORD"], False
    path = Path(settings.BASE_DIR) / ".demo_password"
    if path.exists():
        return path.read_text().strip(), False
    password = secrets.token_urlsafe(9)
    path.write_text(password)
    path.chmod(0o600)
    return password, True


def seed_accounts(password):
    roles.ensure_groups()
    users = {}
    for username, organisation, group, first, last in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "organisation": Organisation.objects.get(slug=organisation),
                "first_name": first,
                "last_name": last,
            },
        )
        if created or (os.environ.get("DEMO_PASSWORD") and not user.check_password(password)):
            user.set_password(password)
            user.save()
        user.groups.set([Group.objects.get(name=group)])
        users[username] = user
    return users


def _activities(promise, users, rng):
    commitments = list(
        promise.commitments.prefetch_related("activity_types__measures", "districts")
    )
    police = promise.police_area
    municipality = promise.municipality
    activities, values = [], []
    for index in range(1, ACTIVITY_COUNT + 1):
        commitment = rng.choices(commitments, weights=[5, 2, 3])[0]
        activity_type = rng.choice(list(commitment.activity_types.all()))
        hours, staff, ranges, summaries = _WORK[activity_type.slug]
        organisation = police
        if commitment.number == 3 and rng.random() < 0.6:
            organisation = municipality
        day = date(2018, 1, 1) + timedelta(days=rng.randrange(365))
        activity = Activity(
            commitment=commitment,
            activity_type=activity_type,
            district=rng.choice(list(commitment.districts.all())),
            organisation=organisation,
            date=day,
            hours=Decimal(max(1, hours + rng.randint(-1, 2))),
            staff_count=max(1, staff + rng.randint(-1, 1)),
            summary=rng.choice(summaries),
            internal_note=rng.choice(["", "", "Demodata: intern planeringsanteckning."]),
            is_public=rng.random() > 0.1,
            external_id=f"{DEMO_PREFIX}{index:04d}",
            created_by=users["polis" if organisation == police else "kommun"],
        )
        activities.append(activity)
        for measure in activity_type.measures.all():
            low, high = ranges[measure.name]
            values.append((activity, measure, Decimal(rng.randint(low, high))))
    return activities, values


def seed_activities(promise, users):
    if Activity.objects.filter(
        commitment__promise=promise, external_id__startswith=DEMO_PREFIX
    ).exists():
        return 0
    activities, values = _activities(promise, users, random.Random(2018))
    bulk_create_with_history(activities, Activity, batch_size=500)
    saved = {
        a.external_id: a
        for a in Activity.objects.filter(
            external_id__startswith=DEMO_PREFIX, commitment__promise=promise
        )
    }
    ActivityValue.objects.bulk_create(
        ActivityValue(activity=saved[activity.external_id], measure=measure, value=value)
        for activity, measure, value in values
    )
    return len(activities)


@transaction.atomic
def seed(password):
    promise = load_promise_file(FIXTURE)
    users = seed_accounts(password)
    created = seed_activities(promise, users)
    seed_indicators(promise)
    seed_boundaries(promise)
    seed_followups(promise, users)
    promise.touch()
    return promise, users, created


def _aware(day, hour=10):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


_ASSESSMENTS = {
    1: ("on_track", "Närvaron i de prioriterade stadsdelarna har ökat enligt plan."),
    2: ("partly", "Insatserna mot narkotikaförsäljning har genomförts men färre än planerat."),
    3: ("on_track", "SSPF och social insatsgrupp har träffats regelbundet."),
}
# The final follow-up (T3, the promise's last tertial) gives the verdict instead.
_VERDICTS = {
    1: (
        "partly_kept",
        "Närvaron ökade, men fotpatrulleringen nådde inte de utlovade timmarna (demodata).",
    ),
    2: ("partly_kept", "Insatserna genomfördes, men färre än utlovat (demodata)."),
    3: ("kept", "SSPF och social insatsgrupp träffades varje månad (demodata)."),
}


def seed_followups(promise, users):
    """T1 and T2 of 2018 published with their reports rendered, T3 a complete draft.

    The published ones are written as the workflow would have left them (the dates lie in
    2018, so the transition methods, which stamp today, are not used); T3 is left for the
    demo users to submit, approve and publish.
    """
    published = {1: date(2018, 5, 24), 2: date(2018, 9, 20)}
    for tertial in [Tertial(2018, 1), Tertial(2018, 2), Tertial(2018, 3)]:
        is_published = tertial.number in published
        followup, created = FollowUp.objects.get_or_create(
            promise=promise,
            year=tertial.year,
            tertial=tertial.number,
            version=1,
            defaults={
                "summary": f"Demodata: uppföljning av {tertial}. Arbetet har gått enligt plan "
                "i de prioriterade stadsdelarna.",
                "easy_read": f"Så här gick det under {tertial}. Poliser har synts mer i "
                "stadsdelarna. Det mesta har gått som vi lovade. Läs mer på sidan om löftet.",
                "state": FollowUp.State.PUBLISHED if is_published else FollowUp.State.DRAFT,
                "submitted_by": users["samordnare"] if is_published else None,
                "submitted_at": _aware(published[tertial.number], 9) if is_published else None,
                "published_by": users["samordnare"] if is_published else None,
                "published_at": _aware(published[tertial.number], 15) if is_published else None,
            },
        )
        if not created:
            continue
        assessments = _VERDICTS if followup.is_final else _ASSESSMENTS
        for commitment in promise.commitments.all():
            status, justification = assessments[commitment.number]
            CommitmentAssessment.objects.create(
                followup=followup,
                commitment=commitment,
                status=status,
                justification=justification,
                done="Demodata: se aktiviteterna per område.",
                effect="Demodata: boende uppger i dialoger att närvaron märks.",
                next_steps="Demodata: fortsätt enligt plan.",
            )
        if is_published:
            day = published[tertial.number]
            events = [("submitted", "samordnare", 9)]
            for username in ("ordforande", "lpo-chef"):
                Approval.objects.create(
                    followup=followup,
                    organisation=users[username].organisation,
                    approved_by=users[username],
                    approved_at=_aware(day, 12),
                )
                events.append(("approved", username, 12))
            events.append(("published", "samordnare", 15))
            FollowUpEvent.objects.bulk_create(
                FollowUpEvent(followup=followup, action=action, by=users[name], at=_aware(day, h))
                for action, name, h in events
            )
        else:
            FollowUpEvent.objects.create(
                followup=followup, action=FollowUpEvent.Action.CREATED, by=users["samordnare"]
            )
    # As the worker does on publication (tasks.render_report): the report, then the image.
    for followup in FollowUp.objects.filter(promise=promise, state=FollowUp.State.PUBLISHED):
        if not followup.pdf:
            render_and_store(followup)
        render_and_store_image(followup)
