"""Add fictional activities to existing promises, in bulk (benchmarks and demos at scale)."""

from django.core.management.base import BaseCommand, CommandError

from commitments.models import Promise
from devtools.generate import DEFAULT_SEED, generate_activities, parse_years


class Command(BaseCommand):
    help = (
        "Add COUNT fictional activities (with measure values) to one promise or spread over "
        "all, dated within each promise's period and the given years. Additive: every run adds "
        "COUNT more. No history rows, no personal data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--promise", metavar="SLUG", help="Only this promise.")
        parser.add_argument("--years", default="2018-2025", help="e.g. 2018-2025 or 2022")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--method", choices=["auto", "copy", "bulk_create"], default="auto")

    def handle(self, *args, count, promise, years, seed, method, **options):
        try:
            years = parse_years(years)
        except ValueError as error:
            raise CommandError(f"--years: {error}") from error
        promises = None
        if promise:
            promises = list(Promise.objects.filter(slug=promise))
            if not promises:
                raise CommandError(f"No promise with the slug {promise!r}.")
        try:
            result = generate_activities(
                count, promises=promises, years=years, seed=seed, method=method
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {result.activities} activities and {result.values} measure values "
                f"in {result.seconds:.1f} s ({result.rows_per_second:,.0f} rows/s, "
                f"{result.method})."
            )
        )
