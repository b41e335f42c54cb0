"""Rasa's own checks: data validation without warnings and test stories."""
import subprocess
import sys

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
    # and still exits 0, so look for them too.
    warnings = [line for line in output.splitlines() if "UserWarning" in line]
    assert warnings == []


def test_story_predictions_are_all_correct(trained_model, tmp_path):
    result = run(["test", "core", "--model", str(trained_model),
                  "--stories", "tests/stories", "--fail-on-prediction-errors",
                  "--out", str(tmp_path), "--no-plot"])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    failed = (tmp_path / "failed_test_stories.yml").read_text()
    assert "None of the test stories failed" in failed, failed
