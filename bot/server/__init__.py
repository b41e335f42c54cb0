"""What `rasa run` loads besides the model: the channels named in
credentials.yml, the tracker and lock stores named in endpoints.yml, the
fail-safe reply, and the widget's web files.

Rasa imports this package before any of them, so this is where the logs lose
their identifiers (bot/ops/log_redaction.py) and the one place that changes
Rasa's own code: our speed-ups (see rasa_speedups.py), and the time
Rasa waits for the action server. Rasa waits five minutes; a person must not.
After ACTION_TIMEOUT_SECONDS the action counts as failed and the channel's
fail-safe reply carries the CareLine (bot/server/channels/rest.py).
"""
import os

import rasa.core.actions.action

from bot.ops import log_redaction
from bot.server import rasa_speedups

log_redaction.install()
rasa_speedups.apply()
rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT = float(os.environ.get("ACTION_TIMEOUT_SECONDS", "5"))
