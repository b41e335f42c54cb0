"""Input channels named in credentials.yml: REST (with a fail-safe reply), the
web widget and SMS through Twilio."""
