#!/usr/bin/env bash
# Create .venv with Python 3.10, install the locked dependencies, and fetch
# the pinned word vectors the NLU pipeline uses (bot/ops/vectors.py).
# Re-running is cheap: nothing is installed when requirements.lock and
# pyproject.toml are unchanged since the last successful install, and the
# vectors are only checked when they are already there.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.installed"

is_py310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

find_python() {
  local candidate root
  for candidate in "${PYTHON:-}" python3.10; do
    [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 && is_py310 "$candidate" \
      && { command -v "$candidate"; return; }
  done
  # pyenv may have 3.10 installed without it being the active version.
  root=$( (command -v pyenv >/dev/null 2>&1 && pyenv root) || echo "${PYENV_ROOT:-$HOME/.pyenv}")
  for candidate in $(ls -d "$root"/versions/3.10.* 2>/dev/null | sort -V -r); do
    is_py310 "$candidate/bin/python" && { echo "$candidate/bin/python"; return; }
  done
  return 1
}

wanted=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && is_py310 "$VENV/bin/python" \
   && [ "$(cat "$STAMP" 2>/dev/null)" = "$wanted" ]; then
  exec "$VENV/bin/python" -m bot.ops.vectors
fi

if [ ! -x "$VENV/bin/python" ] || ! is_py310 "$VENV/bin/python"; then
  if ! PY=$(find_python); then
    cat >&2 <<'MSG'
error: Python 3.10 not found (Rasa 3.6 runs on Python 3.8-3.10 only).
Looked for: $PYTHON, `python3.10` on PATH, and pyenv's versions/3.10.*.
Install it (for example `pyenv install 3.10.13`) or set PYTHON=/path/to/python3.10.
MSG
    exit 1
  fi
  echo "Creating $VENV with $PY"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
fi

echo "Installing locked dependencies into $VENV (first time takes a few minutes)..."
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "pip==24.0" 2>&1 | grep -v "^WARNING: Location" || true
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.lock 2>&1 | grep -v "^WARNING: Location" || true
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . 2>&1 | grep -v "^WARNING: Location" || true
# pip's exit code is hidden by the filters above: check the result instead.
"$VENV/bin/python" -c 'import importlib.util as u, sys
sys.exit(any(u.find_spec(m) is None for m in ("rasa", "rasa_sdk", "medspacy", "sqlalchemy", "bot")))' \
  || { echo "error: dependency install failed (see pip output above)" >&2; exit 1; }
echo "$wanted" > "$STAMP"
"$VENV/bin/python" -m bot.ops.vectors
