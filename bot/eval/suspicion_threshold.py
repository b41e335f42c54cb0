"""Choose the suspicion net's threshold on data (issue 13, layer 3).

5-fold cross-validation over the net's training data (the group phrasings
and the intent examples as ordinary messages): for each threshold, how many
red-flag phrasings a net not trained on them scores above it, and how many
ordinary messages and near-misses. `bot eval suspicion` prints the table;
config.yml holds the threshold chosen from it. These are development
figures: the phrasings include the development sets.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, Sequence

import numpy as np

from bot import PROJECT_ROOT

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def cross_validated_scores(folds: int = 5) -> Dict[str, np.ndarray]:
    """Each text's best red-flag group score from a net that did not see it."""
    from sklearn.model_selection import StratifiedKFold

    from bot.eval.intent_scoring import load_examples
    from bot.nlu.suspicion_net import NONE, SuspicionModel, clauses, training_set, word_vector_of
    from bot.ops import vectors

    vector_of = word_vector_of(Path(vectors.VECTORS_DIR))
    texts, labels = training_set(load_examples(PROJECT_ROOT / "data" / "nlu"))
    labels_array = np.array(labels)
    best = np.zeros(len(texts))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, labels_array):
        model = SuspicionModel(vector_of).fit([texts[i] for i in train], list(labels_array[train]))
        for i in test:
            best[i] = model.group_scores(clauses(texts[i])).max()
    return {"red_flag": best[labels_array != NONE], "ordinary": best[labels_array == NONE]}


def table(scores: Dict[str, np.ndarray], thresholds: Sequence[float] = THRESHOLDS) -> str:
    lines = ["threshold  red-flag phrasings above  ordinary messages above",
             "---------  ------------------------  -----------------------"]
    for t in thresholds:
        lines.append(f"{t:9.1f}  {np.mean(scores['red_flag'] >= t):24.1%}  "
                     f"{np.mean(scores['ordinary'] >= t):23.2%}")
    return "\n".join(lines)
