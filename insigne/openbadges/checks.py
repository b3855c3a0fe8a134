"""The outcome of one verification step, with a stable code and a French message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    code: str
    ok: bool
    message_fr: str


def passed(checks: list[Check]) -> bool:
    """True when there is at least one check and none failed."""
    return bool(checks) and all(check.ok for check in checks)
