"""The OB 3.0 revocation list: a W3C Bitstring Status List credential.

Bit ``i`` (counted from the most significant bit of the first byte) is 1 when
the credential with ``status_index == i`` is revoked. The list has at least
131,072 bits so that it hides which badges are checked, is GZIP-compressed and
written as multibase base64url (``u...``), and is signed like the badges.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable
from typing import Any

from insigne.openbadges.multibase import b64url_decode, b64url_encode
from insigne.openbadges.ob3 import did_web, status_list_url
from insigne.openbadges.rdf.jsonld import VC_V2

MINIMUM_BITS = 131_072


def encode_status_list(revoked: Iterable[int], size: int = MINIMUM_BITS) -> str:
    indexes = sorted(set(revoked))
    bits = max(size, (indexes[-1] + 8) // 8 * 8 if indexes else 0)
    data = bytearray(bits // 8)
    for index in indexes:
        data[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same revocations always give the same bytes.
    return "u" + b64url_encode(gzip.compress(bytes(data), mtime=0))


# A list is at least 16 KiB once inflated; a few MiB is already generous, and a
# hostile list read by the verifier must not inflate into gigabytes.
MAX_LIST_BYTES = 4 * 1024 * 1024


def is_set(encoded_list: str, index: int) -> bool:
    """Whether bit ``index`` of an encoded list is set (the verifier's side).

    Raises ``ValueError`` for a value that is not a GZIP'd base64url list, one
    that inflates beyond ``MAX_LIST_BYTES``, or an index outside it.
    """
    if not encoded_list.startswith("u"):
        raise ValueError("not a base64url multibase value")
    inflater = zlib.decompressobj(wbits=31)  # gzip framing
    try:
        data = inflater.decompress(b64url_decode(encoded_list[1:]), MAX_LIST_BYTES)
    except zlib.error as error:
        raise ValueError("not a gzip status list") from error
    if inflater.unconsumed_tail:
        raise ValueError("status list too large")
    if index // 8 >= len(data):
        raise ValueError("index outside the status list")
    return bool(data[index // 8] & (0x80 >> (index % 8)))


def build_status_list_credential(
    site_url: str, encoded_list: str, valid_from: str
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` at ``{site}/ob3/status/1``."""
    url = status_list_url(site_url)
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did_web(site_url),
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }
