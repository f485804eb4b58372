"""The tertial calendar, re-exported from `commitments.tertials` where it lives.

The public figures in `commitments` bucket dates by tertial too, and `commitments` may not
import `followups`; this module keeps the follow-up code's import path.
"""

from commitments.tertials import *  # noqa: F403
from commitments.tertials import __all__  # noqa: F401
