"""Views of the volunteers feature: one's own volunteer profile."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.errors import FieldError
from marketplace.extensions import db
from marketplace.models import VogStatus
from marketplace.volunteers.forms import VolunteerProfileForm, initial_data
from marketplace.volunteers.services import save_profile

blueprint = Blueprint("volunteers", __name__, url_prefix="/volunteers")


@blueprint.route("/profile", methods=["GET", "POST"])
@login_required
def edit_profile():  # type: ignore[no-untyped-def]
    """Create or change one's own volunteer profile (reciprocity: any account may help)."""
    profile = current_user.volunteer_profile
    form = VolunteerProfileForm(data=initial_data(current_user, profile))
    if form.validate_on_submit():
        try:
            saved = save_profile(current_user, form.to_data())
        except FieldError as error:
            form[error.field].errors = [*form[error.field].errors, error.message]
        else:
            db.session.commit()
            flash(_("Uw vrijwilligersprofiel is opgeslagen. Dank u wel!"), "success")
            if form.vog_status.data == VogStatus.VALID and saved.vog_status == VogStatus.EXPIRED:
                flash(_("Uw VOG is ouder dan 3 jaar en telt daarom als verlopen. "
                        "Het meldpunt helpt u een nieuwe aan te vragen."), "info")
            return redirect(url_for("account.overview"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "volunteers/profile.html", form=form, profile=profile, new=profile is None
    ), status
