"""The tertial calendar, as the follow-ups know it.

The pure calendar lives in `commitments/tertials.py` because the staff area of `commitments`
filters activities by tertial and `commitments` may not import `followups`. This module
re-exports it, so that there is still one definition and follow-up code keeps its import.
"""

from commitments.tertials import Tertial, tertials_between

__all__ = ["Tertial", "tertials_between"]
