"""Custom Rasa NLU components and the spaCy/medspaCy red-flag detector."""
