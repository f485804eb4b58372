"""Rebuild the public summary of every published promise (commitments.figures).

Pages rebuild a promise's summary themselves when they find it stale (data version changed,
or the publication cut-off more than SUMMARY_MAX_LAG ahead of it), so this is never needed
for correctness. Run it after a change of data (so that no reader waits for the rebuild) or
nightly from cron, which keeps the live part of each page's query (activities that became
public since the last build) to a day or less.
"""

import time

from django.core.management.base import BaseCommand

from commitments import figures
from commitments.models import Promise


class Command(BaseCommand):
    help = "Rebuild the public summary of every published promise (or those given by slug)."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="only these promises")

    def handle(self, *args, slugs, **options):
        promises = Promise.objects.public().order_by("pk")
        if slugs:
            promises = promises.filter(slug__in=slugs)
        started = time.perf_counter()
        count = 0
        for promise in promises:
            figures.rebuild_public_summary(promise, promise.public_version, force=True)
            count += 1
        seconds = time.perf_counter() - started
        self.stdout.write(f"Rebuilt {count} public summaries in {seconds:.1f} s.")
