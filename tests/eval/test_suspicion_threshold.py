"""The suspicion net's threshold table (bot/eval/suspicion_threshold.py)."""
import numpy as np

from bot.eval.suspicion_threshold import table


def test_the_table_gives_the_share_above_each_threshold():
    scores = {"red_flag": np.array([0.9, 0.65, 0.2, 0.7]), "ordinary": np.array([0.1, 0.61, 0.3, 0.2])}
    lines = table(scores, thresholds=(0.6, 0.8)).splitlines()
    assert lines[2].split() == ["0.6", "75.0%", "25.00%"]
    assert lines[3].split() == ["0.8", "25.0%", "0.00%"]
