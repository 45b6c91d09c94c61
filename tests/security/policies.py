"""Who may reach which endpoint: the expectation table of the authorisation matrix.

Each policy maps the nine kinds of user (see ``world.KINDS``) to what they get:

* ``LOGIN``: a redirect to the login page (anonymous users on protected pages);
* a set of status codes, e.g. ``{200}`` or ``DENIED`` (403 or 404: someone else's object
  may be hidden as "not found");
* ``ANY``: allowed, any answer below 500 (used for state-changing POSTs of allowed users,
  whose answer depends on the object's state).

For POST-only endpoints a set containing 200 means "allowed" (the empty form may give 400,
a redirect or a state error); any other set means "refused, and nothing may change".
"""

from __future__ import annotations

from typing import Any

from tests.security.world import KINDS, STAFF

LOGIN = "login"
ANY = "any"
OK = frozenset({200})
DENIED = frozenset({403, 404})
FORBIDDEN = frozenset({403})
Policy = dict[str, Any]


def public() -> Policy:
    return {kind: OK for kind in KINDS}


def everyone(codes: frozenset[int]) -> Policy:
    return {kind: codes for kind in KINDS}


def logged_in() -> Policy:
    return {kind: (LOGIN if kind == "anonymous" else OK) for kind in KINDS}


def roles(*allowed: str, others: Any = FORBIDDEN, staff: Any = None) -> Policy:
    """Only ``allowed`` kinds; staff as ``staff`` when given (else like the others)."""
    result: Policy = {}
    for kind in KINDS:
        if kind == "anonymous":
            result[kind] = LOGIN
        elif kind in allowed:
            result[kind] = OK
        elif kind in STAFF and staff is not None:
            result[kind] = staff
        else:
            result[kind] = others
    return result


def owners(*allowed: str, staff: Any = OK) -> Policy:
    """The owners of the object (and staff); everybody else must not see it exists."""
    return roles(*allowed, others=DENIED, staff=staff)


def guest_pages() -> Policy:
    """Login, register, forgot password: anonymous users; others may be sent on."""
    return {kind: (OK if kind == "anonymous" else frozenset({200, 302})) for kind in KINDS}


def rule_of_thumb(endpoint: str) -> Policy:
    """The default for whole groups of endpoints. Raises ``LookupError`` when none fits."""
    if endpoint.startswith("admin."):
        return roles("admin")
    if endpoint.startswith(("staff.", "rounds.")):
        return roles(*STAFF)
    if endpoint.startswith("concerns.") and endpoint != "concerns.new_concern":
        return roles(*STAFF)
    raise LookupError(endpoint)


THUMB = None  # "use rule_of_thumb"

#: Who maintains sociale-kaart entries: the meldpunt's coordinators and admin (every
#: organisation's) and partner organisations' coordinators (their own).
MAINTAINERS = ("coordinator", "admin", "org_coordinator", "other_org_coordinator")

