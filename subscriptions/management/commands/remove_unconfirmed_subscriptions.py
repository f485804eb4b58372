"""Delete unconfirmed subscriptions past their week; safe to run from cron at any time."""

from django.core.management.base import BaseCommand

from subscriptions.expiry import remove_unconfirmed


class Command(BaseCommand):
    help = (
        "Delete the e-mail addresses of subscriptions not confirmed within seven days of "
        "their last confirmation mail. Run it hourly."
    )

    def handle(self, *args, **options):
        removed = remove_unconfirmed()
        self.stdout.write(self.style.SUCCESS(f"Removed {removed} unconfirmed subscriptions."))
