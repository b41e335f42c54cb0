"""The frozen blind sets stay as they were written and out of the training
data (tests/sets/README.md)."""
import hashlib
import re

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.eval.intent_scoring import load_examples
from tests.sets import SETS

BLIND = SETS / "blind"
BATCHES = sorted(p for p in BLIND.iterdir() if p.is_dir())


def normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


def training_texts():
    return {normalise(text) for text, _ in load_examples(PROJECT_ROOT / "data" / "nlu")}


def blind_texts(batch):
    texts = [text for text, _ in load_examples(batch / "nlu.yml")] if (batch / "nlu.yml").exists() else []
    if (batch / "red_flag_phrasings.yml").exists():
        texts += [p["text"] for p in yaml.safe_load((batch / "red_flag_phrasings.yml").read_text())["phrasings"]]
    if (batch / "vignettes.yml").exists():
        for v in yaml.safe_load((batch / "vignettes.yml").read_text())["vignettes"]:
            texts += [v["opening"], *v["answers"].values(), v.get("interrupt") or "", v.get("followup") or ""]
    return [t for t in texts if len(t.split()) >= 4]  # "yes", "lower back" may occur anywhere


def test_there_is_a_blind_batch():
    assert BATCHES


@pytest.mark.parametrize("batch", BATCHES, ids=lambda p: p.name)
def test_frozen_files_are_unchanged(batch):
    manifest = (batch / "MANIFEST.sha256").read_text().split("\n")
    listed = dict(reversed(line.split("  ", 1)) for line in manifest if line.strip())
    assert listed, "empty manifest"
    for name, digest in listed.items():
        assert hashlib.sha256((batch / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.parametrize("batch", BATCHES, ids=lambda p: p.name)
def test_no_blind_text_is_copied_into_the_training_data(batch):
    """Only the common phrasings both sides had already written independently
    when the batch was frozen (OVERLAP_AT_FREEZE.txt) may appear in both."""
    trained = training_texts()
    known = {line for line in (batch / "OVERLAP_AT_FREEZE.txt").read_text().splitlines()
             if line and not line.startswith("#")}
    leaked = sorted({normalise(t) for t in blind_texts(batch) if normalise(t) in trained} - known)
    assert leaked == []
