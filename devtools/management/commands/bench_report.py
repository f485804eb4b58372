"""Benchmark the tertial report: rendering without charts, and serving a stored report."""

import io
import os
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from followups.models import FollowUp
from followups.reports import render_pdf


def _median_ms(function, runs):
    """Median wall time and median CPU time of this process, in ms.

    Both, because on a shared machine the wall time also measures the neighbours' load.
    """
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


class Command(BaseCommand):
    help = (
        "Measure rendering a follow-up's PDF without charts (target: a 10-page report in at "
        "most 1 s) and serving a published, stored report (target: at most 50 ms). Run after "
        "seed_demo; not a test, the figures go into docs/benchmarks.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=10)

    def handle(self, *args, runs, **options):
        from pypdf import PdfReader

        followup = FollowUp.objects.order_by("-year", "-tertial").first()
        stored = FollowUp.objects.public().exclude(pdf="").first()
        if followup is None or stored is None:
            raise CommandError("No follow-up with a stored report: run seed_demo first.")
        pdf = render_pdf(followup, with_charts=False)  # warm: imports, fonts, templates
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        render_wall, render_cpu = _median_ms(lambda: render_pdf(followup, with_charts=False), runs)
        client = Client(HTTP_HOST="127.0.0.1")
        url = stored.get_pdf_url()

        def serve():
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            b"".join(response.streaming_content)

        serve()
        serve_wall, serve_cpu = _median_ms(serve, runs * 5)
        load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
        self.stdout.write(f"{os.cpu_count()} CPUs, load average {load}")
        self.stdout.write(
            f"Render {followup} ({pages} pages, no charts): median {render_wall:.0f} ms wall, "
            f"{render_cpu:.0f} ms CPU, over {runs} runs"
        )
        self.stdout.write(
            f"Serve {url} ({stored.pdf.size} bytes): median {serve_wall:.1f} ms wall, "
            f"{serve_cpu:.1f} ms CPU, over {runs * 5} requests"
        )
