"""The fixes behind valid pages, at their source (the crawl validates every page as a whole:
``tests/test_site_crawl.py``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from flask import Flask, render_template_string
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from marketplace.templating import datetime_attribute


def test_datetime_attributes_stop_at_the_second() -> None:
    moment = datetime(2026, 11, 30, 13, 5, 7, 123456, tzinfo=UTC)
    assert datetime_attribute(moment) == "2026-11-30T13:05:07+00:00"
    summer = moment.astimezone(timezone(timedelta(hours=2)))
    assert datetime_attribute(summer) == "2026-11-30T15:05:07+02:00"
    assert datetime_attribute(moment.replace(tzinfo=None)) == "2026-11-30T13:05:07+00:00"
    assert datetime_attribute(date(2026, 11, 30)) == "2026-11-30"
    assert datetime_attribute(None) == ""


class _Form(FlaskForm):
    kind = SelectField("Soort", choices=[SelectChoice("1", "Boodschappen"),
                                         SelectChoice("2", "Tuin")],
                       validators=[DataRequired()])
    chosen = SelectField("Keuze", choices=[SelectChoice("", "Kies"), SelectChoice("1", "Een")],
                         validators=[DataRequired()])


FIELDS = '{% import "_macros/forms.html" as forms %}{{ forms.field(form.kind) }}' \
         '{{ forms.field(form.chosen) }}'


def test_a_select_that_always_has_a_value_says_required_without_the_attribute(
    app: Flask,
) -> None:
    with app.test_request_context():
        html = render_template_string(FIELDS, form=_Form(meta={"csrf": False}))
    kind = html[html.index('<select', html.index('for="kind"')):]
    kind = kind[:kind.index(">")]
    assert 'aria-required="true"' in kind
    assert " required" not in kind
    chosen = html[html.index('<select', html.index('for="chosen"')):]
    assert " required" in chosen[:chosen.index(">")]  # an empty first option: required is valid
