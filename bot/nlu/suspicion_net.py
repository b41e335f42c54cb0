"""The learned suspicion net (issue 13, layer 3): might this message describe
a red flag that the rules did not confirm?

A small classifier over each clause of a message: the pretrained word
vectors' mean (so "my thighs feel like rubber" lands near words it never saw)
and character n-grams (so "numd" is near "numb"), into a logistic regression
trained on varied phrasings per red-flag group (suspicion_phrasings.yml) and
on ordinary messages (the intent training data). When it suspects a group
above its threshold, the assistant asks one plain yes/no question naming
the symptom (bot/core/suspicion.py) and escalates on yes. It never lowers anything the
rules found: it only adds a question.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
import yaml

from bot.core.red_flag_rules import context_patterns
from bot.core.slots import REPORT_RED_FLAG
from bot.core.suspicion import GROUPS

HERE = Path(__file__).resolve().parent
PHRASINGS = HERE / "suspicion_phrasings.yml"
NONE = "none"


def clauses(text: str) -> List[str]:
    """The message and its sentences: a sign buried in a long message is
    scored on its own sentence, where the rest does not dilute it."""
    parts = [p.strip() for p in re.split(r"(?<=[.!?;\n])\s+|,\s+(?:and|but|so)\s+", text or "") if p.strip()]
    return [text] + parts if len(parts) > 1 else [text]


def load_phrasings(path: Path = PHRASINGS) -> Dict[str, List[str]]:
    """Phrasings by group: the helper-written ones and those from the development sets."""
    data = yaml.safe_load(path.read_text())
    merged: Dict[str, List[str]] = {}
    for section in ("groups", "development"):
        for name, texts in (data.get(section) or {}).items():
            if name not in GROUPS and name != NONE:
                raise ValueError(f"{path.name}: unknown group {name!r}")
            merged.setdefault(name, []).extend(str(t) for t in texts or [])
    return merged


def word_vector_of(directory: Path) -> Callable[[str], np.ndarray]:
    """text -> the mean of its words' pretrained vectors (bot/nlu/word_vectors.py)."""
    from bot.nlu.word_vectors import WordVectorTable, sentence_vector

    table = WordVectorTable(directory)
    return lambda text: sentence_vector(table.sequence(re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower())))


def training_set(intent_examples: Iterable[Tuple[str, str]]) -> Tuple[List[str], List[str]]:
    """(texts, labels): the group phrasings, and every intent example that is
    not a red flag as an ordinary message."""
    texts: List[str] = []
    labels: List[str] = []
    for group, phrasings in load_phrasings().items():
        texts += phrasings
        labels += [group] * len(phrasings)
    for text, intent in intent_examples:
        if text and intent != REPORT_RED_FLAG:
            texts.append(text)
            labels.append(NONE)
    return texts, labels


class SuspicionModel:
    """Features and classifier; `vector_of(text)` gives the word-vector mean."""

    def __init__(self, vector_of, classifier=None, ngrams=None, threshold: float = 0.5):
        self.vector_of = vector_of
        self.classifier = classifier
        self.ngrams = ngrams
        self.threshold = threshold

    def _features(self, texts: Sequence[str]):
        from scipy.sparse import csr_matrix, hstack

        dense = np.stack([np.ravel(self.vector_of(t.lower())) for t in texts])
        return hstack([csr_matrix(dense), self.ngrams.transform([t.lower() for t in texts])]).tocsr()

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> "SuspicionModel":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.ngrams = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2,
                                      sublinear_tf=True).fit([t.lower() for t in texts])
        self.classifier = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
        self.classifier.fit(self._features(texts), list(labels))
        return self

    def group_scores(self, texts: Sequence[str]) -> np.ndarray:
        """Per text, the highest probability of any red-flag group (not `none`)."""
        probabilities = self.classifier.predict_proba(self._features(texts))
        flags = [i for i, name in enumerate(self.classifier.classes_) if name != NONE]
        return probabilities[:, flags]

    def suspect(self, text: str, read_by_rules: Sequence[str] = ()) -> Optional[Tuple[str, float]]:
        """(group, probability) when some clause scores above the threshold.
        Clauses with a context word ("no", "what if", "years ago", "my mom")
        and groups the rules already read in context are left to the rules."""
        parts = [p for p in clauses(text) if not in_context(p)]
        if not parts:
            return None
        scores = self.group_scores(parts)
        names = [n for n in self.classifier.classes_ if n != NONE]
        for i, name in enumerate(names):
            if name in read_by_rules:
                scores[:, i] = 0.0
        row, column = np.unravel_index(int(np.argmax(scores)), scores.shape)
        best = float(scores[row, column])
        return (names[column], best) if best >= self.threshold else None


@lru_cache(maxsize=1)
def _context_words() -> "re.Pattern[str]":
    """The context rules' negation, question, past and someone-else words, as one pattern."""
    kinds = {"negated", "hypothetical", "historical", "family"}
    alternatives = [p.pattern for p in context_patterns() if p.category in kinds]
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


def in_context(clause: str) -> bool:
    return bool(_context_words().search(clause.lower()))
