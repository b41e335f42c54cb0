"""The commands `bot run` starts, read back by the programs that take them."""
from pathlib import Path

from bot import settings
from bot.ops import serve


def test_a_token_that_begins_with_a_dash_reaches_rasa_as_the_token(monkeypatch, tmp_path):
    """secrets.token_urlsafe begins with "-" one time in 64: a fresh clone's
    made-up RASA_AUTH_TOKEN once stopped `rasa run` with "expected one argument"."""
    from rasa.__main__ import create_argument_parser

    spawned = []
    monkeypatch.setattr(serve.Stack, "_spawn", lambda self, args: spawned.append(args))
    env = settings.runtime_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
                                "RASA_AUTH_TOKEN": "-mVJ2kqS0eXample-token"})
    serve.Stack(Path("models/m.tar.gz"), env).start(with_actions=False, with_review=False)
    (rasa_command,) = spawned
    assert rasa_command[:3] == ["-m", "rasa", "run"]
    parsed = create_argument_parser().parse_args(rasa_command[2:])
    assert parsed.auth_token == "-mVJ2kqS0eXample-token"
