"""All models, importable from one place (and seen by Alembic's autogenerate)."""

from marketplace.models.audit import AuditEntry, Concern, ConcernStatus
from marketplace.models.catalogue import Category, Neighbourhood, NeighbourhoodPostcode
from marketplace.models.indicators import ReportStory
from marketplace.models.matches import (
    Feedback,
    ForbiddenPair,
    HelpSession,
    Match,
    MatchingRound,
    MatchStatus,
    MatchTransition,
    RoundStatus,
)
from marketplace.models.notifications import (
    Notification,
    NotificationMail,
    NotificationPreference,
)
from marketplace.models.organisations import (
    MemberRole,
    Organisation,
    OrganisationMember,
)
from marketplace.models.outbox import OutboxMessage, OutboxStatus
from marketplace.models.requests import (
    HelpRequest,
    RequestSource,
    RequestStatus,
    RequestTransition,
    Timing,
)
from marketplace.models.tasks import FollowUpTask
from marketplace.models.types import utcnow
from marketplace.models.users import Role, User, UserRole
from marketplace.models.volunteers import VogStatus, VolunteerProfile, volunteer_skills

__all__ = [
    "AuditEntry",
    "Category",
    "Concern",
    "ConcernStatus",
    "Feedback",
    "FollowUpTask",
    "ForbiddenPair",
    "HelpRequest",
    "HelpSession",
    "Match",
    "MatchStatus",
    "MatchTransition",
    "MatchingRound",
    "MemberRole",
    "Neighbourhood",
    "NeighbourhoodPostcode",
    "Notification",
    "NotificationMail",
    "NotificationPreference",
    "Organisation",
    "OrganisationMember",
    "OutboxMessage",
    "OutboxStatus",
    "RequestSource",
    "RequestStatus",
    "ReportStory",
    "RequestTransition",
    "Role",
    "RoundStatus",
    "Timing",
    "User",
    "UserRole",
    "VogStatus",
    "VolunteerProfile",
    "utcnow",
    "volunteer_skills",
]
