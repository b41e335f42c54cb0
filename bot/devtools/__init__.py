"""Fakes and synthetic data for tests, benchmarks and local use: the SMS
simulator with its fake Twilio Messages API, and synthetic conversations."""
