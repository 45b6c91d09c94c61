"""Views of the volunteers feature: one's own volunteer profile."""

from __future__ import annotations

from flask import Blueprint, flash, render_template, request, url_for
from flask_login import current_user, login_required

from marketplace.i18n import gettext as _
from marketplace.transaction import submit
from marketplace.volunteers.forms import VolunteerProfileForm, initial_data
from marketplace.volunteers.services import expired_vog_notice, save_profile

blueprint = Blueprint("volunteers", __name__, url_prefix="/volunteers")


@blueprint.route("/profile", methods=["GET", "POST"])
@login_required
def edit_profile():  # type: ignore[no-untyped-def]
    """Create or change one's own volunteer profile (reciprocity: any account may help)."""
    profile = current_user.volunteer_profile
    form = VolunteerProfileForm(data=initial_data(current_user, profile))
    if form.validate_on_submit() and (saved := submit(
        lambda: save_profile(current_user, form.to_data()), form,
        done=_("Uw vrijwilligersprofiel is opgeslagen. Dank u wel!"),
        to=url_for("account.overview"),
    )):
        notice = expired_vog_notice(form.vog_status.data, current_user.volunteer_profile)
        if notice:
            flash(notice, "info")
        return saved
    status = 400 if request.method == "POST" else 200
    return render_template(
        "volunteers/profile.html", form=form, profile=profile, new=profile is None
    ), status
