"""Input channels: REST (with a fail-safe reply), later the web widget and SMS."""
