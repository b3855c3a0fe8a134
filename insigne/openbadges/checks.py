"""The outcome of one verification step.

``code`` names the check (``signature``, ``schema``, ``key_binding``…: stable, for
programs); ``reason`` names the sentence that explains its outcome, a key of
``insigne.platform.messages`` filled with ``params``. The core says *what* it
found; the layers that speak to people say it, in their language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from insigne.platform.errors import CodedError


@dataclass(frozen=True)
class Check:
    code: str
    ok: bool
    reason: str
    params: Mapping[str, str | int | date] = field(default_factory=dict)

    @classmethod
    def success(cls, code: str, reason: str, **params: str | int | date) -> Check:
        return cls(code, True, reason, params)

    @classmethod
    def failure(cls, code: str, reason: str = "", **params: str | int | date) -> Check:
        """A failed check; its sentence is ``reason``, or the code itself."""
        return cls(code, False, reason or code, params)

    @classmethod
    def from_error(cls, error: CodedError, code: str = "") -> Check:
        """The failed check ``code`` (by default the error's own) explained by ``error``."""
        return cls(code or error.code, False, error.reason, error.params)


def passed(checks: list[Check]) -> bool:
    """True when there is at least one check and none failed."""
    return bool(checks) and all(check.ok for check in checks)
