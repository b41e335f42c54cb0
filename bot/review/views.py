"""Queue, transcript, nurse actions, exports and the audit log."""
from __future__ import annotations

import csv
import io
import threading
from dataclasses import replace
from typing import Tuple

import yaml
from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from bot import PROJECT_ROOT, settings
from bot.core import reference_code
from bot.core.red_flag_rules import in_plain_words
from bot.review import audit, indexer, nurse_actions, plan_time, queue, warm_handoff
from bot.review.auth import supervisor_only
from bot.review.masking import mask_identifiers, mask_sender
from bot.review.transcripts import LOW_CONFIDENCE
from bot.store.models import TAGS

blueprint = Blueprint("views", __name__)
MAX_NOTE = 4000
CSV_LIMIT = 50000
_sync_lock = threading.Lock()  # one indexer run at a time in this process


def _domain_intents() -> Tuple[str, ...]:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    return tuple(sorted(i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]))


INTENTS = _domain_intents()


@blueprint.app_context_processor
def helpers():
    def shown(text):
        """User-written text as this reader may see it."""
        if text is None or current_user.is_anonymous or current_user.is_supervisor:
            return text
        return mask_identifiers(str(text))

    def sender(sender_id):
        if current_user.is_anonymous or current_user.is_supervisor:
            return sender_id
        return mask_sender(sender_id)

    return {"shown": shown, "sender": sender, "LOW_CONFIDENCE": LOW_CONFIDENCE, "when": plan_time.shown,
            "flag_words": in_plain_words,  # the code itself goes in a tooltip
            "code_shown": reference_code.shown}


def _sync() -> None:
    with _sync_lock:
        try:
            indexer.sync(g.db)
            g.db.commit()
        except IntegrityError:  # another process indexed the same conversation
            g.db.rollback()


def _filter() -> Tuple[queue.QueueFilter, Tuple[str, ...], Tuple[str, ...]]:
    """The queue filter from the query string, and the menu choices it was checked against."""
    codes, intents = queue.known_values(g.db)
    return queue.QueueFilter.parse(request.args, codes, intents), codes, intents


@blueprint.route("/")
@login_required
def home():
    return redirect(url_for("views.queue"))


