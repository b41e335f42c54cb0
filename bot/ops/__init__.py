"""Running the assistant: the process supervisor behind `bot run`, training
(only when the inputs changed), the endpoints Rasa is given, and nginx with
the shipped deploy/nginx.conf in front of several Rasa servers."""
