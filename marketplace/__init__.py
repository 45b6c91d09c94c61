"""The Hulppunt Flask application. ``create_app`` reads like a table of contents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from marketplace.config import load_config
from marketplace.params import MAX_DATABASE_ID
from marketplace.templating import prepare_environment
from marketplace.warm import warm_up

__all__ = ["create_app", "warm_up"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides the environment (tests pass their own)."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    app.config.update(load_config(config))
    prepare_environment(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_security(app)
    register_commands(app)
    register_outbox(app)
    return app


def register_extensions(app: Flask) -> None:
    from marketplace import i18n, transaction
    from marketplace.extensions import (
        csrf,
        db,
        describe_columns_on_demand,
        limiter,
        login_manager,
        migrate,
        ping_idle_connections,
    )

    db.init_app(app)
    ping_idle_connections(app)
    describe_columns_on_demand(app)
    transaction.init_app(app)
    migrate.init_app(
        app, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    # A lazy string: ``str`` renders it in the language of the request that flashes it.
    login_manager.login_message = i18n.LOGIN_MESSAGE  # type: ignore[assignment]

    from marketplace.auth.services import load_user
    from marketplace.notifications.services import watch_writes

    login_manager.user_loader(load_user)
    login_manager.localize_callback = str
    watch_writes()  # the account's loader reads the bell's count with it


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in every route: a positive number that fits the database's integer ids
    (PostgreSQL's ``integer``), in ASCII digits. Anything else is simply not found (404),
    never a driver error."""

    regex = r"[0-9]+"

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_DATABASE_ID)
        super().__init__(map, *args, **kwargs)


def register_blueprints(app: Flask) -> None:
    # Before any route is added: rules bind their converters when they are added.
    app.url_map.converters["int"] = DatabaseIdConverter
    from marketplace.account.views import blueprint as account
    from marketplace.admin.views import blueprint as admin
    from marketplace.agenda.views import blueprint as agenda
    from marketplace.auth.views import blueprint as auth
    from marketplace.carers.views import blueprint as carers
    from marketplace.concerns.views import blueprint as concerns
    from marketplace.conversations.views import blueprint as conversations
    from marketplace.indicators.views import blueprint as indicators
    from marketplace.matches.views import blueprint as matches
    from marketplace.notifications.unsubscribe import blueprint as unsubscribe
    from marketplace.notifications.views import blueprint as notifications
    from marketplace.organisations.views import blueprint as organisations
    from marketplace.pages.views import blueprint as pages
    from marketplace.privacy.views import blueprint as privacy
    from marketplace.referrals.views import blueprint as referrals
    from marketplace.requests.views import blueprint as requests
    from marketplace.rounds.views import blueprint as rounds
    from marketplace.staff.views import blueprint as staff
    from marketplace.tasks.views import blueprint as tasks
    from marketplace.volunteers.views import blueprint as volunteers

    for blueprint in (
        pages, auth, account, requests, volunteers, referrals, staff, admin, rounds, matches,
        concerns, privacy, notifications, unsubscribe, agenda,
        tasks,
        conversations,
        organisations,
        indicators,
    ):
        app.register_blueprint(blueprint)
    app.register_blueprint(carers)
    from marketplace.hsds.views import blueprint as hsds
    from marketplace.socialmap.views import blueprint as socialmap

    app.register_blueprint(socialmap)
    app.register_blueprint(hsds)


def register_errorhandlers(app: Flask) -> None:
    from marketplace import errors

    errors.init_app(app)


def register_template_helpers(app: Flask) -> None:
    from marketplace import templating

    templating.init_app(app)


def register_security(app: Flask) -> None:
    from marketplace import security

    security.init_app(app)


def register_outbox(app: Flask) -> None:
    """The kinds of work that follow a commit, and the code that does each."""
    from marketplace import outbox
    from marketplace.mail import deliver_email
    from marketplace.matches import invitations
    from marketplace.notifications import schedule
    from marketplace.notifications.delivery import deliver_notification
    from marketplace.rounds.jobs import run_round_message

    outbox.init_app(app, {
        "email": outbox.Kind(deliver_email, inline_when_queue_down=True, job_timeout=120),
        "notification": outbox.Kind(
            deliver_notification, inline_when_queue_down=True, job_timeout=120
        ),
        "matching_round": outbox.Kind(
            run_round_message, inline_when_queue_down=False, job_timeout=1800
        ),
        schedule.OUTBOX_KIND: outbox.Kind(
            schedule.run_tick_message, inline_when_queue_down=False, job_timeout=900
        ),
        invitations.OUTBOX_KIND: outbox.Kind(
            invitations.deliver_invitation, inline_when_queue_down=True, job_timeout=120
        ),
    })
    schedule.init_app(app)


def register_commands(app: Flask) -> None:
    from marketplace import cli

    cli.init_app(app)