@blueprint.route("/queue", endpoint="queue")
@login_required
def queue_page():
    _sync()
    f, codes, intents = _filter()
    rows, total = queue.query(g.db, f)
    pages = max(1, -(-total // queue.PAGE_SIZE))
    return render_template(
        "queue.html", rows=rows, total=total, f=f, pages=pages, codes=codes, intents=intents,
        channels=queue.CHANNEL_CHOICES, levels=queue.LEVEL_CHOICES,
        statuses=queue.STATUS_CHOICES,
    )


@blueprint.route("/queue.csv")
@login_required
def queue_csv():
    _sync()
    f, _, _ = _filter()
    rows, _ = queue.query(g.db, replace(f, page=1), page_size=CSV_LIMIT)  # every page
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["conversation", "channel", "started_utc", "last_activity_utc", "user_turns",
                     "triage_level", "red_flags", "possible_red_flag", "escalation_text_not_delivered",
                     "lowest_confidence", "fallback",
                     "reviewed_by", "tags", "messages", "notes", "link"])
    see = current_user.is_supervisor
    written = queue.messages_and_notes(g.db, [r.sender_id for r in rows])
    for r in rows:
        messages, notes = written[r.sender_id]
        writer.writerow([_cell(v) for v in (
            r.sender_id if see else mask_sender(r.sender_id), r.channel or "",
            _iso(r.started_at), _iso(r.last_at), r.user_turns, r.triage_level or "",
            " ".join(r.red_flag_codes), "yes" if r.possible_red_flag else "no",
            "yes" if r.undelivered_escalation else "no",
            "" if r.min_confidence is None else f"{r.min_confidence:.2f}",
            "yes" if r.fallback else "no", r.reviewed_by or "", "; ".join(r.tags),
            " | ".join(m if see else mask_identifiers(m) for m in messages), " | ".join(notes),
            url_for("views.conversation", conversation_id=r.id, _external=True),
        )])
    audit.record(g.db, current_user.name, "export_csv", detail=f"{len(rows)} conversations")
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=review-queue.csv"})


def _iso(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _cell(value) -> str:
    """Neutralise spreadsheet formulas in exported text (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _summary_or_404(conversation_id: int):
    summary = nurse_actions.summary_by_id(g.db, conversation_id)
    if summary is None:
        abort(404)
    return summary


@blueprint.route("/conversations/<int:conversation_id>")
@login_required
def conversation(conversation_id: int):
    summary = _summary_or_404(conversation_id)
    convo = nurse_actions.load(g.db, summary, current_user.name)
    return render_template("conversation.html", c=convo, tags=TAGS, intents=INTENTS,
                           every_slot=request.args.get("slots") == "all")  # resets hidden unless asked


def _back(conversation_id: int, anchor: str = ""):
    return redirect(url_for("views.conversation", conversation_id=conversation_id) + anchor)


@blueprint.route("/conversations/<int:conversation_id>/review", methods=["POST"])
@login_required
def mark_reviewed(conversation_id: int):
    summary = _summary_or_404(conversation_id)
    reviewed = request.form.get("reviewed") == "1"
    nurse_actions.set_reviewed(g.db, summary.sender_id, current_user.name, reviewed)
    flash("Marked as reviewed." if reviewed else "Marked as not reviewed.")
    return _back(conversation_id)


@blueprint.route("/conversations/<int:conversation_id>/notes", methods=["POST"])
@login_required
def add_note(conversation_id: int):
    summary = _summary_or_404(conversation_id)
    text = (request.form.get("text") or "").strip()
    if not text:
        flash("The note was empty, so nothing was saved.")
    elif len(text) > MAX_NOTE:
        flash(f"Notes can be up to {MAX_NOTE} characters; this one was {len(text)}.")
    else:
        nurse_actions.add_note(g.db, summary.sender_id, current_user.name, text)
        flash("Note added.")
    return _back(conversation_id, "#notes")


@blueprint.route("/conversations/<int:conversation_id>/tags", methods=["POST"])
@login_required
def set_tag(conversation_id: int):
    summary = _summary_or_404(conversation_id)
    tag = request.form.get("tag") or ""
    if tag not in TAGS:
        abort(400)
    nurse_actions.set_tag(g.db, summary.sender_id, current_user.name, tag, request.form.get("on") == "1")
    return _back(conversation_id, "#tags")


@blueprint.route("/conversations/<int:conversation_id>/corrections", methods=["POST"])
@login_required
def correct(conversation_id: int):
    summary = _summary_or_404(conversation_id)
    intent = request.form.get("intent") or ""
    try:
        event_id = int(request.form.get("event_id") or "")
    except ValueError:
        abort(400)
    if intent not in INTENTS:
        abort(400)
    if not nurse_actions.correct_intent(g.db, summary.sender_id, current_user.name, event_id, intent):
        abort(400)
    flash(f"Saved: that message should be {intent}.")
    return _back(conversation_id, f"#turn-{event_id}")


@blueprint.route("/corrections.yml")
@login_required
def corrections_export():
    # Training data must not carry identifiers, whoever exports it.
    examples = [(c.correct_intent, mask_identifiers(c.text)) for c in nurse_actions.all_corrections(g.db)]
    audit.record(g.db, current_user.name, "export_corrections", detail=f"{len(examples)} messages")
    return Response(nurse_actions.corrections_yaml(examples), mimetype="application/x-yaml",
                    headers={"Content-Disposition": "attachment; filename=corrections.yml"})


@blueprint.route("/handoff", methods=["GET", "POST"])
@login_required
def handoff_lookup():
    """A CareLine nurse types the caller's reference code and sees, on one
    screen, where the assistant stopped (bot/review/warm_handoff.py)."""
    if request.method == "GET":
        return render_template("handoff.html", found=None, missed=False)
    if warm_handoff.limited(g.db, current_user.name):
        return render_template("handoff.html", found=None, missed=False, limited=True), 429
    _sync()  # so the link to the whole conversation exists
    found = warm_handoff.look_up(g.db, request.form.get("code"), current_user.name,
                                 settings.retention_days())
    # A miss is an answer, not an error: status 200 so its audit entry is kept.
    return render_template("handoff.html", found=found, missed=found is None)


@blueprint.route("/audit")
@login_required
@supervisor_only
def audit_log():
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    entries = audit.recent(g.db, limit=100, offset=(page - 1) * 100)
    return render_template("audit.html", entries=entries, page=page)
