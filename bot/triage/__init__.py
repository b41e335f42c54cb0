"""Red-flag rules, disposition levels and the rule table (pure Python, no Rasa)."""
