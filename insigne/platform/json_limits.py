"""JSON from outside, with a depth limit checked before parsing, without recursion.

Python's JSON parser, and everything that walks the result (JSON-LD expansion,
JSON Schema, our own walks), recurse once per level: a document nested 100,000
deep would exhaust the stack (``RecursionError``). :func:`loads` measures the
nesting of the text first, with one regular-expression pass that skips strings
and a running count (no recursion at any depth), and refuses anything deeper
than :data:`MAX_DEPTH` with :class:`JsonTooDeep`. :func:`depth` measures a value
already in memory, iteratively too.

Plain Python: the Open Badges core uses it.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from insigne.platform.errors import CodedError

# A badge nests about eight levels; 32 leaves room for any honest document and
# keeps every recursive walker far from Python's recursion limit.
MAX_DEPTH = 32
# A string (escapes included), or one bracket. Strings are skipped whole.
_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class JsonTooDeep(CodedError, ValueError):
    """JSON nested deeper than the limit (a ``ValueError``, like any unreadable JSON)."""


def text_depth(text: str | bytes) -> int:
    """The deepest nesting of brackets in JSON ``text`` outside strings (iterative)."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    steps = (_STEP.get(match[0][0], 0) for match in _TOKENS.finditer(raw))
    return max(accumulate(steps, initial=0))


def loads(text: str | bytes, max_depth: int = MAX_DEPTH, **options: Any) -> Any:
    """``json.loads(text, **options)``, refused with :class:`JsonTooDeep` when nested too deep."""
    if text_depth(text) > max_depth:
        raise JsonTooDeep("json_too_deep", max=max_depth)
    return json.loads(text, **options)


def depth(value: Any) -> int:
    """The nesting depth of a parsed JSON value (lists and dicts), measured iteratively."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        deepest = max(deepest, level + 1)
        pending.extend((child, level + 1) for child in children)
    return deepest


def check_depth(value: Any, max_depth: int = MAX_DEPTH) -> None:
    """Raise :class:`JsonTooDeep` when ``value`` nests deeper than ``max_depth``."""
    if depth(value) > max_depth:
        raise JsonTooDeep("json_too_deep", max=max_depth)
