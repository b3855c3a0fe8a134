"""The one error base: a stable code and the values its sentence needs.

Plain Python (the Open Badges core raises these too). The sentence for people is
not carried by the error: ``insigne.platform.messages`` maps each code to its
French text (and English translation), so the verifier, the pages and the API
say the same thing in the same words.
"""

from __future__ import annotations

from datetime import date


class CodedError(Exception):
    """``code`` is stable, for programs and tests; ``reason`` names its sentence in the
    messages table (by default the code itself), and ``params`` fill it.
    """

    def __init__(self, code: str, *, reason: str = "", **params: str | int | date) -> None:
        super().__init__(code)
        self.code = code
        self.reason = reason or code
        self.params = params
