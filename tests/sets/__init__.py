"""Where the labelled test sets live (see README.md in this folder for which
are development sets and which are frozen blind sets)."""
from pathlib import Path

SETS = Path(__file__).resolve().parent
RED_FLAG_PHRASINGS = SETS / "red_flag_phrasings.yml"
VIGNETTES = SETS / "vignettes.yml"
NLU_HELDOUT = SETS / "nlu_heldout.yml"
