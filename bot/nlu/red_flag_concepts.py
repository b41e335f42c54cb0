"""Red flags read as concepts that occur together, in any order, near each
other in one clause (bot/core/red_flag_concepts.yml): "my legs both feel like
jello" is a weakness concept and a both-legs concept, whatever the wording.

A spaCy component for the detector's pipeline. It runs after the lookup
lemmatizer (so "wiping" is "wipe") and the phrase patterns, and before
medspaCy's ConText: each red flag found is added to the same span group as
the phrase patterns' spans, and covers only its first ("anchor") concept, so
that "not", "what if" or "my husband" are read against the symptom words.
"""
# No "from __future__ import annotations": spaCy reads the factory's type hints.

from typing import Callable, Dict, Iterable, List, Sequence, Tuple

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from bot.core.red_flag_rules import ConceptRule, concepts

# Words that end a clause: "my legs are fine but my foot is numb" is not numb legs.
CLAUSE_BREAKS = frozenset({"but", "however", "although", "though", "except", "whereas"})
EXACT = "="  # a term written "=legs" matches only that form, not "leg"

Match = Tuple[int, int]  # token start, end


def term_pattern(term: str, tokenize: Callable[[str], Doc], lemma: Callable[[str], str]) -> List[Dict]:
    """A spaCy Matcher pattern for one word or phrase of a concept."""
    exact = term.startswith(EXACT)
    words = [t.lower_ for t in tokenize(term.lstrip(EXACT).lower())]
    return [{"LOWER": w} if exact else {"LEMMA": lemma(w)} for w in words]


def clauses(doc: Doc, whole_sentence: bool) -> Iterable[Tuple[int, int]]:
    """(start, end) token ranges: sentences, cut at "but" and the like."""
    for sent in doc.sents:
        start = sent.start
        if not whole_sentence:
            for token in sent:
                if token.lower_ in CLAUSE_BREAKS and token.i > start:
                    yield start, token.i
                    start = token.i + 1
        if start < sent.end:
            yield start, sent.end


def find(rule: ConceptRule, found: Dict[str, List[Match]], clause: Tuple[int, int]) -> List[Match]:
    """The anchor matches of `rule` inside `clause`: for each anchor, the
    nearest match of every other concept of a list must be close enough."""
    start, end = clause

    def inside(name: str) -> List[Match]:
        return [m for m in found.get(name, ()) if start <= m[0] and m[1] <= end]

    if any(inside(name) for name in rule.unless):
        return []
    anchors: List[Match] = []
    for names in rule.when:
        candidates = [inside(name) for name in names]
        if not all(candidates):
            continue
        for anchor in candidates[0]:
            chosen = [anchor] + [min(c, key=lambda m: _distance(anchor, m)) for c in candidates[1:]]
            if _words_between(chosen) <= rule.within and anchor not in anchors:
                anchors.append(anchor)
    return anchors


def _distance(a: Match, b: Match) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


def _words_between(matches: Sequence[Match]) -> int:
    covered = set()
    for s, e in matches:
        covered.update(range(s, e))
    first, last = min(s for s, _ in matches), max(e for _, e in matches)
    return (last - first) - len(covered)


@Language.factory("red_flag_concepts", default_config={"span_group": "red_flags"})
def make_concept_finder(nlp: Language, name: str, span_group: str) -> "ConceptFinder":
    return ConceptFinder(nlp, span_group)


class ConceptFinder:
    def __init__(self, nlp: Language, span_group: str):
        self.span_group = span_group
        self.rules = concepts().rules
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        self.matcher = Matcher(nlp.vocab)
        for name, terms in concepts().terms.items():
            self.matcher.add(name, [term_pattern(t, nlp.make_doc, lambda w: table.get(w, w))
                                    for t in terms])

    def __call__(self, doc: Doc) -> Doc:
        found: Dict[str, List[Match]] = {}
        for match_id, start, end in self.matcher(doc):
            found.setdefault(doc.vocab.strings[match_id], []).append((start, end))
        spans = list(doc.spans.get(self.span_group, []))
        for rule in self.rules:
            for clause in clauses(doc, rule.whole_sentence):
                for start, end in find(rule, found, clause):
                    if not _already(spans, rule.code, start, end):
                        spans.append(Span(doc, start, end, label=rule.code))
        doc.spans[self.span_group] = spans
        return doc


def _already(spans: List[Span], code: str, start: int, end: int) -> bool:
    """Does a span for the same red flag overlap (the phrase patterns found it)?"""
    return any(s.label_ == code and s.start < end and start < s.end for s in spans)
