"""The nurses' review workspace: a Flask app separate from the public Rasa
server, and its own logic (accounts, audit log, indexer, queue, transcripts,
nurse actions, retention)."""
