"""Errors with a stable code: pages pick their message by code, tests assert on it."""

from __future__ import annotations


class CodedError(ValueError):
    """``message`` is for people (French); ``code`` is stable, for programs and tests."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
