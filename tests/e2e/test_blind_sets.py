"""The red-flag batches played against the running assistant: each must not
fall below its floor (tests/sets/__init__.py, RED_FLAG_BATCHES). Never tune
on a blind set before its first run; see tests/sets/README.md."""
import pytest

from bot.eval import first_replies, vignette_runner
from tests.sets import RED_FLAG_BATCHES

BATCHES = sorted(RED_FLAG_BATCHES, key=str)


@pytest.mark.parametrize("batch", BATCHES, ids=lambda p: p.name)
def test_first_replies_to_the_red_flag_phrasings_hold_their_floor(server, batch):
    floors = RED_FLAG_BATCHES[batch]
    summary = first_replies.run(server.url, batch / "red_flag_phrasings.yml", server.env["RASA_AUTH_TOKEN"])
    print(first_replies.report(summary))
    rates = {f["name"]: f["rate"] for f in summary["figures"]}
    assert set(floors) - set(rates) <= {name for name in floors if name.startswith("vignette")}
    below = {name: (rates[name], floor) for name, floor in floors.items()
             if name in rates and rates[name] < floor}
    assert below == {}


@pytest.mark.parametrize("batch", BATCHES, ids=lambda p: p.name)
def test_the_vignettes_hold_their_floor(server, batch):
    floors = RED_FLAG_BATCHES[batch]
    summary = vignette_runner.run(server.url, batch / "vignettes.yml", server.env["RASA_AUTH_TOKEN"])
    print(vignette_runner.report(summary))
    assert summary["emergency_sensitivity"] >= floors["vignette emergency sensitivity"]
    assert summary["under_triage"] <= floors["vignette under-triage at most"]
    assert summary["self_care_over_triage_rate"] <= floors["vignette self-care over-triage at most"]
    assert summary["self_care_escalated_rate"] <= floors["vignette self-care sent to a nurse or 911 at most"]
