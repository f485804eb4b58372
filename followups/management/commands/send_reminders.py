"""Remind staff before a tertial's report is due; safe to run from cron several times a day."""

from django.core.management.base import BaseCommand

from followups.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail an organisation's staff and coordinators 14 days before a tertial's report is "
        "due when a commitment or district has no activity of theirs in the tertial. Each "
        "person gets each reminder once, however often this runs."
    )

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminders."))
