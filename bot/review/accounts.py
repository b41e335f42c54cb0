"""Nurse accounts, password checks with lockout, and server-side login sessions.

Passwords are hashed with argon2id. A login session is a random token kept
in the browser's signed cookie; only its SHA-256 is stored, and the row is
deleted on logout or after IDLE_LIMIT without a request.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from bot.store.models import ROLES, LoginSession, Nurse, utcnow

IDLE_LIMIT = timedelta(minutes=15)
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{1,79}$"

_hasher = PasswordHasher()  # argon2id with the library's current parameters
# Checked for unknown names too, so the time taken does not reveal which names exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A nurse account cannot be created as asked (message is for the admin)."""


@dataclass(frozen=True)
class LoginResult:
    nurse: Optional[Nurse]
    message: str = ""


def add_nurse(session: Session, name: str, role: str, password: str) -> Nurse:
    if not re.match(NAME_PATTERN, name):
        raise AccountError("names are 2-80 letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")
    if session.execute(sa.select(Nurse).where(Nurse.name == name)).scalar():
        raise AccountError(f"{name} already exists")
    nurse = Nurse(name=name, role=role, password_hash=_hasher.hash(password), failed_logins=0)
    session.add(nurse)
    session.flush()
    return nurse


def authenticate(session: Session, name: str, password: str,
                 now: Optional[datetime] = None) -> LoginResult:
    """Check a login; count failures and lock the account after too many."""
    now = now or utcnow()
    nurse = session.execute(sa.select(Nurse).where(Nurse.name == name)).scalar()
    if nurse is None:
        _verify(_DUMMY_HASH, password)
        return LoginResult(None, "Wrong name or password.")
    if nurse.locked_until and nurse.locked_until > now:
        return LoginResult(None, "Too many failed attempts. Try again in 15 minutes "
                                 "or ask a supervisor.")
    if not _verify(nurse.password_hash, password):
        nurse.failed_logins += 1
        if nurse.failed_logins >= MAX_FAILED_LOGINS:
            nurse.locked_until, nurse.failed_logins = now + LOCKOUT, 0
        return LoginResult(None, "Wrong name or password.")
    nurse.failed_logins, nurse.locked_until = 0, None
    if _hasher.check_needs_rehash(nurse.password_hash):
        nurse.password_hash = _hasher.hash(password)
    return LoginResult(nurse)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, nurse: Nurse) -> str:
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(token_hash=_digest(token), nurse_id=nurse.id))
    return token


def nurse_for_token(session: Session, token: str, now: Optional[datetime] = None
                    ) -> Optional[Nurse]:
    """The nurse a live session token belongs to; expires idle sessions."""
    now = now or utcnow()
    login = session.get(LoginSession, _digest(token)) if token else None
    if login is None:
        return None
    if now - login.last_seen_at > IDLE_LIMIT:
        session.delete(login)
        return None
    login.last_seen_at = now
    return session.get(Nurse, login.nurse_id)


def close_session(session: Session, token: str) -> None:
    session.execute(sa.delete(LoginSession).where(LoginSession.token_hash == _digest(token)))
