"""The spaCy/medspaCy red-flag detector and the Rasa NLU component that runs it."""
