"""Running the assistant: the process supervisor behind `bot run`, training
(only when the inputs changed), the endpoints Rasa is given, and a small
round-robin proxy for several Rasa servers on one machine."""
