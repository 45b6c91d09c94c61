"""The words of each kind of notification, for the list, the e-mail and the phone list.

:func:`describe` gives a :class:`Words` in the active language (the e-mail forces the
recipient's). Each kind has one function in :data:`DESCRIBERS`; a kind without one is told
by its label. Texts read the request and match as they are now where they still exist and
fall back on ``params`` (the title at the time) when they were deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import render_template

from marketplace import access
from marketplace.i18n import format_day, ngettext
from marketplace.i18n import gettext as _
from marketplace.models import Notification, User
from marketplace.templating import category_name, decimal1
from marketplace.vocabulary import NotificationKind

K = NotificationKind


@dataclass(frozen=True)
class Words:
    """What a notification says: a subject (the e-mail's, and the title in the list), a few
    short paragraphs, and where to go next."""

    subject: str
    lines: tuple[str, ...] = ()
    #: (endpoint, values) of the page to open, or None.
    target: tuple[str, dict[str, Any]] | None = None
    link_text: str = ""
    details: tuple[tuple[str, str], ...] = field(default=())


def _title(notification: Notification) -> str:
    if notification.help_request is not None:
        return notification.help_request.title
    return str(notification.params.get("title", ""))


def _note(notification: Notification, label: str) -> tuple[str, ...]:
    note = str(notification.params.get("note") or "").strip()
    return (f"{label} {note}",) if note else ()


def _request_page(notification: Notification) -> tuple[str, dict[str, Any]] | None:
    if notification.help_request_id is None:
        return None
    return "requests.show_request", {"request_id": notification.help_request_id}


def _match_page(notification: Notification) -> tuple[str, dict[str, Any]] | None:
    if notification.match_id is None:
        return _request_page(notification)
    return "matches.show_match", {"match_id": notification.match_id}


def _proposal_new(notification: Notification) -> Words:
    details: list[tuple[str, str]] = []
    match = notification.match
    if match is not None:
        help_request = match.help_request
        details = [
            (_("Soort hulp:"), category_name(help_request.category)),
            (_("Wanneer:"), render_template("requests/_when.html",
                                            help_request=help_request).strip()),
            (_("Afstand:"), f"{decimal1(match.distance_km)} km"),
        ]
    return Words(
        _("Nieuw hulpvoorstel voor u"),
        (_("Het Hulppunt vraagt of u iemand wilt helpen: %(title)s.", title=_title(notification)),
         _("Wilt u ja of nee zeggen?")),
        _match_page(notification), _("Voorstel bekijken en antwoorden"), tuple(details),
    )


def _match_accepted(notification: Notification) -> Words:
    title = _title(notification)
    if notification.params.get("for_referrer"):
        return Words(
            _("Er is een vrijwilliger voor een aanvraag die u doorgaf"),
            (_('Een vrijwilliger gaat helpen bij "%(title)s".', title=title),),
            _request_page(notification), _("Aanvraag bekijken"),
        )
    return Words(
        _("Er is een vrijwilliger voor uw aanvraag"),
        (_('Goed nieuws: een vrijwilliger gaat u helpen met "%(title)s".', title=title),
         _("U ziet de naam en de contactgegevens van de vrijwilliger op de website.")),
        _match_page(notification), _("Wie helpt mij?"),
    )


def _match_declined(notification: Notification) -> Words:
    title = _title(notification)
    if notification.params.get("for_referrer"):
        lines: tuple[str, ...] = (
            _('De vrijwilliger die wij vroegen voor "%(title)s" kan niet. Wij zoeken een '
              "ander.", title=title),
        )
    else:
        lines = (
            _('De vrijwilliger die wij vroegen voor "%(title)s" kan helaas niet.', title=title),
            _("Wij zoeken een andere vrijwilliger. U hoeft niets te doen."),
        )
    return Words(_("De vrijwilliger kan niet helpen"), lines, _request_page(notification),
                 _("Aanvraag bekijken"))


def _request_info_needed(notification: Notification) -> Words:
    return Words(
        _("Het Hulppunt heeft een vraag over uw aanvraag"),
        (_('Wij hebben meer informatie nodig over "%(title)s".', title=_title(notification)),
         *_note(notification, _("Onze vraag:")),
         _("Vul uw aanvraag aan op de website, of bel het Hulppunt.")),
        _request_page(notification), _("Aanvraag aanvullen"),
    )


def _request_approved(notification: Notification) -> Words:
    return Words(
        _("Uw aanvraag is goedgekeurd"),
        (_('Wij zoeken nu een vrijwilliger voor "%(title)s".', title=_title(notification)),
         _("U hoort het van ons als er iemand is.")),
        _request_page(notification), _("Aanvraag bekijken"),
    )


def _request_rejected(notification: Notification) -> Words:
    return Words(
        _("Wij kunnen u niet helpen met uw aanvraag"),
        (_('Wij kunnen helaas niet helpen met "%(title)s".', title=_title(notification)),
         *_note(notification, _("De reden:")),
         _("Heeft u vragen? Bel het Hulppunt.")),
        _request_page(notification), _("Aanvraag bekijken"),
    )


def _request_escalated(notification: Notification) -> Words:
    return Words(
        _("Uw aanvraag is doorgestuurd naar het Sociaal Plein"),
        (_('Uw aanvraag "%(title)s" past beter bij het Sociaal Plein.',
           title=_title(notification)),
         *_note(notification, _("Bericht van het meldpunt:")),
         _("Een medewerker van het Sociaal Plein neemt contact met u op.")),
        _request_page(notification), _("Aanvraag bekijken"),
    )


def _request_withdrawn(notification: Notification) -> Words:
    if notification.params.get("helping"):
        first = _("U helpt bij de aanvraag hieronder. Die aanvraag is ingetrokken. Uw hulp is "
                  "daarom niet meer nodig.")
    else:
        first = _("Wij vroegen of u wilde helpen bij de aanvraag hieronder. Die aanvraag is "
                  "ingetrokken. U hoeft niets meer te doen.")
    return Words(
        _("Hulp niet meer nodig: %(title)s", title=_title(notification)),
        (first, _("Bedankt dat u wilde helpen.")),
        ("matches.my_matches", {}), _("Mijn hulp bekijken"),
        ((_("Aanvraag:"), _title(notification)),),
    )


# --- the time-driven kinds (marketplace/notifications/schedule.py, matches.services) ------


def _is_volunteer(notification: Notification) -> bool:
    match = notification.match
    return match is not None and match.volunteer_id == notification.recipient_id


def _appointment_reminder(notification: Notification) -> Words:
    title = _title(notification)
    raw_day = str(notification.params.get("day") or "")
    day = format_day(date.fromisoformat(raw_day), "full") if raw_day else ""
    if _is_volunteer(notification):
        lines = (_('Morgen, %(day)s, helpt u bij "%(title)s".', day=day, title=title),
                 _("Kunt u toch niet? Zeg dan zo snel mogelijk af op de website. Dan zoeken "
                   "wij iemand anders."))
    else:
        lines = (_('Morgen, %(day)s, komt uw vrijwilliger helpen met "%(title)s".', day=day,
                   title=title),
                 _("Gaat het toch niet door? Zeg dan af op de website of bel het Hulppunt."))
    return Words(_("Herinnering: morgen uw afspraak"), lines, _match_page(notification),
                 _("Afspraak bekijken"))


def _match_cancelled(notification: Notification) -> Words:
    title = _title(notification)
    params = notification.params
    by_volunteer = params.get("by") == "volunteer"
    if notification.recipient.is_staff:
        return _cancelled_for_coordinator(notification, title, by_volunteer)
    if by_volunteer:
        return Words(
            _("Uw vrijwilliger heeft afgezegd"),
            (_('De vrijwilliger kan helaas niet helpen met "%(title)s".', title=title),
             _("Wij zoeken een andere vrijwilliger. U hoeft niets te doen.")),
            _request_page(notification), _("Aanvraag bekijken"),
        )
    if not _is_volunteer(notification):  # someone at the desk or a referrer called it off
        return Words(
            _("De afspraak is afgezegd"),
            (_('De hulp bij "%(title)s" is voor u afgezegd.', title=title),
             _("Heeft u vragen? Bel het Hulppunt.")),
            _request_page(notification), _("Aanvraag bekijken"),
        )
    return Words(
        _("De afspraak is afgezegd"),
        (_('De hulp bij "%(title)s" gaat niet door: de bewoner heeft afgezegd.', title=title),
         _("U hoeft niets te doen. Dank u wel dat u wilde helpen.")),
        ("matches.my_matches", {}), _("Mijn hulp bekijken"),
    )


def _cancelled_for_coordinator(notification: Notification, title: str,
                               by_volunteer: bool) -> Words:
    if by_volunteer:
        first = _('De vrijwilliger heeft de hulp bij "%(title)s" afgezegd.', title=title)
    else:
        first = _('De hulp bij "%(title)s" is afgezegd voor de bewoner.', title=title)
    lines = [first, *_note_of(notification, "reason", _("Reden:"))]
    if notification.params.get("urgent"):
        subject = _("Dringend: vandaag afgezegd: %(title)s", title=title)
        lines.append(_("De hulp was vandaag. Zoek snel iemand anders, of bel de bewoner."))
    else:
        subject = _("Afgezegd: %(title)s", title=title)
        lines.append(_("De aanvraag staat weer open."))
    target: tuple[str, dict[str, Any]] | None = None
    if notification.help_request_id is not None:
        target = ("staff.show_request", {"request_id": notification.help_request_id})
    return Words(subject, tuple(lines), target, _("Aanvraag bekijken"))


def _note_of(notification: Notification, key: str, label: str) -> tuple[str, ...]:
    note = str(notification.params.get(key) or "").strip()
    return (f"{label} {note}",) if note else ()


def _proposal_expired(notification: Notification) -> Words:
    return Words(
        _("Voorstel verlopen"),
        (_('U heeft niet op tijd geantwoord op de vraag of u wilt helpen bij "%(title)s". '
           "Het voorstel is verlopen. Wij vragen iemand anders; u hoeft niets te doen.",
           title=_title(notification)),),
        ("matches.my_matches", {}), _("Mijn hulp bekijken"),
    )


def _digest(notification: Notification) -> Words:
    count = int(notification.params.get("requests") or 0)
    lines = (ngettext("%(num)s open aanvraag bij u in de buurt",
                      "%(num)s open aanvragen bij u in de buurt", count),) if count else ()
    target: tuple[str, dict[str, Any]] | None = None
    if notification.recipient.volunteer_profile is not None:
        target = ("matches.open_requests", {})
    return Words(_("Uw wekelijkse overzicht"), lines, target, _("Open aanvragen bekijken"))


def _referral_new(notification: Notification) -> Words:
    organisation = str(notification.params.get("organisation", ""))
    referral_id = notification.params.get("referral_id")
    target = (("organisations.show_referral", {"referral_id": referral_id})
              if referral_id else ("organisations.my_referrals", {}))
    return Words(
        _("Nieuwe aanvraag voor %(organisation)s", organisation=organisation),
        (_('Het meldpunt vraagt of %(organisation)s kan helpen bij "%(title)s". Kies een '
           "vrijwilliger van uw organisatie of geef de aanvraag terug.",
           organisation=organisation, title=_title(notification)),),
        target, _("Aanvraag bekijken"),
    )


def _referral_returned(notification: Notification) -> Words:
    organisation = str(notification.params.get("organisation", ""))
    if notification.params.get("timed_out"):
        line = _('%(organisation)s heeft niet op tijd geantwoord over "%(title)s". De aanvraag '
                 "staat weer open bij het meldpunt.",
                 organisation=organisation, title=_title(notification))
    else:
        line = _('%(organisation)s geeft "%(title)s" terug. De aanvraag staat weer open bij het '
                 "meldpunt.", organisation=organisation, title=_title(notification))
    return Words(
        _("Aanvraag terug van %(organisation)s", organisation=organisation),
        (line, *_note_of(notification, "reason", _("Reden:"))),
        ("staff.show_request", {"request_id": notification.help_request_id})
        if notification.help_request_id else None, _("Aanvraag bekijken"),
    )


def _social_map_stale(notification: Notification) -> Words:
    name = str(notification.params.get("service") or "")
    return Words(
        _('Kijk "%(name)s" op de sociale kaart na', name=name),
        (_('De gegevens van "%(name)s" zijn lang niet gecontroleerd. Kloppen ze nog? '
           "Pas ze aan of zet een vinkje bij gecontroleerd.", name=name),),
        ("socialmap.maintain", {}), _("Naar mijn gegevens op de sociale kaart"),
    )


DESCRIBERS: dict[NotificationKind, Callable[[Notification], Words]] = {
    K.PROPOSAL_NEW: _proposal_new,
    K.MATCH_ACCEPTED: _match_accepted,
    K.MATCH_DECLINED: _match_declined,
    K.REQUEST_INFO_NEEDED: _request_info_needed,
    K.REQUEST_APPROVED: _request_approved,
    K.REQUEST_REJECTED: _request_rejected,
    K.REQUEST_ESCALATED: _request_escalated,
    K.REQUEST_WITHDRAWN: _request_withdrawn,
    K.APPOINTMENT_REMINDER: _appointment_reminder,
    K.MATCH_CANCELLED: _match_cancelled,
    K.PROPOSAL_EXPIRED: _proposal_expired,
    K.DIGEST: _digest,
    K.REFERRAL_NEW: _referral_new,
    K.REFERRAL_RETURNED: _referral_returned,
    K.SOCIAL_MAP_STALE: _social_map_stale,
}


def describe(notification: Notification) -> Words:
    """The words of ``notification`` in the active language."""
    describer = DESCRIBERS.get(notification.kind)
    if describer is None:
        title = _title(notification)
        lines = (title,) if title else ()
        return Words(notification.kind.label, lines, _match_page(notification),
                     _("Bekijken"))
    return describer(notification)


def visible_target(
    notification: Notification, viewer: User, words: Words
) -> tuple[str, dict[str, Any]] | None:
    """Where ``viewer`` may follow the notification: its target when they may see that page
    now (a request they manage, a match they may view), else None."""
    if words.target is None:
        return None
    endpoint, values = words.target
    if endpoint == "conversations.show_conversation":
        match = notification.match
        readable = match is not None and access.can_read_conversation(viewer, match)
        return words.target if readable else None
    if "match_id" in values:
        match = notification.match
        return words.target if match is not None and access.can_view_match(viewer, match) else None
    if "request_id" in values:
        help_request = notification.help_request
        allowed = help_request is not None and access.can_manage_request(viewer, help_request)
        return words.target if allowed else None
    return endpoint, values


# --- conversations (marketplace/conversations) ---------------------------------------------


def _message_new(notification: Notification) -> Words:
    from marketplace.extensions import db
    from marketplace.models import ConversationMessage, MessageMailSetting

    message = db.session.get(ConversationMessage, int(notification.params.get("message_id") or 0))
    author = message.author.name if message is not None and message.author else ""
    lines = [_('%(name)s stuurde u een bericht over "%(title)s".', name=author or _("Iemand"),
               title=_title(notification))]
    setting = db.session.get(MessageMailSetting, notification.recipient_id)
    if message is not None and message.body and setting is not None and setting.include_text:
        lines += [_("Het bericht:"), message.body]
    else:
        lines.append(_("U leest het bericht op de website."))
    target = None
    if notification.match_id is not None:
        target = ("conversations.show_conversation", {"match_id": notification.match_id})
    return Words(_("Nieuw bericht over uw hulp"), tuple(lines), target, _("Bericht lezen"))


DESCRIBERS[K.MESSAGE_NEW] = _message_new


def _referral_status(notification: Notification) -> Words:
    from marketplace.referrals.steps import STEP_TEXT, WITHDRAWN

    step = str(notification.params.get("step") or "")
    lines = [_('Nieuws over "%(title)s", die u doorgaf:', title=_title(notification))]
    if step in STEP_TEXT:
        lines.append(str(STEP_TEXT[step]))
    reason = str(notification.params.get("reason") or "").strip()
    if notification.params.get("withdrawn"):
        lines.append(str(WITHDRAWN))
    elif reason:
        lines.append(_("De reden: %(reason)s", reason=reason))
    return Words(_("Nieuws over een aanvraag die u doorgaf"), tuple(lines),
                 ("referrals.list_referrals", {}), _("Mijn verwijzingen bekijken"))


DESCRIBERS[K.REFERRAL_STATUS] = _referral_status
