"""Measuring the assistant: the evaluation report (`bot eval`), the vignette
runner, red-flag scoring and readability. Data paths are passed in."""
