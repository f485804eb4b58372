"""What is promised and what is done: one module per concept, re-exported here."""

from .activity import Activity, ActivityType, ActivityValue, Measure
from .indicator import Indicator, Measurement
from .promise import Commitment, District, Organisation, Promise, Signatory, User
from .version import DataVersion

__all__ = [
    "Activity",
    "ActivityType",
    "ActivityValue",
    "Commitment",
    "DataVersion",
    "District",
    "Indicator",
    "Measure",
    "Measurement",
    "Organisation",
    "Promise",
    "Signatory",
    "User",
]
