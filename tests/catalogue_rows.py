"""Rows of the demo data that the staff pages of the URL catalogue open, each made once.

Split from tests/url_catalogue.py, which fills in each staff pattern with one of these.
"""

PROMISE_SLUG = "eskilstuna-2018"


def _police_activity():
    """A demo activity of the police: its own staff, the coordinators and approvers see it."""
    from commitments.models import Activity

    activity = Activity.objects.filter(organisation__slug="lpo-eskilstuna").order_by("pk").first()
    return activity.pk


def _deletable_police_activity():
    """A police activity still within the publication delay: only such a draft may be deleted.

    The demo's activities are from 2018 and kept for good, so one dated today is added once.
    """
    from django.utils import timezone

    from commitments.models import Activity

    recent = Activity.objects.filter(external_id="catalogue-recent").first()
    if recent is None:
        recent = Activity.objects.get(pk=_police_activity())
        recent.pk = recent.id = None
        recent.external_id = "catalogue-recent"
        recent.date = timezone.localdate()
        recent.save()
    return recent.pk


def _export():
    """A prepared export of the demo's police officer (made once): theirs alone to open."""
    from django.core.files.base import ContentFile

    from commitments.models import ActivityExport, User

    export = ActivityExport.objects.filter(query="katalog").first()
    if export is None:
        export = ActivityExport.objects.create(
            requested_by=User.objects.get(username="polis"),
            format="csv",
            query="katalog",
            state="ready",
            rows_total=0,
        )
        export.file.save("katalog.csv", ContentFile(b"Datum\r\n"))
    return export.pk


def _draft_followup():
    from followups.models import FollowUp

    return FollowUp.objects.get(promise__slug=PROMISE_SLUG, year=2018, tertial=3, version=1).pk


def _published_followup():
    from followups.models import FollowUp

    return FollowUp.objects.get(promise__slug=PROMISE_SLUG, year=2018, tertial=1, version=1).pk


INVITATION_TOKEN = "katalogens-inbjudan-till-eskilstuna-kommun"


def _invitation():
    """An open invitation to Eskilstuna's municipality, its link's token known (added once)."""
    from commitments.models import Invitation, Organisation

    invitation = Invitation.objects.with_token(INVITATION_TOKEN).first()
    if invitation is None:
        invitation, _raw = Invitation.issue(
            email="inbjuden@eskilstuna.example",
            organisation=Organisation.objects.get(slug="eskilstuna-kommun"),
            role="municipality",
            token=INVITATION_TOKEN,
        )
    return invitation.pk


def _invitation_link():
    _invitation()
    return f"/personal/inbjudan/{INVITATION_TOKEN}/"


def _municipal_account():
    """The demo's municipal staff member, whom Eskilstuna's coordinator administers."""
    from commitments.models import User

    return User.objects.get(username="kommun").pk
