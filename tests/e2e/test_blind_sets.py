"""The frozen blind batch played against the running assistant: it must not
fall below its first run (tests/sets/__init__.py, BLIND_FLOORS). Never tune
on these sets; see tests/sets/README.md."""
from bot.eval import first_replies, vignette_runner
from tests.sets import BLIND, BLIND_FLOORS


def test_first_replies_to_the_blind_phrasings_hold_their_floor(server):
    summary = first_replies.run(server.url, BLIND / "red_flag_phrasings.yml")
    print(first_replies.report(summary))
    assert summary["messages"] == 600
    rates = {f["name"]: f["rate"] for f in summary["figures"]}
    below = {name: (rates[name], floor) for name, floor in BLIND_FLOORS.items()
             if name in rates and rates[name] < floor}
    assert below == {}


def test_blind_vignettes_hold_their_floor(server):
    summary = vignette_runner.run(server.url, BLIND / "vignettes.yml")
    print(vignette_runner.report(summary))
    assert summary["vignettes"] == 120
    assert summary["emergency_sensitivity"] >= BLIND_FLOORS["vignette emergency sensitivity"]
    assert summary["under_triage"] <= BLIND_FLOORS["vignette under-triage at most"]
    assert (summary["self_care_over_triage_rate"]
            <= BLIND_FLOORS["vignette self-care over-triage at most"])
