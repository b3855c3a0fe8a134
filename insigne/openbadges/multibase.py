"""Multibase encodings used by Data Integrity and Multikey (base58btc ``z``, base64url ``u``)."""

from __future__ import annotations

import base64

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: value for value, char in enumerate(_ALPHABET)}
# Multicodec prefix of an Ed25519 public key (0xed, varint-encoded).
ED25519_PUB_PREFIX = b"\xed\x01"


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(_ALPHABET[rest])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(digits))


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in _INDEX:
            raise ValueError("not base58btc")
        number = number * 58 + _INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * zeros + body


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def multibase_z(data: bytes) -> str:
    return "z" + base58btc_encode(data)


def decode_multibase_z(text: str) -> bytes:
    if not text.startswith("z"):
        raise ValueError("not a base58btc multibase value")
    return base58btc_decode(text[1:])


def ed25519_multikey(public_key: bytes) -> str:
    """``publicKeyMultibase`` of an Ed25519 key: ``z6Mk...``."""
    return multibase_z(ED25519_PUB_PREFIX + public_key)
