"""A second, independent verifier accepts our eddsa-rdfc-2022 proofs.

It shares nothing with ``proof.py`` or ``canon.py``: the JSON-LD goes to N-Quads
through pyld ``to_rdf``, Oxigraph computes the RDFC-1.0 canonical form, the
public key comes from our ``did:web`` document, and ``cryptography`` checks
the signature as the W3C vc-di-eddsa specification describes.
"""

import hashlib
import json
import random

import pyoxigraph
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

from insigne.openbadges.issuance import issue
from insigne.openbadges.keys import IssuerKeys, did_document, new_key
from insigne.openbadges.rdf.jsonld import document_loader
from tests.samples import SITE_URL, demo_facts, hostile_facts

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(text):
    number = 0
    for char in text:
        number = number * 58 + B58.index(char)
    return number.to_bytes(64 if len(text) > 60 else 34, "big")


def oxigraph_canonical(document):
    nquads = jsonld.to_rdf(
        document, {"format": "application/n-quads", "documentLoader": document_loader}
    )
    dataset = pyoxigraph.Dataset(pyoxigraph.parse(nquads, format=pyoxigraph.RdfFormat.N_QUADS))
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    lines = [f"{quad} .\n" for quad in dataset]
    return "".join(sorted(lines))


def independent_verify(signed_json, did_doc):
    document = json.loads(signed_json)
    (proof,) = document.pop("proof")
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    config["@context"] = document["@context"]
    data = hashlib.sha256(oxigraph_canonical(config).encode()).digest()
    data += hashlib.sha256(oxigraph_canonical(document).encode()).digest()
    (method,) = [m for m in did_doc["verificationMethod"] if m["id"] == proof["verificationMethod"]]
    multikey = b58decode(method["publicKeyMultibase"][1:])
    assert multikey[:2] == b"\xed\x01"
    public_key = Ed25519PublicKey.from_public_bytes(multikey[2:])
    public_key.verify(b58decode(proof["proofValue"][1:]), data)  # raises if invalid


def test_oxigraph_and_cryptography_accept_our_proofs():
    keys = IssuerKeys(keys=(new_key("key-1"),), site_url=SITE_URL)
    did_doc = did_document(keys)
    independent_verify(issue(demo_facts(), keys).ob3_json, did_doc)
    rng = random.Random(11)
    for index in range(40):
        facts = hostile_facts(rng, index)
        if facts.issuer.site_url != SITE_URL:
            continue
        independent_verify(issue(facts, keys).ob3_json, did_doc)


def test_the_independent_verifier_rejects_a_tampered_credential():
    keys = IssuerKeys(keys=(new_key("key-1"),), site_url=SITE_URL)
    signed = issue(demo_facts(), keys).ob3_json.replace("Camille Exemple", "Camille Exempel")
    with pytest.raises(InvalidSignature):
        independent_verify(signed, did_document(keys))
