"""Every Python example of docs/api.md runs, in order, in one namespace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", DOC.read_text("utf-8"), flags=re.S | re.M)


def test_the_page_has_examples_of_each_part():
    assert len(BLOCKS) >= 6
    text = "\n".join(BLOCKS)
    for call in ("RecoveryModel(", ".step()", "run_many(", "mesa.batch_run(", "read_runs("):
        assert call in text, call


def test_examples_run(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__api_docs__"}
    for i, block in enumerate(BLOCKS):
        try:
            exec(compile(block, f"docs/api.md block {i + 1}", "exec"), namespace)
        except Exception as exc:  # noqa: BLE001 - name the failing block
            pytest.fail(f"docs/api.md block {i + 1} failed: {type(exc).__name__}: {exc}")
    out = capsys.readouterr().out
    assert "1 1 True" in out and "80.0" in out
