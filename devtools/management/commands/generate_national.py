"""Create fictional promises across the country and fill them with activities (benchmarks)."""

from django.core.management.base import BaseCommand, CommandError

from devtools.generate import DEFAULT_SEED, generate_national, parse_years


class Command(BaseCommand):
    help = (
        "Create PROMISES fictional promises (made-up municipalities and police areas, one "
        "promise a year each, with districts, commitments, activity types, measures and "
        "indicators; existing ones are reused by slug) and add ACTIVITIES activities to them "
        "(additive). No history rows, no personal data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--promises", type=int, default=300)
        parser.add_argument("--activities", type=int, default=1_000_000)
        parser.add_argument("--years", default="2018-2025", help="e.g. 2018-2025")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--method", choices=["auto", "copy", "bulk_create"], default="auto")

    def handle(self, *args, promises, activities, years, seed, method, **options):
        try:
            years = parse_years(years)
            made, result = generate_national(
                promises, activities, years=years, seed=seed, method=method
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(made)} promises; added {result.activities} activities and "
                f"{result.values} measure values in {result.seconds:.1f} s "
                f"({result.rows_per_second:,.0f} rows/s, {result.method})."
            )
        )
