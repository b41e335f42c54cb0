"""Turn the assistant's replies into SMS text, and read SMS keywords. Pure
functions, no I/O.

- Buttons become a numbered list, one option per line ("Reply with a
  number:" then "1 Myths", "2 Talk to a nurse"); a later
  "1" is mapped back to that option's payload.
- Markdown links are written out ("text: https://..."); a handoff payload
  becomes a short call line with the numbers spelled out, sent first.
- Each SMS stays within MAX_UNITS (GSM-7 septets, or UCS-2 characters when
  the text cannot be GSM-7), split on sentence boundaries, in order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from bot.core.sms_replies import handoff_line

MENU_LEAD = "Reply with a number:"
MAX_UNITS = 320  # per SMS, as the issue sets it (carriers join the segments)
MAX_UCS2 = 134  # two UCS-2 segments, when a reply cannot be GSM-7

# Twilio's default keywords, so our opt-out state never disagrees with its
# block list. YES opts back in only a number that opted out: otherwise it
# answers the assistant's yes/no questions.
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
START_WORDS = {"START", "UNSTOP"}
START_WHEN_OPTED_OUT = {"YES"}
HELP_WORDS = {"HELP", "INFO"}

_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")  # each takes two septets
# Typographic characters our texts may contain, and their GSM-7 stand-ins.
_TO_GSM = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                         "…": "...", "•": "-", "\u00a0": " ", "×": "x"})
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _word(body: str) -> str:
    return re.sub(r"[^A-Za-z]", "", body or "").upper()


def opts_in_only_if_opted_out(body: str) -> bool:
    """A bare YES: whether it is a keyword depends on the number's opt-out state."""
    return _word(body) in START_WHEN_OPTED_OUT


def keyword(body: str, opted_out: bool) -> Optional[str]:
    """"stop", "start" or "help" when the whole message is such a keyword."""
    word = _word(body)
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS or (opted_out and word in START_WHEN_OPTED_OUT):
        return "start"
    if word in HELP_WORDS:
        return "help"
    return None


def gsm_units(text: str) -> Optional[int]:
    """Septets needed in GSM-7, or None when the text cannot be GSM-7."""
    units = 0
    for char in text:
        if char in _GSM_BASIC:
            units += 1
        elif char in _GSM_EXTENDED:
            units += 2
        else:
            return None
    return units


def fits(text: str) -> bool:
    units = gsm_units(text)
    return units <= MAX_UNITS if units is not None else len(text) <= MAX_UCS2


def to_gsm(text: str) -> str:
    return text.translate(_TO_GSM)


def flatten_links(text: str) -> str:
    return _MARKDOWN_LINK.sub(lambda m: f"{m.group(1)}: {m.group(2)}", text)


@dataclass(frozen=True)
class Outgoing:
    texts: List[str]  # each fits in one SMS
    menu: List[Tuple[str, str]]  # (title, payload) of the numbered options, if any
    escalation: bool = False  # tells someone to call 911 or the CareLine


def render(messages: Sequence[Dict]) -> Outgoing:
    """The SMS to send for one turn's bot messages."""
    first: List[str] = []
    parts: List[str] = []
    menu: List[Tuple[str, str]] = []
    for message in messages:
        handoff = (message.get("custom") or {}).get("handoff")
        if handoff:
            first.append(handoff_line(handoff))  # the numbers lead the first SMS
        if message.get("text"):
            parts.append(flatten_links(message["text"]))
        buttons = message.get("buttons") or []
        if buttons:
            menu = [(str(b.get("title", "")), str(b.get("payload", ""))) for b in buttons]
    if menu:
        options = "\n".join(f"{n} {title}" for n, (title, _) in enumerate(menu, 1))
        parts.append(f"{MENU_LEAD}\n{options}")
    return Outgoing(pack([to_gsm(t) for t in first + parts]), menu, escalation=bool(first))


def pack(paragraphs: Sequence[str]) -> List[str]:
    """Join paragraphs into as few SMS as fit; split long ones at sentences."""
    pieces: List[str] = []
    for paragraph in paragraphs:
        pieces += _split(paragraph.strip())
    texts: List[str] = []
    for piece in pieces:
        if texts and fits(f"{texts[-1]}\n{piece}"):
            texts[-1] = f"{texts[-1]}\n{piece}"
        else:
            texts.append(piece)
    return texts


def _split(text: str) -> List[str]:
    if not text or fits(text):
        return [text] if text else []
    chunks: List[str] = []
    for sentence in _SENTENCE_END.split(text):
        if chunks and fits(f"{chunks[-1]} {sentence}"):
            chunks[-1] = f"{chunks[-1]} {sentence}"
        elif fits(sentence):
            chunks.append(sentence)
        else:
            chunks += _split_words(sentence)
    return chunks


def _split_words(sentence: str) -> List[str]:
    chunks = [""]
    for word in sentence.split(" "):
        candidate = f"{chunks[-1]} {word}".strip()
        if fits(candidate):
            chunks[-1] = candidate
        elif fits(word):
            chunks.append(word)
        else:  # one enormous "word": cut it
            limit = MAX_UNITS if gsm_units(word) is not None else MAX_UCS2
            chunks += [word[i:i + limit] for i in range(0, len(word), limit)]
    return [c for c in chunks if c]


def choose(body: str, menu: Sequence[Tuple[str, str]]) -> Optional[Tuple[str, str]]:
    """The (title, payload) a reply like "2" or "2." picks from the last menu."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*[.)]?\s*", body or "")
    if not match or not menu:
        return None
    number = int(match.group(1))
    return menu[number - 1] if 1 <= number <= len(menu) else None
