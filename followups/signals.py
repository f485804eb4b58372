"""What the follow-up workflow tells apps built on it (subscriptions), without knowing them.

Sent explicitly by the transition, never from save(): `followup_published` once a follow-up's
publication (a first version or a correction) has committed, with `followup_pk`.
"""

from django.dispatch import Signal

followup_published = Signal()
