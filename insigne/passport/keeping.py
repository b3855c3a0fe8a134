"""Keeping badges: verdicts, imports from other issuers, the owner's choices, and
what the GDPR gives the owner (an archive of everything, and erasure).

An imported badge is kept exactly as received (``KeptBadge.original``) and read
through the verifier engine, which takes files, pasted JSON or VC-JWT and fetches
addresses safely (https only, no private hosts, size and time limits). Imported
badges are private until their owner chooses otherwise.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from insigne.badges import presenter
from insigne.badges.models import Credential
from insigne.mail.models import OutgoingMail
from insigne.passport.models import ACCOUNT_MAIL, KeptBadge, Profile, Visibility
from insigne.passport.sync import verified_addresses
from insigne.platform.messages import describe
from insigne.verifier.fetch import FetchError, check_url, fetch
from insigne.verifier.verify import Verdict, verify

logger = logging.getLogger(__name__)

UNREACHABLE = gettext_lazy(
    "Cette adresse n'a pas pu être lue : elle doit commencer par https:// et mener "
    "directement au badge (JSON)."
)


class ImportRefused(Exception):
    """A badge the Passport does not keep, and the sentence that says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


def too_large_message() -> str:
    megabytes = settings.PASSPORT_MAX_UPLOAD // (1024 * 1024)
    return _(
        "Le fichier est trop volumineux : %(size)d Mo au plus. "
        "Un badge pèse d'ordinaire quelques centaines de ko."
    ) % {"size": megabytes}


def verdict_of(kept: KeptBadge) -> Verdict:
    """The verifier's verdict now (ours: from the signed text; imported: from the original)."""
    if kept.credential is not None:
        return verify(kept.credential.ob3_json)
    return verify(bytes(kept.original), filename=kept.original_name)


def refresh_ours(badges: list[KeptBadge]) -> dict[int, Verdict]:
    """Verdicts of our badges in a list, read again (no network: our own records),
    stored so the portfolio shows the latest; imported badges keep their stored one."""
    verdicts: dict[int, Verdict] = {}
    now = timezone.now()
    for kept in badges:
        if kept.credential is None:
            continue
        verdict = verify(kept.credential.ob3_json)
        verdicts[kept.pk] = verdict
        if verdict.status != kept.status:
            KeptBadge.objects.filter(pk=kept.pk).update(status=verdict.status, checked_at=now)
            kept.status = verdict.status
    return verdicts


def _addressed(data: bytes, name: str, addresses: list[str]) -> tuple[Verdict, bool | None]:
    """The verdict, and whether the badge names one of ``addresses`` (None: none to try)."""
    verdict = verify(data, filename=name, expected_email=addresses[0] if addresses else None)
    match = verdict.recipient_match
    for email in addresses[1:]:
        if match or verdict.status == "unreadable":
            break
        other = verify(data, filename=name, expected_email=email)
        if other.recipient_match:
            verdict, match = other, True
    return verdict, match


def fetch_badge(url: str) -> bytes:
    """The document at ``url``, through the verifier's safe fetch."""
    try:
        check_url(url)
        fetched = fetch(url)
    except FetchError as error:
        raise ImportRefused("url_unreachable", str(UNREACHABLE)) from error
    if fetched.status != 200 or not fetched.body:
        raise ImportRefused("url_unreachable", str(UNREACHABLE))
    return fetched.body


def import_badge(user: User, data: bytes, *, source: str, name: str = "") -> KeptBadge:
    """Keep ``data`` (the bytes as received) in the account, private; refuse what
    is too large, unreadable or already kept (``ImportRefused``)."""
    if len(data) > settings.PASSPORT_MAX_UPLOAD:
        raise ImportRefused("too_large", too_large_message())
    if not data.strip():
        raise ImportRefused("empty", _("Le badge est vide."))
    digest = hashlib.sha256(data).hexdigest()
    if KeptBadge.objects.filter(owner_id=user.pk, original_sha256=digest).exists():
        raise ImportRefused("already_kept", _("Ce badge est déjà dans votre Passeport."))
    verdict, match = _addressed(data, name, verified_addresses(user))
    if verdict.status == "unreadable":
        check = verdict.checks[0]
        detail = describe(check.reason, check.params)
        raise ImportRefused(
            "unreadable", _("Ce n'est pas un badge lisible : %(detail)s") % {"detail": detail}
        )
    summary = verdict.summary
    with transaction.atomic():
        last = KeptBadge.objects.filter(owner_id=user.pk).aggregate(Max("position"))
        kept = KeptBadge.objects.create(
            owner_id=user.pk,
            source=source,
            original=data,
            original_name=name[:200],
            original_sha256=digest,
            container=verdict.container,
            title=summary.achievement_name[:300],
            issuer_name=summary.issuer_name[:300],
            recipient_name=summary.recipient_name[:300],
            issued_at=summary.issued_at,
            status=verdict.status,
            checked_at=timezone.now(),
            addressed_to_owner=match,
            visibility=Visibility.PRIVATE,
            position=(last["position__max"] or 0) + 1,
        )
    logger.info("passport %s imported badge %s (%s)", user.pk, kept.pk, verdict.status)
    return kept


