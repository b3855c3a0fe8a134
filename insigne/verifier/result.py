"""The verifier's answer: an overall status, what the badge says, and every check."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from insigne.openbadges.checks import Check
from insigne.platform.errors import CodedError
from insigne.platform.messages import describe, describe_fr

# The verdicts, from the employer's side:
# valid        authentic, standing, and (when an email was given) that person's;
# revoked      authentic, withdrawn by its issuer (date and reason when published);
# replaced     authentic, superseded by a corrected badge (link to it);
# expired      authentic, past the end date its issuer set;
# invalid      NOT authentic: a check failed (altered, wrong key, forged...);
# unsupported  looks like a badge, in a format this verifier cannot check (which one);
# unreadable   no badge could be read from what was given.
Status = Literal["valid", "revoked", "replaced", "expired", "invalid", "unsupported", "unreadable"]
# Checks whose failure means "the issuer withdrew it", not "it is not genuine".
WITHDRAWN: dict[str, Status] = {"replaced": "replaced", "revoked": "revoked"}
# Checks that say something about the holder, not about the badge itself.
ABOUT_HOLDER = frozenset(["recipient"])
# A failure of this check alone: authentic but past its end date.
EXPIRY = "valid_until"
# A check of this code fails with the format's name when it cannot be checked here.
UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class Summary:
    """What the badge claims, for people (empty strings when the badge does not say)."""

    version: str = ""  # "ob3" or "ob2"
    credential_id: str = ""
    issuer_id: str = ""
    issuer_name: str = ""
    issuer_url: str = ""
    recipient_name: str = ""
    achievement_name: str = ""
    achievement_description: str = ""
    issued_at: datetime | None = None
    expires_at: datetime | None = None
    # Names in a badge are whatever its signer wrote; only the issuer id is proven.
    issuer_is_us: bool = False


@dataclass(frozen=True)
class Verdict:
    status: Status
    checks: tuple[Check, ...]
    summary: Summary = field(default_factory=Summary)
    container: str = ""  # json, jwt, png, svg, url
    # None when no email was given; else whether the badge names that email.
    recipient_match: bool | None = None

    @property
    def unsupported(self) -> str:
        """The format this verifier cannot check (``bbs-2023``, ``did:ion``…), else ``""``."""
        for check in self.checks:
            if check.code == UNSUPPORTED and not check.ok:
                return str(check.params.get("format", ""))
        return ""

    @property
    def authentic(self) -> bool:
        """Whether the badge's own checks passed (withdrawn or expired badges are authentic)."""
        return self.status in ("valid", "revoked", "replaced", "expired")

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if not check.ok)

    def codes(self) -> list[str]:
        return [check.code for check in self.checks]

    def as_json(self) -> dict[str, Any]:
        summary = asdict(self.summary)
        for name in ("issued_at", "expires_at"):
            moment = getattr(self.summary, name)
            summary[name] = moment.isoformat() if moment else None
        return {
            "status": self.status,
            "container": self.container,
            "recipient_match": self.recipient_match,
            "unsupported_format": self.unsupported or None,
            "summary": summary,
            "checks": [
                {
                    "code": check.code,
                    "ok": check.ok,
                    "message_fr": describe_fr(check.reason, check.params),
                    "message": describe(check.reason, check.params),
                }
                for check in self.checks
            ],
        }


def _param(value: str | int | date) -> Any:
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    return {"date": value.isoformat()} if isinstance(value, date) else value


def _unparam(value: Any) -> str | int | date:
    if isinstance(value, dict):
        if "datetime" in value:
            return datetime.fromisoformat(value["datetime"])
        return date.fromisoformat(value["date"])
    return value  # type: ignore[no-any-return]


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def to_stored(verdict: Verdict) -> dict[str, Any]:
    """The verdict as JSON that :func:`from_stored` reads back equal (messages are not
    kept: they are said in the reader's language when shown)."""
    summary = asdict(verdict.summary)
    for name in ("issued_at", "expires_at"):
        moment = getattr(verdict.summary, name)
        summary[name] = moment.isoformat() if moment else None
    return {
        "status": verdict.status,
        "container": verdict.container,
        "recipient_match": verdict.recipient_match,
        "summary": summary,
        "checks": [
            [c.code, c.ok, c.reason, {k: _param(v) for k, v in c.params.items()}]
            for c in verdict.checks
        ],
    }


def from_stored(data: dict[str, Any]) -> Verdict:
    summary = dict(data["summary"])
    for name in ("issued_at", "expires_at"):
        summary[name] = _moment(summary[name])
    checks = tuple(
        Check(code, ok, reason, {k: _unparam(v) for k, v in params.items()})
        for code, ok, reason, params in data["checks"]
    )
    return Verdict(
        data["status"], checks, Summary(**summary), data["container"], data["recipient_match"]
    )


def _expired(check: Check) -> bool:
    return check.code == EXPIRY and check.reason == "valid_until_passed"


def overall_status(checks: list[Check]) -> Status:
    """``invalid`` if any check on the badge itself failed; then ``unsupported``, withdrawn,
    expired; else ``valid``. (The email check is the holder's: see ``Verdict.recipient_match``.)"""
    failed = [c for c in checks if not c.ok and c.code not in ABOUT_HOLDER]
    if not checks:
        return "unreadable"
    if any(c.code not in (*WITHDRAWN, UNSUPPORTED) and not _expired(c) for c in failed):
        return "invalid"
    if any(c.code == UNSUPPORTED for c in failed):
        return "unsupported"
    for code in ("replaced", "revoked"):
        if any(c.code == code for c in failed):
            return WITHDRAWN[code]
    if any(_expired(c) for c in failed):
        return "expired"
    return "valid"


def verdict(
    checks: list[Check], summary: Summary, container: str, expected_email: str | None
) -> Verdict:
    recipient = [c for c in checks if c.code == "recipient"]
    match = recipient[0].ok if expected_email and recipient else None
    return Verdict(overall_status(checks), tuple(checks), summary, container, match)


def unreadable(error: CodedError, container: str = "") -> Verdict:
    return Verdict("unreadable", (Check.from_error(error),), Summary(), container)
