"""rasa_sdk action server package: thin actions, one concern per module."""
