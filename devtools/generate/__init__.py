"""Fictional data at national scale, for benchmarks: promises, their structure and activities.

Everything made here is invented: the municipalities and police areas have made-up names
(marked "fiktiv"), and no row holds personal data (no signatories, no users, no names; the
texts come from the fixed catalogue in catalogue.py, which the tests run through the
personal-data guard). A seed makes every run produce the same data.

- `generate_national` creates promises (keyed by slug: an existing one is reused, so the
  structure is idempotent) and then adds activities to them.
- `generate_activities` only adds activities: each run adds `count` more (additive, never
  deduplicated). Generated activities have no external id and no `created_by`.

Both bump the data version (`commitments.cache`), so that cached public pages show the new data.

Rows are written in bulk, without django-simple-history's history rows: generated data has no
author, and a history of a million invented inserts would only double the write. On
PostgreSQL the activities and their values go in with COPY (psycopg 3's `cursor.copy()`),
elsewhere with `bulk_create` in large batches; `docs/benchmarks.md` gives the measured rates.

catalogue.py holds what is written (names, districts, commitments, texts), promises.py makes
the promises and their structure, activities.py the activities.
"""

from .activities import Result, choose_method, generate_activities, generate_national
from .catalogue import DEFAULT_SEED, DEFAULT_YEARS, catalogue_texts, parse_years
from .promises import create_promises

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_YEARS",
    "Result",
    "catalogue_texts",
    "choose_method",
    "create_promises",
    "generate_activities",
    "generate_national",
    "parse_years",
]
