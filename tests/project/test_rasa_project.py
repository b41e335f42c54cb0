"""Rasa's own checks: data validation without warnings and test stories."""
import re
import subprocess
import sys

import yaml

from bot import PROJECT_ROOT, settings


def run(args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "rasa", *args], cwd=PROJECT_ROOT, env=settings.runtime_env(),
        capture_output=True, text=True, **kwargs,
    )


def test_rasa_data_validate_has_no_warnings():
    result = run(["data", "validate", "--fail-on-warnings", "--config", "config.yml",
                  "--domain", "domain.yml", "--data", "data"])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    # Rasa only reports some problems (unused intents or responses) as warnings
    # and still exits 0, so look for them too. Responses that forms ask with
    # (utter_ask_<slot>) or that actions send by name are used, even though
    # Rasa's validator only looks in stories and rules.
    warnings = [line for line in output.splitlines()
                if "UserWarning" in line and not used_by_code(line)]
    assert warnings == []


def used_by_code(warning: str) -> bool:
    match = re.search(r"The utterance '(utter_\w+)' is not used in any story or rule", warning)
    if not match:
        return False
    name = match.group(1)
    code = "\n".join(p.read_text() for p in (PROJECT_ROOT / "actions").rglob("*.py"))
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    form_slots = {slot for form in domain.get("forms", {}).values()
                  for slot in form["required_slots"]}
    if name.startswith("utter_ask_") and name[len("utter_ask_"):] in form_slots:
        return True
    if f'"{name}"' in code:
        return True
    # f"utter_unclear_{slot}" in actions/symptom_form.py
    prefix = next((p for p in re.findall(r'f"(utter_\w+_)\{slot\}"', code) if name.startswith(p)), None)
    return prefix is not None and name[len(prefix):] in form_slots


def test_story_predictions_are_all_correct(trained_model, tmp_path):
    result = run(["test", "core", "--model", str(trained_model),
                  "--stories", "tests/stories", "--fail-on-prediction-errors",
                  "--out", str(tmp_path), "--no-plot"])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    failed = (tmp_path / "failed_test_stories.yml").read_text()
    assert "None of the test stories failed" in failed, failed


def test_the_generated_rules_are_up_to_date():
    """data/rules/interruptions.yml and escalation.yml are what
    scripts/make_generated_rules.py writes from the answer rules."""
    import importlib.util

    path = PROJECT_ROOT / "scripts" / "make_generated_rules.py"
    spec = importlib.util.spec_from_file_location("make_generated_rules", path)
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    rules = PROJECT_ROOT / "data" / "rules"
    assert (rules / "interruptions.yml").read_text() == generator.interruptions()
    assert (rules / "escalation.yml").read_text() == generator.escalation()
    assert (rules / "suspicion.yml").read_text() == generator.suspicion()
