"""Login, logout and who is signed in (Flask-Login over server-side sessions)."""
from __future__ import annotations

from functools import wraps
from typing import Optional
from urllib.parse import urlsplit

from flask import (Blueprint, Flask, abort, flash, g, redirect, render_template, request, session,
                   url_for)
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy import select

from bot.review import accounts, audit
from bot.store.models import Nurse

blueprint = Blueprint("auth", __name__)


class SignedIn(UserMixin):
    """The signed-in nurse. Flask-Login keeps get_id() in the cookie: here that
    is the session token, so a copied cookie dies with the server-side row."""

    def __init__(self, nurse: Nurse, token: str):
        self.name, self.role, self.token = nurse.name, nurse.role, token

    def get_id(self) -> str:
        return self.token

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"


def init(app: Flask) -> None:
    manager = LoginManager(app)
    manager.login_view = "auth.login"
    manager.session_protection = "basic"

    @manager.user_loader
    def load(token: str) -> Optional[SignedIn]:
        nurse = accounts.nurse_for_token(g.db, token)
        if nurse is None:
            g.db.commit()  # keep the deletion of an expired session
            return None
        return SignedIn(nurse, token)

    @manager.unauthorized_handler
    def unauthorized():
        if session.get("_user_id"):
            session.clear()
            flash("Your session has ended (signed out, or 15 minutes without activity). "
                  "Please sign in again.")
        return redirect(url_for("auth.login", next=_local_path(request.full_path)))

    app.register_blueprint(blueprint)


def supervisor_only(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_supervisor:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def _local_path(target: Optional[str]) -> Optional[str]:
    """Only same-site paths may be redirected to after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target.rstrip("?") or None


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("views.queue"))
    if request.method == "GET":
        return render_template("login.html")
    name = (request.form.get("name") or "").strip()[:80]
    result = accounts.authenticate(g.db, name, request.form.get("password") or "")
    if result.nurse is None:
        audit.record(g.db, name if _is_known(name) else "(unknown name)", "login_failed")
        g.db.commit()  # the failure count must survive the error reply
        return render_template("login.html", error=result.message, name=name), 401
    session.clear()  # a fresh cookie for a fresh login
    token = accounts.open_session(g.db, result.nurse)
    audit.record(g.db, result.nurse.name, "login")
    login_user(SignedIn(result.nurse, token))
    return redirect(_local_path(request.args.get("next")) or url_for("views.queue"))


def _is_known(name: str) -> bool:
    return g.db.execute(select(Nurse.id).where(Nurse.name == name)).first() is not None


@blueprint.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        accounts.close_session(g.db, current_user.token)
        audit.record(g.db, current_user.name, "logout")
    logout_user()
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("auth.login"))
