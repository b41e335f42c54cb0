"""What a person typed, made safe to read and to store, before anything reads it.

Every channel passes a message through `clean` first, so the detector, the
classifier and the database all see the same text:
- a lone surrogate (invalid UTF-16 half, sent by broken clients) becomes
  U+FFFD: it would make the detector throw and PostgreSQL refuse the row;
- Unicode NFKC: fullwidth letters ("ｃａｎ'ｔ ｐｅｅ"), ligatures and the like
  become the plain letters they stand for, so a red flag cannot hide in them;
- invisible format characters (zero-width spaces and joiners, bidi controls,
  the byte-order mark) are dropped: they split words without being seen;
- control characters other than newline and tab become spaces.

Letters of other scripts that look Latin (Cyrillic "а", Greek "ο") are read
as Latin by the red-flag detector only (`fold_lookalikes`), so a message in
Russian or Greek is still stored exactly as written.
"""
from __future__ import annotations

import re
import unicodedata

_SURROGATE = re.compile("[\ud800-\udfff]")
_KEPT_CONTROLS = {"\n", "\t"}

# Cyrillic and Greek letters that look like Latin ones, lower and upper case.
_LOOKALIKES = str.maketrans({
    **dict(zip("аеорсухіјѕԁһӏп", "aeopcyxijsdhln")),
    **dict(zip("АВЕКМНОРСТХІЈЅ", "ABEKMHOPCTXIJS")),
    **dict(zip("οαικνρτυχ", "oaikvptux")),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX")),
})


def clean(text: str) -> str:
    text = _SURROGATE.sub("\ufffd", text)
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n")
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cf":
            continue
        if category == "Cc" and ch not in _KEPT_CONTROLS:
            ch = " "
        out.append(ch)
    return "".join(out)


def fold_lookalikes(text: str) -> str:
    """Cyrillic and Greek lookalike letters as the Latin ones (one for one)."""
    return text.translate(_LOOKALIKES)
