"""Shared fixtures: the tradelab binary under test, run as a real process."""
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _binary() -> Path:
    path = Path(os.environ.get("TRADELAB_BIN", ROOT / ".build" / "debug" / "tradelab"))
    if not path.is_absolute():
        path = ROOT / path
    if not path.exists():
        raise RuntimeError(f"tradelab binary not found at {path}: run `swift build` (make test does it)")
    return path


class Tradelab:
    """Runs the CLI and returns the completed process."""

    def __init__(self, binary: Path):
        self.binary = binary

    def __call__(self, *args, check=True, **kwargs) -> subprocess.CompletedProcess:
        proc = subprocess.run([str(self.binary), *map(str, args)], capture_output=True, text=True, timeout=300, **kwargs)
        if check and proc.returncode != 0:
            raise AssertionError(f"tradelab {' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stderr}")
        return proc

    def json(self, *args) -> dict:
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture(scope="session")
def tradelab() -> Tradelab:
    return Tradelab(_binary())
