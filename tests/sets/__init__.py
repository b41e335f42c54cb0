"""Where the labelled test sets live (see README.md in this folder for which
are development sets and which are frozen blind sets)."""
from pathlib import Path

SETS = Path(__file__).resolve().parent
RED_FLAG_PHRASINGS = SETS / "red_flag_phrasings.yml"
VIGNETTES = SETS / "vignettes.yml"
NLU_HELDOUT = SETS / "nlu_heldout.yml"

# The red-flag batches played against the running assistant, and the level
# `make test` holds each to, a little below where it stands so a retrained
# model can wobble: 2026-11-29j, i, h, g, f and e at their first runs (each
# batch's FIRST_RUN.md; j is issue 13's latest headline); 2026-11-29, a
# development set since its first run, at issue 13's development figures. The
# issue's targets are higher; a change that falls below these is a regression.
# * Since the symptom check moves on after two answers it cannot read (instead
#   of asking forever), an unread answer that could matter counts as a reason
#   for a routine visit: under-triage fell (f 16 -> 1, e 12 -> 1, g 13 -> 3),
#   self-care people sent to a routine visit rose; none more to a nurse or 911.
# ** Since batch h's (or i's, for i) misses were read and fixed (a development figure now).
BLIND = SETS / "blind" / "2026-11-29"  # also the first batch of intent examples
RED_FLAG_BATCHES = {
    SETS / "blind" / "2026-11-29j": {
        "own emergency told 911 in the first reply": 0.92,          # first run 0.950
        "someone else's emergency told 911 in the first reply": 0.92,  # first run 1.0
        "urgent escalated (CareLine or 911)": 0.92,                  # first run 0.960
        "no escalation where none is due": 0.83,                     # first run 0.871
        "own pain without a red flag enters the symptom check": 0.80,  # first run 0.861
        "vignette emergency sensitivity": 0.83,                      # first run 0.917
        "vignette under-triage at most": 5,                          # first run 3 of 40
        "vignette self-care over-triage at most": 0.23,              # first run 0.111
        "vignette self-care sent to a nurse or 911 at most": 0.12,   # first run 0.0
    },
    SETS / "blind" / "2026-11-29i": {
        "own emergency told 911 in the first reply": 0.95,          # first run 0.925; 1.0 since **
        "someone else's emergency told 911 in the first reply": 0.95,  # first run 1.0
        "urgent escalated (CareLine or 911)": 0.95,                  # first run 0.880; 1.0 since **
        "no escalation where none is due": 0.92,                     # first run 0.918; 0.976 since **
        "own pain without a red flag enters the symptom check": 0.82,  # first run 0.784; 0.878 since **
        "vignette emergency sensitivity": 0.90,                      # first run 1.0 (12 of 12)
        "vignette under-triage at most": 3,                          # first run 0 of 40
        "vignette self-care over-triage at most": 0.23,              # first run 0.111
        "vignette self-care sent to a nurse or 911 at most": 0.12,   # first run 0.0
    },
    SETS / "blind" / "2026-11-29h": {
        "own emergency told 911 in the first reply": 0.95,          # first run 0.888; 1.0 since **
        "someone else's emergency told 911 in the first reply": 0.95,  # first run 0.955; 1.0 since **
        "urgent escalated (CareLine or 911)": 0.95,                  # first run 0.943; 1.0 since **
        "no escalation where none is due": 0.92,                     # first run 0.871; 0.976 since **
        "own pain without a red flag enters the symptom check": 0.86,  # first run 0.786; 0.929 since **
        "vignette emergency sensitivity": 0.75,                      # first run 0.750; 0.833 since **
        "vignette under-triage at most": 6,                          # first run 5 of 40; 4 since **
        "vignette self-care over-triage at most": 0.23,              # first run 0.111
        "vignette self-care sent to a nurse or 911 at most": 0.12,   # first run 0.0
    },
    SETS / "blind" / "2026-11-29g": {
        "own emergency told 911 in the first reply": 0.86,          # first run 0.900
        "someone else's emergency told 911 in the first reply": 0.86,  # first run 0.909
        "urgent escalated (CareLine or 911)": 0.81,                  # first run 0.849
        "no escalation where none is due": 0.82,                     # first run 0.859
        "own pain without a red flag enters the symptom check": 0.72,  # first run 0.771
        "vignette emergency sensitivity": 0.75,                      # first run 0.583; 0.833 since *
        "vignette under-triage at most": 6,                          # first run 13 of 40; 3 since *
        "vignette self-care over-triage at most": 0.23,              # first run 0.0; 0.111 since *
        "vignette self-care sent to a nurse or 911 at most": 0.12,   # first run 0.0
    },
    SETS / "blind" / "2026-11-29f": {
        "own emergency told 911 in the first reply": 0.82,          # first run 0.850
        "someone else's emergency told 911 in the first reply": 0.84,  # first run 0.880
        "urgent escalated (CareLine or 911)": 0.84,                  # first run 0.880
        "no escalation where none is due": 0.83,                     # first run 0.871
        "own pain without a red flag enters the symptom check": 0.70,  # first run 0.753
        "vignette emergency sensitivity": 0.90,                      # first run 0.750; 1.0 since *
        "vignette under-triage at most": 4,                          # first run 16 of 40; 1 since *
        "vignette self-care over-triage at most": 0.35,              # first run 0.222: 2 of 9 to a routine visit; 0.333 since *
        "vignette self-care sent to a nurse or 911 at most": 0.12,   # first run 0.0
    },
    SETS / "blind" / "2026-11-29e": {
        "own emergency told 911 in the first reply": 0.85,          # first run 0.888
        "someone else's emergency told 911 in the first reply": 0.76,  # first run 0.800
        "urgent escalated (CareLine or 911)": 0.80,                  # first run 0.840
        "no escalation where none is due": 0.83,                     # first run 0.871
        "own pain without a red flag enters the symptom check": 0.70,  # first run 0.753
        "vignette emergency sensitivity": 0.90,                      # first run 0.750; 1.0 since *
        "vignette under-triage at most": 4,                          # first run 12 of 40; 1 since *
        "vignette self-care over-triage at most": 0.23,              # first run 0.0; 0.111 since *
        "vignette self-care sent to a nurse or 911 at most": 0.12,   # first run 0.0
    },
    BLIND: {
        "own emergency told 911 in the first reply": 0.95,          # issue 13: 0.978 (first run 0.627)
        "someone else's emergency told 911 in the first reply": 0.93,  # 0.971 (first run 0)
        "urgent escalated (CareLine or 911)": 0.91,                  # 0.948 (first run 0.615)
        "no escalation where none is due": 0.88,                     # 0.916 (first run 0.928)
        "own pain without a red flag enters the symptom check": 0.66,  # 0.724 (first run 0.236)
        "vignette emergency sensitivity": 0.88,                      # 0.833 (first run 0.600); 0.933 since *
        "vignette under-triage at most": 9,                          # 17 of 120 (first run 36); 5 since *
        "vignette self-care over-triage at most": 0.25,              # 0.200 (first run 0.200); 0.233 since *
        "vignette self-care sent to a nurse or 911 at most": 0.12,   # 0.167; 0.067 since "no, but years ago I had ..." is a no
    },
}

# Intent accuracy each batch's nlu.yml is held to. 2026-11-29 is now a
# development set (issue 12 chose its settings on it): 0.90 is the issue's
# floor. 2026-11-29b stayed blind: first run 0.834 on the old model, 0.87
# on the issue 12 model, so the floor sits a little below that. 2026-11-29d
# was written after the change: its first run (0.876) is the headline.
INTENT_FLOORS = {
    BLIND: 0.90,                           # development: 0.958 since the second data round
    # Issue 12's done-when: `make test` fails when a blind batch falls below 0.90.
    SETS / "blind" / "2026-11-29l": 0.90,  # first run 0.929 (written after the second data round)
    SETS / "blind" / "2026-11-29b": 0.90,  # first run 0.834; 0.932 since the second data round
    SETS / "blind" / "2026-11-29d": 0.90,  # first run 0.876; 0.941 since the second data round
    SETS / "blind" / "2026-11-29k": 0.86,  # first run 0.821; 0.888 since (frozen before that round)
}
