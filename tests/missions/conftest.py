"""The mission tests' fixture; the helpers they share are in ``tests.missions.helpers``."""

from __future__ import annotations

import pytest


@pytest.fixture
def make_csv(tmp_path):  # type: ignore[no-untyped-def]
    def write(content: str | bytes, name: str = "missions.csv"):  # type: ignore[no-untyped-def]
        path = tmp_path / name
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    return write
