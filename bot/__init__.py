"""Project package for the back-pain nurse-line assistant.

Everything that is not a Rasa training file or a rasa_sdk action lives here.
Modules are pure logic unless their name says otherwise (cli, training).
"""
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
