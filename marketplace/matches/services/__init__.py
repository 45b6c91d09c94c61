"""The matches feature's services (one public surface, split by job).

``conversion`` is the only code that turns ORM rows into ``matching`` inputs and back;
``rounds`` runs and reviews rounds; ``participation`` holds what volunteers and residents do
with a match; ``browsing`` what a volunteer sees.
"""

from marketplace.matches.services.browsing import (
    OpenRequest,
    VolunteerMatches,
    my_matches,
    open_requests_for,
)
from marketplace.matches.services.conversion import RoundInputs, collect_inputs
from marketplace.matches.services.participation import (
    PICK_REFUSALS,
    accept_match,
    confirm_done,
    contact_details_visible,
    decline_match,
    feedback_by,
    is_party,
    leave_feedback,
    matches_for_request,
    pick_request,
    visible_match,
)
from marketplace.matches.services.recurring import end_help, log_session
from marketplace.matches.services.rounds import (
    REASON_LABELS,
    TERM_LABELS,
    approve_matches,
    create_round,
    execute_round,
    fail_round,
    forbid_pair,
    get_match,
    get_round,
    list_neighbourhoods,
    list_rounds,
    lock_match,
    reason_label,
    round_matches,
    run_round,
    unlock_match,
    unmatched_requests,
)

__all__ = [
    "PICK_REFUSALS",
    "REASON_LABELS",
    "TERM_LABELS",
    "OpenRequest",
    "RoundInputs",
    "VolunteerMatches",
    "accept_match",
    "approve_matches",
    "collect_inputs",
    "confirm_done",
    "contact_details_visible",
    "create_round",
    "decline_match",
    "end_help",
    "execute_round",
    "fail_round",
    "feedback_by",
    "forbid_pair",
    "get_match",
    "get_round",
    "is_party",
    "leave_feedback",
    "list_neighbourhoods",
    "list_rounds",
    "log_session",
    "lock_match",
    "matches_for_request",
    "my_matches",
    "open_requests_for",
    "pick_request",
    "reason_label",
    "round_matches",
    "run_round",
    "unlock_match",
    "unmatched_requests",
    "visible_match",
]
