"""The nurses' review workspace (a Flask app, separate from the public Rasa server)."""