_EXTENSIONS = {"png": "png", "svg": "svg", "json": "json", "jwt": "jwt", "url": "json"}


def archive_name(kept: KeptBadge) -> str:
    base = kept.original_name.replace("/", "_").replace("\\", "_").strip(". ")
    return base or f"original.{_EXTENSIONS.get(kept.container, 'bin')}"


def export_archive(user: User) -> bytes:
    """Everything the Passport holds on ``user``: ``passeport.json`` (the account,
    its addresses, profile and badges) and every badge file byte for byte
    (imported: the original as received; ours: the signed texts as stored)."""
    buffer = io.BytesIO()
    badges: list[dict[str, Any]] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kept in KeptBadge.objects.filter(owner_id=user.pk).select_related(
            "credential__badge_class"
        ):
            folder = f"badges/{kept.pk}"
            files: dict[str, bytes] = {}
            if kept.credential is not None:
                credential: Credential = kept.credential
                files = {
                    f"{folder}/open-badge-3.json": credential.ob3_json.encode(),
                    f"{folder}/open-badge-3.jwt": credential.ob3_jwt.encode(),
                    f"{folder}/open-badge-2.json": credential.ob2_json.encode(),
                    f"{folder}/open-badge.png": presenter.baked_png(credential),
                }
            else:
                files = {f"{folder}/{archive_name(kept)}": bytes(kept.original)}
            for name, content in files.items():
                archive.writestr(name, content)
            badges.append(
                {
                    "id": kept.pk,
                    "source": kept.source,
                    "credential_id": presenter.badge_url(kept.credential)
                    if kept.credential
                    else "",
                    "title": kept.title,
                    "issuer_name": kept.issuer_name,
                    "recipient_name": kept.recipient_name,
                    "issued_at": kept.issued_at.isoformat() if kept.issued_at else None,
                    "status": kept.status,
                    "addressed_to_you": kept.addressed_to_owner,
                    "visibility": kept.visibility,
                    "position": kept.position,
                    "added_at": kept.added_at.isoformat(),
                    "original_sha256": kept.original_sha256,
                    "files": sorted(files),
                }
            )
        profile = Profile.objects.filter(owner_id=user.pk).first()
        document = {
            "account": {
                "date_joined": user.date_joined.isoformat(),
                "last_login": user.last_login.isoformat() if user.last_login else None,
                "addresses": [
                    {"email": a.email, "verified": a.verified, "primary": a.primary}
                    for a in EmailAddress.objects.filter(user_id=user.pk).order_by("pk")
                ],
            },
            "profile": {
                "display_name": profile.display_name,
                "published": profile.published,
                "url": settings.SITE_URL + f"/p/{profile.slug}/",
            }
            if profile
            else None,
            "badges": badges,
        }
        archive.writestr("passeport.json", json.dumps(document, ensure_ascii=False, indent=2))
    return buffer.getvalue()


def delete_account(user: User) -> None:
    """Erase the account and what the Passport holds: kept copies, addresses, profile,
    the account mails' rows. Issued credentials are the issuer's record: they stay,
    and stay valid."""
    addresses = list(EmailAddress.objects.filter(user_id=user.pk).values_list("email", flat=True))
    with transaction.atomic():
        KeptBadge.objects.filter(owner_id=user.pk).delete()
        Profile.objects.filter(owner_id=user.pk).delete()
        OutgoingMail.objects.filter(kind=ACCOUNT_MAIL, to__in=addresses).delete()
        EmailAddress.objects.filter(user_id=user.pk).delete()
        user_id = user.pk
        user.delete()
    logger.info("passport %s deleted", user_id)
