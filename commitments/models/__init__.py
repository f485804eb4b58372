"""What is promised and what is done: one module per concept, re-exported here."""

from .activity import Activity, ActivityValue
from .activity_type import ActivityType, Measure
from .exports import ActivityExport
from .imports import ActivityImport
from .indicator import Indicator
from .invitations import AccountEvent, Invitation
from .measurement import Measurement
from .organisation import Organisation, User
from .promise import Commitment, District, Promise, Signatory
from .summary import PublicSummary, SummaryState

__all__ = [
    "AccountEvent",
    "Activity",
    "ActivityExport",
    "ActivityImport",
    "ActivityType",
    "ActivityValue",
    "Commitment",
    "District",
    "Indicator",
    "Invitation",
    "Measure",
    "Measurement",
    "Organisation",
    "Promise",
    "PublicSummary",
    "Signatory",
    "SummaryState",
    "User",
]
