"""Shared fixtures. The model is trained once per test run (and reused across
runs when the training inputs have not changed; see bot/training.py)."""
from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from bot import PROJECT_ROOT, settings, training

os.environ.update({k: v for k, v in settings.runtime_env().items() if k not in os.environ})


@pytest.fixture(scope="session")
def domain() -> Dict:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())


@pytest.fixture(scope="session")
def trained_model() -> Path:
    return training.ensure_model(settings.runtime_env())


@pytest.fixture(scope="session")
def nlu_parser(trained_model):
    """parse(texts) -> list of Rasa parse results, from the trained model in-process."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(trained_model))

    def parse(texts: List[str]) -> List[Dict]:
        async def run():
            return [await agent.parse_message(text) for text in texts]

        return asyncio.run(run())

    return parse
