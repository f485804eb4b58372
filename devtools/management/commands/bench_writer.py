"""The writers of `make bench`'s national mixed load, and the probes of how soon a change shows.

`manage.py bench_writer --url http://127.0.0.1:PORT --seconds 60` changes activities through
the staff area's code path (`Activity.save_edit`, which touches the promise: its pages are
rendered anew as they are read) at `--rate` changes a second spread over `--promises` current
published promises;
meanwhile, `--probes` times, it renames a commitment of another promise as the admin does (a
save, then `promise.touch()`) and reads the promise's public page until the new title shows.
It ends with one line: BENCH {"writes": …, "errors": …, "visible_seconds": [...]}.
"""

import json
import random
import threading
import time
import urllib.request

from django.core.management.base import BaseCommand
from django.db import connection

from commitments.models import Activity, Commitment, Promise


class Command(BaseCommand):
    help = "Change activities at a steady rate and time how soon a change is on its page."

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True, help="the portal, e.g. http://127.0.0.1:8000")
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument("--rate", type=float, default=2, help="changes a second")
        parser.add_argument("--promises", type=int, default=20)
        parser.add_argument("--probes", type=int, default=5)
        parser.add_argument("--seed", type=int, default=15)

    def handle(self, *args, url, seconds, rate, promises, probes, seed, **options):
        rng = random.Random(seed)
        # Staff log the work of the promises they run now: each chain's newest year, the one
        # no later promise continues (an earlier year's change would move its successors too).
        published = list(Promise.objects.public().filter(successors=None).order_by("pk"))
        rng.shuffle(published)
        written = published[:promises]
        probed = published[promises : promises + probes]
        targets = [
            list(
                Activity.objects.filter(commitment__promise=p)
                .order_by("pk")
                .values_list("pk", flat=True)[:50]
            )
            for p in written
        ]
        result = {"writes": 0, "errors": 0, "visible_seconds": [], "probe_errors": 0}
        started = time.monotonic()
        prober = threading.Thread(target=self.probe, args=(url, probed, seconds, result))
        prober.start()
        n = 0
        while time.monotonic() - started < seconds:
            pks = targets[n % len(targets)]
            n += 1
            if pks:
                try:
                    activity = Activity.objects.get(pk=rng.choice(pks))
                    activity.staff_count = (activity.staff_count % 5) + 1
                    values = {v.measure: v.value for v in activity.values.select_related("measure")}
                    activity.save_edit(based_on=activity.version, values=values)
                    result["writes"] += 1
                except Exception:  # counted and reported; the load goes on
                    result["errors"] += 1
            time.sleep(max(0.0, started + n / rate - time.monotonic()))
        prober.join()
        self.stdout.write("BENCH " + json.dumps(result))

    def probe(self, url, promises, seconds, result):
        """Rename a commitment, read its promise's page until the new title is on it."""
        try:
            gap = seconds / (len(promises) + 1)
            for number, promise in enumerate(promises, start=1):
                time.sleep(gap / 2)
                commitment = Commitment.objects.filter(promise=promise).order_by("number").first()
                if commitment is None:
                    continue
                title = f"Ändrat åtagande {number}-{int(time.time())}"
                commitment.title = title
                commitment.save()
                promise.touch()
                changed = time.monotonic()
                while time.monotonic() - changed < 30:
                    if title in _page(url + promise.get_absolute_url()):
                        result["visible_seconds"].append(round(time.monotonic() - changed, 2))
                        break
                    time.sleep(0.1)
                else:
                    result["visible_seconds"].append(None)
                time.sleep(gap / 2)
        except Exception:  # reported as a failed probe
            result["probe_errors"] += 1
        finally:
            connection.close()


def _page(url):
    request = urllib.request.Request(  # noqa: S310 (the benchmark's own server on 127.0.0.1)
        url, headers={"X-Forwarded-Proto": "https", "Accept-Language": "sv"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.read().decode()
