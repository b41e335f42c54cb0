"""Mask identifiers for nurses; supervisors see them in full.

Phone numbers and other long digit runs (member IDs, dates of birth written
as digits) keep their last 4 digits; e-mail addresses keep their first letter
and domain ending. Conservative on purpose: a masked symptom is harmless, a
shown phone number is not.
"""
from __future__ import annotations

import re

# 7+ digits, optionally separated by spaces, dots, dashes or brackets: phones,
# member numbers, "01/02/1960"-style dates.
_DIGIT_RUN = re.compile(r"(?<![\w])[+(]?(?:\d[\s().\-/]{0,2}){6,}\d(?![\w])")
_EMAIL = re.compile(r"\b([A-Za-z0-9])[A-Za-z0-9._%+-]*@[A-Za-z0-9.-]+\.([A-Za-z]{2,})\b")


def mask_digits(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "•" * (len(digits) - 4) + digits[-4:]


def mask_identifiers(text: str) -> str:
    text = _EMAIL.sub(lambda m: f"{m.group(1)}•••@•••.{m.group(2)}", text)
    return _DIGIT_RUN.sub(mask_digits, text)


def mask_sender(sender_id: str) -> str:
    """A conversation key shown to nurses: only its last 4 characters."""
    return "…" + sender_id[-4:] if len(sender_id) > 4 else "…"
