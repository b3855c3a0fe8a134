"""Open Badges 2.0: hosted assertions (the common case) and signed ones (a JWS).

Hosted verification trusts the issuer's web server: the assertion is fetched
again from its own ``id``, must be the same document, and its badge class and
issuer profile must be reachable, with the assertion hosted on the issuer's own
origin (or one the issuer profile allows). A signed assertion is checked with
the issuer's ``CryptographicKey``, which must name the issuer as its owner.
Our own assertions are compared with the database instead of over HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.conf import settings

from insigne.badges.models import Credential
from insigne.openbadges import ob2
from insigne.openbadges.checks import Check
from insigne.openbadges.jose import vcjwt as jwt
from insigne.openbadges.rdf.jsonld import OPENBADGES_V2
from insigne.verifier.checks import (
    Identity,
    date_checks,
    parse_datetime,
    recipient_check,
)
from insigne.verifier.fetch import FetchError, fetch, fetch_json, parse_json
from insigne.verifier.result import Summary
from insigne.verifier.status import (
    database_status,
    ob2_revocation_list,
    our_credential,
    our_public_id,
)

REQUIRED = ("id", "type", "recipient", "badge", "verification", "issuedOn")
HOSTED = ("hosted", "HostedBadge")
SIGNED = ("signed", "SignedBadge")


class Ob2Problem(Exception):
    def __init__(self, code: str, message_fr: str) -> None:
        super().__init__(message_fr)
        self.check = Check(code, False, message_fr)


def is_ob2(document: Mapping[str, Any]) -> bool:
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    return OPENBADGES_V2 in contexts or document.get("type") == "Assertion"


def verification_type(document: Mapping[str, Any]) -> str:
    verification = document.get("verification")
    value = verification.get("type") if isinstance(verification, Mapping) else None
    return "hosted" if value in HOSTED else "signed" if value in SIGNED else ""


def shape_check(document: Mapping[str, Any]) -> Check:
    missing = [name for name in REQUIRED if not document.get(name)]
    recipient = document.get("recipient")
    if not isinstance(recipient, Mapping) or not recipient.get("identity"):
        missing.append("recipient.identity")
    if not verification_type(document):
        missing.append("verification.type")
    if missing:
        fields = ", ".join(sorted(set(missing)))
        return Check(
            "shape", False, f"Il manque des champs obligatoires Open Badges 2.0 : {fields}."
        )
    return Check("shape", True, "Le badge contient tous les champs obligatoires Open Badges 2.0.")


def _document(value: Any, expected: tuple[str, ...], code: str, what: str) -> Mapping[str, Any]:
    """An embedded or linked document of one of the ``expected`` types, else ``Ob2Problem``."""
    try:
        document = fetch_json(value) if isinstance(value, str) else value
    except FetchError as error:
        raise Ob2Problem(code, f"{what} n'a pas pu être obtenu ({value}).") from error
    if not isinstance(document, Mapping) or document.get("type") not in expected:
        raise Ob2Problem(code, f"{what} est illisible ou n'a pas le bon type.")
    if not isinstance(document.get("name"), str):
        raise Ob2Problem(code, f"{what} n'a pas de nom.")
    return document


def _badge_and_issuer(assertion: Mapping[str, Any]) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    badge = _document(assertion.get("badge"), ("BadgeClass",), "badge_class", "Le modèle de badge")
    issuer = _document(
        badge.get("issuer"), ("Issuer", "Profile"), "issuer_profile", "Le profil de l'émetteur"
    )
    return badge, issuer


def _allowed_origin(assertion_id: str, issuer: Mapping[str, Any]) -> bool:
    host = urlsplit(assertion_id).hostname or ""
    if host and host == urlsplit(str(issuer.get("id", ""))).hostname:
        return True
    policy = issuer.get("verification")
    if not isinstance(policy, Mapping):
        return False
    origins = policy.get("allowedOrigins") or []
    origins = [origins] if isinstance(origins, str) else origins
    starts = policy.get("startsWith") or []
    starts = [starts] if isinstance(starts, str) else starts
    return host in origins or any(assertion_id.startswith(prefix) for prefix in starts)


def _fetch_hosted(assertion: Mapping[str, Any]) -> list[Check]:
    url = str(assertion["id"])
    try:
        fetched = fetch(url)
        if fetched.status == 410:
            return [Check("revoked", False, "L'émetteur a retiré ce badge (révoqué).")]
        published = parse_json(fetched)
    except FetchError as error:
        raise Ob2Problem(
            "hosted", f"Le badge n'a pas pu être obtenu à son adresse ({url})."
        ) from error
    if isinstance(published, Mapping) and published.get("revoked") is True:
        return [Check("revoked", False, "L'émetteur a révoqué ce badge.")]
    if published != assertion:
        raise Ob2Problem(
            "hosted", "Le badge diffère de celui que l'émetteur publie : il a été modifié."
        )
    return [
        Check("hosted", True, "Le badge est identique à celui que l'émetteur publie à son adresse.")
    ]


def _binding(assertion_id: str, issuer: Mapping[str, Any]) -> Check:
    if not _allowed_origin(assertion_id, issuer):
        message = "Le badge n'est pas hébergé sur le site de l'émetteur qu'il annonce."
        raise Ob2Problem("key_binding", message)
    return Check("key_binding", True, "Le badge est hébergé sur le site de son émetteur.")


def _foreign_hosted(assertion: Mapping[str, Any]) -> tuple[list[Check], Summary]:
    checks = _fetch_hosted(assertion)
    if checks[0].code == "revoked":
        return checks, Summary(version="ob2", credential_id=str(assertion["id"]))
    badge, issuer = _badge_and_issuer(assertion)
    checks += [
        Check("badge_class", True, "Le modèle de badge et le profil de l'émetteur sont publiés."),
        _binding(str(assertion["id"]), issuer),
        *ob2_revocation_list(issuer, str(assertion["id"])),
    ]
    return checks, _summary(assertion, badge, issuer)


def _summary(
    assertion: Mapping[str, Any], badge: Mapping[str, Any], issuer: Mapping[str, Any]
) -> Summary:
    return Summary(
        version="ob2",
        credential_id=str(assertion.get("id", "")),
        issuer_id=str(issuer.get("id", "")),
        issuer_name=str(issuer.get("name", "")),
        issuer_url=str(issuer.get("url", "")),
        achievement_name=str(badge.get("name", "")),
        achievement_description=str(badge.get("description", "")),
        issued_at=parse_datetime(assertion.get("issuedOn")),
        expires_at=parse_datetime(assertion.get("expires")),
    )


def _our_summary(assertion: Mapping[str, Any], credential: Credential) -> Summary:
    return Summary(
        version="ob2",
        credential_id=str(assertion.get("id", "")),
        issuer_id=ob2.issuer_url(settings.SITE_URL),
        issuer_name=settings.INSIGNE_ISSUER_NAME,
        issuer_url=settings.INSIGNE_ISSUER_URL,
        recipient_name=f"{credential.given_name} {credential.family_name}".strip(),
        achievement_name=credential.badge_class.name,
        achievement_description=str(credential.badge_class.criteria),
        issued_at=parse_datetime(assertion.get("issuedOn")),
        issuer_is_us=True,
    )


def _our_hosted(assertion: Mapping[str, Any], public_id: str) -> tuple[list[Check], Summary]:
    credential = our_credential(public_id)
    if credential is None:
        return database_status(None), Summary(version="ob2", credential_id=str(assertion["id"]))
    if json.loads(credential.ob2_json) != assertion:
        raise Ob2Problem(
            "hosted", "Le badge diffère de celui que l'émetteur publie : il a été modifié."
        )
    checks = [
        Check(
            "hosted", True, "Le badge est identique à celui que l'émetteur publie à son adresse."
        ),
        Check("key_binding", True, "Le badge est hébergé sur le site de son émetteur."),
        *database_status(credential),
    ]
    return checks, _our_summary(assertion, credential)


def _identities(assertion: Mapping[str, Any]) -> list[Identity]:
    recipient = assertion.get("recipient")
    if not isinstance(recipient, Mapping):
        return []
    return [
        Identity(
            str(recipient.get("identity", "")),
            bool(recipient.get("hashed")),
            str(recipient.get("salt") or ""),
        )
    ]


def _common(assertion: Mapping[str, Any], expected_email: str | None) -> list[Check]:
    checks = date_checks(assertion.get("issuedOn"), assertion.get("expires"))
    if expected_email:
        checks.append(recipient_check(_identities(assertion), expected_email))
    return checks


def verify_ob2_json(
    assertion: Mapping[str, Any], expected_email: str | None
) -> tuple[list[Check], Summary]:
    shape = shape_check(assertion)
    empty = Summary(version="ob2", credential_id=str(assertion.get("id", "")))
    if not shape.ok:
        return [shape], empty
    if verification_type(assertion) != "hosted":
        message = (
            "Ce badge signé doit être fourni avec sa signature (le jeton JWS), pas en JSON seul."
        )
        return [shape, Check("signature", False, message)], empty
    public_id = our_public_id(str(assertion["id"]), ("/ob2/assertions/",))
    try:
        if public_id is not None:
            checks, summary = _our_hosted(assertion, public_id)
        else:
            checks, summary = _foreign_hosted(assertion)
    except Ob2Problem as problem:
        checks, summary = [problem.check], empty
    return [shape, *checks, *_common(assertion, expected_email)], summary


# --- signed assertions (JWS) ----------------------------------------------------


def _verify_jws(token: str, pem: str) -> bool:
    header, _payload, signing_input, signature = jwt.decode(token)
    key = load_pem_public_key(pem.encode())
    try:
        if header.get("alg") == "RS256" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
        elif header.get("alg") == "EdDSA" and isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, signing_input)
        else:
            return False
    except InvalidSignature:
        return False
    return True


def _signed_checks(token: str, assertion: Mapping[str, Any]) -> tuple[list[Check], Summary]:
    badge, issuer = _badge_and_issuer(assertion)
    creator = (assertion.get("verification") or {}).get("creator")
    key = _document_key(creator)
    if key.get("owner") != issuer.get("id"):
        raise Ob2Problem(
            "key_binding", "La clé de signature n'appartient pas à l'émetteur du badge."
        )
    if not _verify_jws(token, str(key.get("publicKeyPem", ""))):
        raise Ob2Problem("signature", "La signature ne correspond pas : le badge a été modifié.")
    checks = [
        Check("key_binding", True, "La clé de signature appartient bien à l'émetteur du badge."),
        Check("signature", True, "La signature de l'émetteur est valide."),
        *ob2_revocation_list(issuer, str(assertion.get("id", ""))),
    ]
    return checks, _summary(assertion, badge, issuer)


def _document_key(creator: Any) -> Mapping[str, Any]:
    if not isinstance(creator, str):
        raise Ob2Problem("key_unknown", "Le badge ne désigne pas la clé qui l'a signé.")
    try:
        key = fetch_json(creator)
    except FetchError as error:
        raise Ob2Problem(
            "key_unreachable", f"La clé publique de l'émetteur n'a pas pu être obtenue ({creator})."
        ) from error
    if not isinstance(key, Mapping) or not isinstance(key.get("publicKeyPem"), str):
        raise Ob2Problem("key_unknown", "La clé publique de l'émetteur est illisible.")
    return key


def verify_ob2_jws(
    token: str, assertion: Mapping[str, Any], expected_email: str | None
) -> tuple[list[Check], Summary]:
    shape = shape_check(assertion)
    empty = Summary(version="ob2", credential_id=str(assertion.get("id", "")))
    if not shape.ok:
        return [shape], empty
    try:
        checks, summary = _signed_checks(token, assertion)
    except (Ob2Problem, ValueError) as problem:
        check = (
            problem.check
            if isinstance(problem, Ob2Problem)
            else Check("key_unknown", False, "La clé publique de l'émetteur est illisible.")
        )
        checks, summary = [check], empty
    return [shape, *checks, *_common(assertion, expected_email)], summary
