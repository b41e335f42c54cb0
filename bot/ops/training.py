"""Train a model only when the training inputs changed.

The model file is named after a fingerprint of everything that shapes it
(config, domain, training data, the Rasa version), so a repeated `make run` or
`make test` finds it and skips training. Our NLU component's code and the
red-flag rules are not in the model: they are loaded from the project when
the server starts, so editing them needs a restart, not a retrain.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterable, Mapping, Optional

from bot import PROJECT_ROOT
from bot.settings import MODELS_DIR

MODEL_PREFIX = "backpain-"
KEEP_MODELS = 3


def training_inputs(root: Path = PROJECT_ROOT) -> Iterable[Path]:
    yield root / "config.yml"
    yield root / "domain.yml"
    yield from sorted((root / "data").rglob("*.yml"))
    yield root / "bot" / "nlu" / "suspicion_phrasings.yml"  # the suspicion net trains on it


def fingerprint(root: Path = PROJECT_ROOT) -> str:
    import rasa

    digest = hashlib.sha256(f"rasa {rasa.__version__}\n".encode())
    for path in training_inputs(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def model_path(root: Path = PROJECT_ROOT, models_dir: Path = MODELS_DIR) -> Path:
    return models_dir / f"{MODEL_PREFIX}{fingerprint(root)}.tar.gz"


def ensure_model(
    env: Optional[Mapping[str, str]] = None, force: bool = False,
    models_dir: Path = MODELS_DIR,
) -> Path:
    """Return the model for the current inputs, training it if it is missing."""
    target = model_path(models_dir=models_dir)
    if target.exists() and not force:
        print(f"Model is up to date: {target.relative_to(PROJECT_ROOT)}", flush=True)
        return target
    print("Training a model (data or config changed)...", flush=True)
    models_dir.mkdir(parents=True, exist_ok=True)
    # Train into a scratch folder and move the result in at the end, so an
    # interrupted run never leaves a half-written model with a valid name.
    with tempfile.TemporaryDirectory(dir=models_dir) as scratch:
        name = target.name[: -len(".tar.gz")]
        subprocess.run(
            [
                sys.executable, "-m", "rasa", "train",
                "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
                "--out", scratch, "--fixed-model-name", name,
            ],
            cwd=PROJECT_ROOT, env=None if env is None else dict(env), check=True,
        )
        shutil.move(str(Path(scratch) / target.name), target)
    _prune_old_models(models_dir, keep=target)
    print(f"Model ready: {target.relative_to(PROJECT_ROOT)}", flush=True)
    return target


def _prune_old_models(models_dir: Path, keep: Path) -> None:
    models = sorted(
        models_dir.glob(f"{MODEL_PREFIX}*.tar.gz"),
        key=lambda p: p.stat().st_mtime, reverse=True,
    )
    for old in [m for m in models if m != keep][KEEP_MODELS - 1:]:
        old.unlink()
