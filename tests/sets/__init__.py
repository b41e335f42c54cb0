"""Where the labelled test sets live (see README.md in this folder for which
are development sets and which are frozen blind sets)."""
from pathlib import Path

SETS = Path(__file__).resolve().parent
RED_FLAG_PHRASINGS = SETS / "red_flag_phrasings.yml"
VIGNETTES = SETS / "vignettes.yml"
NLU_HELDOUT = SETS / "nlu_heldout.yml"

# The newest frozen blind batch and the level `make test` holds it to: the
# figures of its first run (blind/2026-11-29/FIRST_RUN.md), a little below
# where a retrained model could wobble. The red-flag and NLU issues raise these
# to their targets; a change that falls below them is a regression.
BLIND = SETS / "blind" / "2026-11-29"
BLIND_FLOORS = {
    "own emergency told 911 in the first reply": 0.60,          # first run 0.627
    "urgent escalated (CareLine or 911)": 0.58,                  # first run 0.615
    "no escalation where none is due": 0.90,                     # first run 0.928
    "own pain without a red flag enters the symptom check": 0.20,  # first run 0.236
    "vignette emergency sensitivity": 0.55,                      # first run 0.600
    "vignette under-triage at most": 40,                         # first run 36 of 120
    "vignette self-care over-triage at most": 0.25,              # first run 0.200
}

# Intent accuracy each batch's nlu.yml is held to. 2026-11-29 is now a
# development set (issue 12 chose its settings on it): 0.90 is the issue's
# floor. 2026-11-29b stayed blind: first run 0.834 on the old model, 0.87
# on the issue 12 model, so the floor sits a little below that. 2026-11-29d
# was written after the change: its first run (0.876) is the headline.
INTENT_FLOORS = {
    BLIND: 0.90,
    SETS / "blind" / "2026-11-29b": 0.84,
    SETS / "blind" / "2026-11-29d": 0.84,
}
