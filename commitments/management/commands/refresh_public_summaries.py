"""Rebuild the public summaries that are stale, of every published promise (or those named).

A summary is rebuilt by whoever renders a page of its promise first after a change or a new
day (the background worker, normally), so this is never needed for correctness. Run it early
each day (docs/operations.md) so that the day's first renderings find the summaries of the
ongoing promises already built through the day's publication cut-off.
"""

import time

from django.core.management.base import BaseCommand

from commitments import figures
from commitments.models import Promise


class Command(BaseCommand):
    help = "Rebuild the stale public summaries of the published promises (or those given)."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="only these promises")

    def handle(self, *args, slugs, **options):
        promises = Promise.objects.public().order_by("pk")
        if slugs:
            promises = promises.filter(slug__in=slugs)
        started = time.perf_counter()
        count = 0
        for promise in promises:
            figures.rebuild_public_summary(promise)
            count += 1
        seconds = time.perf_counter() - started
        self.stdout.write(f"Checked {count} public summaries in {seconds:.1f} s.")
