"""Load the Eskilstuna 2018 promise and fictional demo data; safe to run again."""

from django.core.management.base import BaseCommand

from followups.demo import ACCOUNTS, demo_password, seed


class Command(BaseCommand):
    help = (
        "Load the Eskilstuna 2018 promise (fixtures/) and fictional demo data: accounts, "
        "activities, indicators and follow-ups. Idempotent. The password comes from "
        "DEMO_PASSWORD, else it is generated once and kept in .demo_password."
    )

    def handle(self, *args, **options):
        password, generated = demo_password()
        promise, _users, created = seed(password)
        self.stdout.write("Demo accounts (demo data only):")
        for username, _org, group, *_names in ACCOUNTS:
            self.stdout.write(f"  {username:<12} group {group}")
        note = " (generated now)" if generated else ""
        self.stdout.write(f"  password: {password}{note}")
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {promise.title}: {created} new demo activities.")
        )
