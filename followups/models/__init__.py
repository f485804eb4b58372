"""Tertial follow-ups of a promise, their assessments per commitment, and their approvals.

The workflow draft → in review → approved → published lives in FollowUp's transition methods
(submit, approve, return_to_draft, record_edit, publish, correct); they check state and user,
write a FollowUpEvent, and are the only way a follow-up changes state. One module per concept,
re-exported here:

- followup.py: FollowUp, its QuerySet, and a promise's tertial calendar (`calendar`);
- workflow.py: FollowUp's transitions and who may make them (FollowUpWorkflow);
- parts.py: what a follow-up holds, CommitmentAssessment, Approval and FollowUpEvent;
- reminders.py: SentReminder, the reminders already sent;
- unreported.py: UnreportedTertial, a due tertial the coordinators say will not be reported.
"""

from .followup import CalendarRow, FollowUp, FollowUpQuerySet, calendar
from .parts import Approval, CommitmentAssessment, FollowUpEvent, FollowUpPartQuerySet
from .reminders import SentReminder
from .unreported import UnreportedTertial

__all__ = [
    "Approval",
    "CalendarRow",
    "CommitmentAssessment",
    "FollowUp",
    "FollowUpEvent",
    "FollowUpPartQuerySet",
    "FollowUpQuerySet",
    "SentReminder",
    "UnreportedTertial",
    "calendar",
]
