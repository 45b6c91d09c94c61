"""All models, importable from one place (and seen by Alembic's autogenerate)."""

from marketplace.models.audit import AuditEntry, Concern, ConcernStatus
from marketplace.models.carers import CarerCheck, CarerProfile, RespiteDetails
from marketplace.models.catalogue import Category, Neighbourhood, NeighbourhoodPostcode
from marketplace.models.conversations import (
    ConversationMessage,
    ConversationRead,
    MessageMailSetting,
)
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
    OrganisationReferral,
    ReferralTransition,
)
from marketplace.models.outbox import OutboxMessage, OutboxStatus
from marketplace.models.requests import (
    HelpRequest,
    RequestSource,
    RequestStatus,
    RequestTransition,
    Timing,
)
from marketplace.models.socialmap import (
    Address,
    Contact,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    Suggestion,
    SuggestionStatus,
    Taxonomy,
    TaxonomyTerm,
)
from marketplace.models.tasks import FollowUpTask
from marketplace.models.types import utcnow
from marketplace.models.users import Role, User, UserRole
from marketplace.models.volunteers import VogStatus, VolunteerProfile, volunteer_skills
from marketplace.models.waakvlam import Waakvlam, WaakvlamRhythm

__all__ = [
    "AuditEntry",
    "CarerCheck",
    "CarerProfile",
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
    "OrganisationReferral",
    "OutboxMessage",
    "OutboxStatus",
    "RequestSource",
    "RequestStatus",
    "ReferralTransition",
    "ReportStory",
    "RequestTransition",
    "RespiteDetails",
    "Role",
    "RoundStatus",
    "Timing",
    "User",
    "UserRole",
    "VogStatus",
    "VolunteerProfile",
    "Waakvlam",
    "WaakvlamRhythm",
    "utcnow",
    "volunteer_skills",
    "ConversationMessage",
    "ConversationRead",
    "MessageMailSetting",
    # the sociale kaart (HSDS)
    "Address",
    "Contact",
    "Location",
    "Phone",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceStatus",
    "Suggestion",
    "SuggestionStatus",
    "Taxonomy",
    "TaxonomyTerm",
]
