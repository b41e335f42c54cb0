"""The nurses' review workspace: a small server-rendered Flask app.

Security choices, in one place:
- every page but the login page needs a live login session (bot/review/accounts.py);
  it ends on logout or after 15 minutes without a request;
- every POST carries a CSRF token (Flask-WTF);
- the session cookie is HttpOnly, SameSite=Lax, and Secure whenever the request
  came over HTTPS (behind a proxy, set REVIEW_BEHIND_PROXY=1);
- pages are never cached and may not be framed; no script or style from
  anywhere but this server.
"""
from __future__ import annotations

import os
import secrets
import sys
from typing import Optional

from flask import Flask, g, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.orm import sessionmaker
from werkzeug.middleware.proxy_fix import ProxyFix

from bot.settings import require_secret
from bot.store.db import database_url, engine_for


class _SessionInterface(SecureCookieSessionInterface):
    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure or bool(app.config["SESSION_COOKIE_SECURE"])


def create_app(url: Optional[str] = None, secret_key: Optional[str] = None,
               behind_proxy: Optional[bool] = None) -> Flask:
    app = Flask(__name__)
    key = secret_key or os.environ.get("REVIEW_SECRET_KEY")
    if not secret_key and key:
        require_secret(os.environ, "REVIEW_SECRET_KEY")  # no placeholder as a signing key
    if not key:
        # Sessions then last only as long as this process; say so once.
        print("REVIEW_SECRET_KEY is not set: using a random key (logins end on restart).",
              file=sys.stderr)
        key = secrets.token_urlsafe(32)
    app.config.update(
        SECRET_KEY=key,
        SESSION_COOKIE_NAME="review_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,  # True per request when it came over HTTPS
        MAX_CONTENT_LENGTH=64 * 1024,
        DATABASE_URL=url or database_url(),
    )
    app.session_interface = _SessionInterface()
    if behind_proxy if behind_proxy is not None else os.environ.get("REVIEW_BEHIND_PROXY") == "1":
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    Session = sessionmaker(bind=engine_for(app.config["DATABASE_URL"]), future=True)

    @app.before_request
    def open_db():
        g.db = Session()

    CSRFProtect(app)  # after open_db: its error page looks up the signed-in nurse

    @app.after_request
    def commit_and_harden(response):
        db = g.pop("db", None)
        if db is not None:
            if response.status_code < 400:
                db.commit()
            else:
                db.rollback()
            db.close()
        headers = response.headers
        headers["Content-Security-Policy"] = (
            "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "no-referrer"
        if not request.path.startswith("/static/"):
            headers["Cache-Control"] = "no-store"
        return response

    @app.teardown_request
    def close_db(error):
        db = g.pop("db", None)
        if db is not None:  # an exception skipped after_request
            db.rollback()
            db.close()

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("error.html", title="Form expired",
                               message="This form was too old or not from this site. "
                                       "Go back, reload the page and try again."), 400

    @app.errorhandler(403)
    def forbidden(error):
        return render_template("error.html", title="Not allowed",
                               message="Your role cannot open this page."), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template("error.html", title="Not found",
                               message="There is no such page or conversation."), 404

    @app.errorhandler(413)
    def too_large(error):
        return render_template("error.html", title="Too long",
                               message="That was too much text for one form."), 413

    from bot.review import auth, views

    auth.init(app)
    app.register_blueprint(views.blueprint)
    return app
