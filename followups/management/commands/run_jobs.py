"""Run the recurring jobs once (followups/jobs.py); hourly from a timer, cron or compose."""

from django.core.management.base import BaseCommand, CommandError

from followups.jobs import JOBS, run_jobs


class Command(BaseCommand):
    help = (
        "Run the recurring jobs once: reminders, the day's public summaries, and removing "
        "expired exports and import uploads. Safe to run at any time and twice at once: a run "
        "that finds another one under way does nothing."
    )

    def add_arguments(self, parser):
        names = ", ".join(name for name, _s, _f in JOBS)
        parser.add_argument("jobs", nargs="*", help=f"only these jobs, of: {names}")

    def handle(self, *args, jobs, **options):
        unknown = set(jobs) - {name for name, _s, _f in JOBS}
        if unknown:
            raise CommandError(f"No such job: {', '.join(sorted(unknown))}.")
        results = run_jobs(only=jobs)
        if results is None:
            self.stdout.write("Another run holds the lock: nothing done.")
            return
        summaries = {name: summary for name, summary, _f in JOBS}
        self.stdout.write(
            self.style.SUCCESS(
                "; ".join(f"{count} {summaries[name]}" for name, count in results.items()) + "."
            )
        )
