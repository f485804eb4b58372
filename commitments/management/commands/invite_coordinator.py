"""Invite the first coordinator of a promise's organisation: the operators' one step.

After it, the coordinator invites everyone else from the staff pages (/personal/personal/), so
no account needs a superuser. The link is printed as well as mailed, for when the mail does
not arrive.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from commitments import people
from commitments.models import Invitation, Promise
from commitments.models.invitations import Role


class Command(BaseCommand):
    help = "Invite a coordinator of a promise's municipality (or its police area) by e-mail."

    def add_arguments(self, parser):
        parser.add_argument("--promise", required=True, help="the promise's slug")
        parser.add_argument("--email", required=True, help="the coordinator's e-mail address")
        parser.add_argument(
            "--organisation",
            help="the slug of one of the promise's two organisations (default: its municipality)",
        )
        parser.add_argument(
            "--base-url",
            default=settings.PORTAL_URL,
            help="the portal's address, for the link (default: the PORTAL_URL setting)",
        )

    def handle(self, *args, promise, email, organisation, base_url, **options):
        try:
            promise = Promise.objects.select_related("municipality", "police_area").get(
                slug=promise
            )
        except Promise.DoesNotExist as error:
            raise CommandError(f"No promise {promise!r}.") from error
        signatories = {o.slug: o for o in (promise.municipality, promise.police_area)}
        chosen = signatories.get(organisation or promise.municipality.slug)
        if chosen is None:
            raise CommandError(
                f"{organisation!r} is not one of the promise's organisations: "
                + ", ".join(sorted(signatories))
            )
        try:
            invitation, raw = Invitation.issue(
                email=email, organisation=chosen, role=Role.COORDINATOR
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        link = people.send_invitation(invitation, raw, base_url)
        self.stdout.write(f"Invited {invitation.email} as coordinator of {chosen}.")
        self.stdout.write(f"The link (valid until {invitation.expires_at:%Y-%m-%d %H:%M}):")
        self.stdout.write(link)
