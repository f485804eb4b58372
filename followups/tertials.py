"""The tertial calendar, re-exported from `commitments.tertials` where it lives.

The public figures and the staff area in `commitments` bucket and filter dates by tertial, and
`commitments` may not import `followups`; this module keeps the follow-up code's import path,
so there is still one definition.
"""

from commitments.tertials import (
    Cadence,
    Tertial,
    final_tertial,
    reported_tertials,
    tertial_number,
    tertials_between,
)

__all__ = [
    "Cadence",
    "Tertial",
    "final_tertial",
    "reported_tertials",
    "tertial_number",
    "tertials_between",
]
