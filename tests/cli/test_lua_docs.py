"""Every ```lua example in docs/lua-api.md runs as a strategy without error."""
import re
from pathlib import Path

import pytest

from reference.test_backtesting_py import GOOG_CSV

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = re.findall(r"```lua\n(.*?)```", (ROOT / "docs" / "lua-api.md").read_text(), re.S)


def test_the_api_page_has_examples():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_lua_api_example_runs(tradelab, tmp_path, index):
    script = tmp_path / f"example{index}.lua"
    script.write_text(EXAMPLES[index])
    result = tradelab.json("backtest", "--data", GOOG_CSV, "--strategy", script, "--allow-short")
    assert result["data"]["bars"] == 2148
    assert result["strategy"].startswith(f"example{index}.lua")