EXPECTATIONS: dict[str, Policy | None] = {
    # public pages
    "pages.home": public(),
    "pages.privacy": public(),
    "pages.emergency": public(),
    "pages.accessibility": public(),
    "pages.healthz": public(),
    "pages.set_language": everyone(frozenset({302})),
    # accounts
    "auth.login": guest_pages(),
    "auth.register": guest_pages(),
    "auth.forgot_password": guest_pages(),
    "auth.forgot_password_sent": guest_pages(),
    "auth.reset_password": everyone(frozenset({200, 302, 400, 404})),
    "auth.logout": everyone(frozenset({302})),
    "auth.confirm_email": everyone(frozenset({302, 400})),
    "account.overview": logged_in(),
    "account.edit_account": logged_in(),
    "account.resend_confirmation": logged_in(),
    "account.sign_out_everywhere": logged_in(),
    "account.make_calendar_link": logged_in(),
    "account.revoke_calendar_link": logged_in(),
    "privacy.export_data": logged_in(),
    "privacy.delete_account": logged_in(),
    "privacy.audit_log": roles("admin"),
    "volunteers.edit_profile": logged_in(),
    # help requests: the requester, the referrer who filed it, staff (central meldpunt)
    # A referrer follows the requests they filed on /referrals/ (referrals.wording).
    "requests.list_requests": {**logged_in(), "referrer": frozenset({302})},
    "requests.new_request": logged_in(),
    "requests.show_request": owners("resident", "referrer"),
    "requests.edit_request": owners("resident", "referrer"),
    "requests.cancel_request": owners("resident", "referrer"),
    "referrals.list_referrals": roles("referrer", staff=frozenset({200, 403})),
    "referrals.new_referral": roles("referrer", staff=frozenset({200, 403})),
    # matches: the volunteer and the resident of the match; staff see it
    "matches.my_matches": roles(
        "volunteer", "other_volunteer", others=frozenset({200, 403}), staff=frozenset({200, 403})
    ),
    "matches.open_requests": roles("volunteer", "other_volunteer", staff=frozenset({200, 403})),
    "matches.pick_request": roles("volunteer", "other_volunteer", others=DENIED, staff=ANY),
    "matches.show_match": owners("resident", "volunteer"),
    "matches.download_calendar": owners("resident", "volunteer"),
    "matches.accept_match": owners("volunteer", staff=ANY),
    "matches.decline_match": owners("volunteer", staff=ANY),
    "matches.confirm_done": owners("resident", "volunteer", staff=ANY),
    "matches.leave_feedback": owners("resident", "volunteer", staff=ANY),
    "matches.log_session": owners("resident", "volunteer", staff=ANY),
    "matches.end_help": owners("resident", "volunteer", staff=ANY),
    # Calling accepted help off: the two sides and staff; the world's match is only proposed,
    # so they are sent back to the match page (303) instead of the confirmation page.
    "matches.cancel_match": {**owners("resident", "volunteer"),
                             **{kind: frozenset({200, 303})
                                for kind in ("resident", "volunteer", *STAFF)}},
    "rounds.lock_match": roles(*STAFF),
    "rounds.forbid_match": roles(*STAFF),
    "rounds.list_rounds": THUMB,
    "rounds.show_round": THUMB,
    "rounds.start_round": THUMB,
    # a region's round over the whole area: administrators and coordinators without a
    # neighbourhood of their own (the world's coordinator has one)
    "rounds.start_region_round": roles("admin"),
    "rounds.approve_round": THUMB,
    "rounds.rerun_round": THUMB,
    # notifications: one's own; the "to phone" list's action is for staff
    "notifications.list_notifications": logged_in(),
    "notifications.mark_all_read": logged_in(),
    "notifications.edit_preferences": logged_in(),
    "notifications.mark_read": roles("resident", others=DENIED),
    "notifications.mark_phoned": roles(*STAFF),
    # the digest's one-click unsubscribe: no login, the signed token decides (the world's
    # token is not valid: nobody's choice changes)
    "unsubscribe.confirm": everyone(frozenset({404})),
    "unsubscribe.unsubscribe": everyone(frozenset({404})),
    # the private calendar feed: no login, the secret link decides (the world's is unknown)
    "agenda.feed": everyone(frozenset({404})),
    # concerns: everybody logged in may raise one; the queue is for staff
    "concerns.new_concern": logged_in(),
    "concerns.list_concerns": THUMB,
    "concerns.view_concern": THUMB,
    "concerns.handle_concern": THUMB,
    # aftercare: the two sides report help as not given; tasks and waakvlam are for staff
    "matches.report_not_given": owners("resident", "volunteer", staff=ANY),
    "tasks.list_all": roles(*STAFF),
    "tasks.show": roles(*STAFF),
    "tasks.close": roles(*STAFF),
    "tasks.start_waakvlam": roles(*STAFF),
    "tasks.stop_waakvlam": roles(*STAFF),
    # conversations: the world's match is only proposed, so nobody reads or writes in it yet
    # (not even its two sides or staff); tests/conversations covers an accepted match.
    "conversations.show_conversation": roles(others=frozenset({404})),
    "conversations.post_message": roles(others=frozenset({404})),
    # informal carers: the self-check is public; the check's answers are the carer's (the
    # world's resident) and the coordinators' of their neighbourhood (not Oost's: 404)
    "carers.self_check": public(),
    "carers.overview": logged_in(),
    "carers.edit_profile": logged_in(),
    "carers.take_check": {**logged_in(), **{kind: frozenset({200, 303})
                                           for kind in KINDS if kind != "anonymous"}},
    "carers.ask_respite": {**logged_in(), **{kind: frozenset({200, 303})
                                            for kind in KINDS if kind != "anonymous"}},
    "carers.show_check": roles("resident", others=DENIED),
    "carers.register_carer": roles("referrer", *STAFF),
    "carers.show_carer": {**roles(), "coordinator": frozenset({404})},
    # partner organisations: the admin keeps them; staff route a request to one; only the
    # coordinator of the organisation it went to sees and answers it (another organisation's
    # coordinator is told it does not exist)
    "organisations.list_organisations": roles("admin"),
    "organisations.new_organisation": roles("admin"),
    "organisations.edit_organisation": roles("admin"),
    "organisations.add_member": roles("admin"),
    "organisations.remove_member": roles("admin"),
    "organisations.route_request": roles(*STAFF),
    "organisations.my_referrals": roles("org_coordinator", "other_org_coordinator"),
    "organisations.show_referral": {**roles("org_coordinator"), "other_org_coordinator": DENIED},
    "organisations.assign_volunteer": {**roles("org_coordinator"),
                                       "other_org_coordinator": DENIED},
    "organisations.return_referral": {**roles("org_coordinator"),
                                      "other_org_coordinator": DENIED},
    # the sociale kaart: public; its maintenance for organisations' coordinators and the
    # admin (the world's service and suggestion do not exist: they get 404)
    "socialmap.directory": public(),
    "socialmap.show_service": everyone(frozenset({404})),
    "socialmap.suggest_correction": everyone(frozenset({404})),
    "socialmap.maintain": roles(*MAINTAINERS),
    "socialmap.new_service": roles(*MAINTAINERS),
    **{f"socialmap.{name}": {**roles(*MAINTAINERS), **dict.fromkeys(MAINTAINERS, frozenset({404}))}
       for name in (
        "edit_service", "edit_location", "add_hours", "remove_hours", "mark_checked",
        "approve_suggestion", "reject_suggestion", "set_status", "add_contact",
        "edit_contact", "remove_contact", "add_phone", "edit_phone", "remove_phone")},
    # the read-only HSDS API: open to everybody
    **{f"hsds.{name}": public() for name in (
        "index", "openapi", "list_services", "list_organizations",
        "list_service_at_locations", "list_taxonomies", "list_taxonomy_terms")},
    **{f"hsds.{name}": everyone(frozenset({404})) for name in (
        "show_service", "show_organization", "show_service_at_location", "show_taxonomy",
        "show_taxonomy_term")},
    # indicators: coordinators, admins and the municipality read them; staff choose stories
    "indicators.dashboard": roles(*STAFF, "municipality"),
    "indicators.export_csv": roles(*STAFF, "municipality"),
    "indicators.export_xlsx": roles(*STAFF, "municipality"),
    "indicators.report": roles(*STAFF, "municipality"),
    "indicators.report_pdf": roles(*STAFF, "municipality"),
    "indicators.list_stories": roles(*STAFF),
    "indicators.choose_story": roles(*STAFF),
}


def expectation(endpoint: str) -> Policy:
    """The policy of ``endpoint``; raises ``KeyError`` when the table does not list it."""
    if endpoint not in EXPECTATIONS:
        if endpoint.startswith(("staff.", "admin.")):
            return rule_of_thumb(endpoint)
        raise KeyError(endpoint)
    policy = EXPECTATIONS[endpoint]
    return rule_of_thumb(endpoint) if policy is None else policy
