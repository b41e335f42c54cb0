"""The back-pain nurse-line assistant's own code: one package feeding four
processes (see "What runs where" in the README).

  core/      pure rules, no Rasa/Flask/SQL: triage, contacts, reply texts, names
  nlu/       the spaCy/medspaCy red-flag detector and its Rasa NLU component
  server/    what `rasa run` loads: channels, fail-safe, tracker and lock stores
  store/     the database: engine, models, migrations, handoffs, SMS state
  review/    the nurses' workspace (Flask) and its logic
  eval/      evaluation report and scoring
  ops/       starting and training the servers, nginx in front of several
  devtools/  fakes and synthetic data for tests, benchmarks and local use
"""
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
