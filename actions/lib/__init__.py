"""Helpers shared by the actions: reading the tracker, sending messages."""
