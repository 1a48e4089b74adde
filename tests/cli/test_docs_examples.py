"""Every `tradelab` command in the README's tour runs as written (data paths pointed at real files)."""
import re
import shlex
import shutil
from pathlib import Path

import pytest

from reference.test_backtesting_py import GOOG_CSV, random_walk_csv

ROOT = Path(__file__).resolve().parents[2]


def readme_commands():
    text = (ROOT / "README.md").read_text()
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        joined = re.sub(r"\\\n\s*", " ", block)
        commands += [line.strip() for line in joined.splitlines() if line.strip().startswith("tradelab ")]
    return commands


def test_readme_has_a_tour():
    assert len(readme_commands()) >= 8


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs(tradelab, tmp_path, command):
    args = shlex.split(command)[1:]
    # The tour's files: synthetic sample data (small), GOOG, and a generic prices.csv.
    tradelab("data", "sample", "--out", tmp_path / "data", "--days", 20, "--symbol", "BTCUSDT", "--symbol", "ETHUSDT")
    shutil.copy(GOOG_CSV, tmp_path / "GOOG.csv")
    shutil.copy(random_walk_csv(tmp_path, 9), tmp_path / "prices.csv")
    (tmp_path / "strategies").symlink_to(ROOT / "strategies")
    if args[0] == "data" and args[1] == "sample":
        args += ["--symbol", "BTCUSDT"]
    if args[0] == "bench":
        args += ["--bars", "20000", "--repeats", "1"]
    proc = tradelab(*args, cwd=tmp_path)
    assert (proc.stdout + proc.stderr).strip(), "printed nothing"
