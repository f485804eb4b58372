"""Invite the first coordinator of an organisation: the operators' one step.

For a promise that exists, `--promise` (its municipality by default, or `--organisation`);
for a municipality or police area that starts, `--organisation` alone, or `--new-organisation`
with `--kind` to create it: its coordinator then starts the promise in the workspace
(/personal/loften/nytt/).

After it, the coordinator invites everyone else from the staff pages (/personal/personal/), so
no account needs a superuser. The link is printed as well as mailed, for when the mail does
not arrive.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from commitments import people
from commitments.models import Invitation, Organisation, Promise
from commitments.models.invitations import Role


class Command(BaseCommand):
    help = (
        "Invite a coordinator by e-mail: of a promise's municipality (or police area), or of "
        "an organisation that starts (--organisation, or --new-organisation with --kind)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--promise", help="the promise's slug")
        parser.add_argument("--new-organisation", help="the name of an organisation to create")
        parser.add_argument(
            "--kind",
            choices=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.POLICE],
            help="the kind of the new organisation",
        )
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
        if promise:
            chosen = self._of_promise(promise, organisation)
        elif options["new_organisation"]:
            chosen = self._new_organisation(options["new_organisation"], options["kind"])
        elif organisation:
            chosen = Organisation.objects.filter(slug=organisation).first()
            if chosen is None:
                raise CommandError(f"No organisation {organisation!r}.")
        else:
            raise CommandError("Name a --promise, an --organisation or a --new-organisation.")
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

    def _new_organisation(self, name, kind):
        if not kind:
            raise CommandError("Say its --kind: municipality or police.")
        organisation = Organisation(name=name.strip(), slug=slugify(name), kind=kind)
        try:
            organisation.full_clean()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        organisation.save()
        self.stdout.write(f"Created {organisation} ({organisation.slug}).")
        return organisation

    def _of_promise(self, promise, organisation):
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
        return chosen
