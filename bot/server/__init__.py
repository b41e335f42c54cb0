"""What `rasa run` loads besides the model: the channels named in
credentials.yml, the tracker and lock stores named in endpoints.yml, the
fail-safe reply, and the widget's web files.

Rasa imports this package before any of them, so this is the one place that
applies our speed-ups to Rasa's own code (see rasa_speedups.py).
"""
from bot.server import rasa_speedups

rasa_speedups.apply()
