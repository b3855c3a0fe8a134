"""Public verification: the "Vérifier un badge" page, a stored badge's verification,
and the JSON endpoint. All read-only; each calls :func:`verify`.

What a visitor costs is counted where it is spent: the page and the API allow many
files a minute (an employer checks a pile of badges; a file is verified in a few
milliseconds), while the documents fetched from other issuers on a visitor's
behalf count against a strict limit of their own (``fetch.FETCH_LIMIT``). A
request over its limit is refused before its body is read; a body over 2 MiB is
refused while it is read, before any of it reaches the disk (API: 413; page: 400,
like its other form errors).
"""

from __future__ import annotations

import json
from typing import Any

from django.forms import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from insigne.badges.models import Credential, Visibility
from insigne.badges.presenter import badge_view
from insigne.openbadges.checks import Check
from insigne.platform import ratelimit, uploads
from insigne.platform.api_errors import json_errors
from insigne.platform.messages import describe
from insigne.verifier.fetch import on_behalf_of
from insigne.verifier.forms import VerifyForm
from insigne.verifier.inputs import MAX_INPUT_BYTES
from insigne.verifier.status import database_status, our_credential, our_public_id
from insigne.verifier.stored import stored_verdict
from insigne.verifier.verify import Verdict, verify

# Verifications per client and minute; remote fetches have their own, stricter limit.
PAGE_LIMIT = (60, 60)
API_LIMIT = (120, 60)
TEMPLATE = "verifier/verify_upload.html"
# Inputs refused for their size or nesting: the request is at fault (a 400), not the badge.
OVER_LIMITS = frozenset(
    {"too_large", "json_too_deep", "svg_too_complex", "png_too_many_chunks", "png_text_too_long"}
)


# What each check is about, for a recruiter (the code stays in the technical details).
CHECK_TITLES = {
    "signature": gettext_lazy("Signature de l'émetteur"),
    "key_binding": gettext_lazy("Clé de l'émetteur"),
    "key_unknown": gettext_lazy("Clé de l'émetteur"),
    "key_unreachable": gettext_lazy("Clé de l'émetteur"),
    "key_purpose": gettext_lazy("Clé de l'émetteur"),
    "schema": gettext_lazy("Format Open Badges"),
    "shape": gettext_lazy("Format Open Badges"),
    "jsonld": gettext_lazy("Contenu du badge"),
    "undefined_term": gettext_lazy("Contenu du badge"),
    "unknown_context": gettext_lazy("Contenu du badge"),
    "valid_from": gettext_lazy("Date de délivrance"),
    "valid_until": gettext_lazy("Date d'expiration"),
    "status": gettext_lazy("Révocation"),
    "status_unreachable": gettext_lazy("Révocation"),
    "status_unknown": gettext_lazy("Registre de l'émetteur"),
    "revoked": gettext_lazy("Révocation"),
    "replaced": gettext_lazy("Version du badge"),
    "recipient": gettext_lazy("Titulaire"),
    "hosted": gettext_lazy("Badge publié par l'émetteur"),
    "badge_class": gettext_lazy("Description du badge"),
    "issuer_profile": gettext_lazy("Profil de l'émetteur"),
    "issuer_mismatch": gettext_lazy("Émetteur"),
    "unsupported": gettext_lazy("Format du badge"),
    "jwt_algorithm": gettext_lazy("Signature de l'émetteur"),
    "jwt_claims": gettext_lazy("Signature de l'émetteur"),
}


def _headline(verdict: Verdict) -> dict[str, str]:
    """The one verdict at the top: the badge's status, with the email check folded in."""
    titles = {
        "valid": (_("Badge authentique et valide"), "success"),
        "revoked": (_("Badge révoqué par son émetteur"), "error"),
        "replaced": (_("Badge remplacé par une version corrigée"), "warning"),
        "expired": (_("Badge authentique, mais expiré"), "warning"),
        "invalid": (_("Badge non authentique"), "error"),
        "unsupported": (_("Badge impossible à vérifier ici"), "info"),
        "unreadable": (_("Badge illisible"), "info"),
    }
    leads = {
        "valid": _(
            "Il a bien été délivré et signé par l'émetteur indiqué, il n'a pas été modifié "
            "depuis et il n'a pas été révoqué."
        ),
        "revoked": _(
            "Il a bien été délivré, mais son émetteur l'a retiré : il ne doit plus être pris "
            "en compte."
        ),
        "replaced": _(
            "Il a bien été délivré, puis corrigé par son émetteur : seule la nouvelle version "
            "fait foi."
        ),
        "expired": _(
            "Il a bien été délivré par l'émetteur indiqué, mais sa date de validité est passée."
        ),
        "invalid": _(
            "Au moins une vérification a échoué : ce document a pu être modifié ou fabriqué. "
            "Ne vous fiez pas à ce qu'il affiche."
        ),
        "unsupported": _(
            "Ce document ressemble à un badge, mais il utilise un format que ce service ne sait "
            "pas vérifier : cela ne veut pas dire qu'il est faux."
        ),
        "unreadable": _("Ce que vous avez fourni ne contient pas de badge lisible."),
    }
    title, level = titles[verdict.status]
    lead = leads[verdict.status]
    if verdict.status == "valid" and verdict.recipient_match is False:
        title, level = _("Badge authentique, mais pas délivré à cette adresse"), "warning"
        lead = _(
            "Le badge est authentique, mais il n'a pas été délivré à l'adresse indiquée : "
            "il appartient peut-être à quelqu'un d'autre. Demandez au candidat l'adresse "
            "à laquelle il l'a reçu."
        )
    elif verdict.status == "valid" and verdict.recipient_match:
        title = _("Badge authentique et valide, délivré à cette adresse")
    return {"title": title, "level": level, "lead": lead}


def _explained(check: Check) -> dict[str, Any]:
    return {
        "check": check,
        "title": CHECK_TITLES.get(check.code, _("Vérification")),
        "sentence": describe(check.reason, check.params),
    }


def _decisive(verdict: Verdict) -> list[dict[str, Any]]:
    """The failed checks that decide the verdict (the email check is in the headline)."""
    return [_explained(c) for c in verdict.failed if c.code != "recipient"]


def _genuine(verdict: Verdict) -> dict[str, Any] | None:
    """Our own badge with the id a document claims, when that document is not authentic."""
    if verdict.authentic or not verdict.summary.credential_id:
        return None
    public_id = our_public_id(verdict.summary.credential_id, ("/badges/", "/ob2/assertions/"))
    credential = our_credential(public_id) if public_id else None
    if credential is None or credential.visibility == Visibility.HIDDEN:
        return None
    return {
        "view": badge_view(json.loads(credential.ob3_json)),
        "url": reverse("badge", args=[credential.public_id]),
        "status": [_explained(c) for c in database_status(credential)],
    }


def _result_context(verdict: Verdict) -> dict[str, Any]:
    return {
        "verdict": verdict,
        "headline": _headline(verdict),
        "decisive": _decisive(verdict),
        "explained": [_explained(check) for check in verdict.checks],
        "genuine": _genuine(verdict),
    }


def _over_limits(verdict: Verdict) -> Check | None:
    if verdict.status != "unreadable":
        return None
    check = verdict.checks[0]
    return check if check.code in OVER_LIMITS else None


def _too_many(request: HttpRequest, scope: str, limit: tuple[int, int]) -> bool:
    return not ratelimit.allow(scope, ratelimit.client_address(request), *limit)


def _too_large_form() -> VerifyForm:
    form = VerifyForm(data={})
    form.is_valid()
    form.errors.clear()
    message = describe("too_large", {"mib": MAX_INPUT_BYTES >> 20})
    form.add_error("badge_file", ValidationError(message, code="too_large"))
    return form


def _page_context() -> dict[str, Any]:
    return {"page_title": _("Vérifier un badge")}


def _page_limited(request: HttpRequest) -> HttpResponse | None:
    if not _too_many(request, "verify-page", PAGE_LIMIT):
        return None
    context = _page_context() | {"form": VerifyForm(), "limited": True}
    return render(request, TEMPLATE, context, status=429)


def _page_too_large(request: HttpRequest) -> HttpResponse:
    # 400 like every refusal of this form (the API answers 413).
    return render(request, TEMPLATE, _page_context() | {"form": _too_large_form()}, status=400)


@uploads.bounded(MAX_INPUT_BYTES, _page_too_large, before=_page_limited)
@require_http_methods(["GET", "POST"])
def verify_upload(request: HttpRequest) -> HttpResponse:
    context = _page_context()
    if request.method != "POST":
        return render(request, TEMPLATE, context | {"form": VerifyForm()})
    form = VerifyForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    data, filename = form.badge_data()
    with on_behalf_of(ratelimit.client_address(request)):
        verdict = verify(data, filename=filename, expected_email=form.cleaned_data["email"] or None)
    context |= _result_context(verdict)
    return render(request, TEMPLATE, context, status=400 if _over_limits(verdict) else 200)


@require_GET
def verify_badge(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = get_object_or_404(Credential, public_id=public_id)
    context = _result_context(stored_verdict(credential))
    context |= {"credential": credential, "page_title": _("Vérification du badge")}
    return render(request, "verifier/verify_badge.html", context)


def _api_input(request: HttpRequest) -> tuple[bytes | str, str, str]:
    """Badge, file name and email of an API call: multipart (``file`` or ``text``) or raw body.

    The raw body is read only up to the limit (its declared length was checked)."""
    email = request.GET.get("email", "")
    if request.content_type == "multipart/form-data":
        email = request.POST.get("email", email)
        upload = request.FILES.get("file")
        if upload is not None:
            return upload.read(MAX_INPUT_BYTES + 1), str(upload.name or ""), email
        return request.POST.get("text", ""), "", email
    return request.read(MAX_INPUT_BYTES + 1), "", email


def _api_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


@json_errors
@csrf_exempt  # a public, read-only API for machines: no session, nothing to forge
@require_POST
def api_verify(request: HttpRequest) -> HttpResponse:
    if _too_many(request, "verify-api", API_LIMIT):  # before the body is read
        return _api_error(
            "rate_limited", _("Trop de vérifications : réessayez dans une minute."), 429
        )
    guard = uploads.limit_body(request, MAX_INPUT_BYTES)
    if uploads.declared_length(request) > MAX_INPUT_BYTES + uploads.FORM_OVERHEAD:
        return _api_error("too_large", _("Le badge dépasse 2 Mio."), 413)
    data, filename, email = _api_input(request)
    if guard.exceeded or len(data) > MAX_INPUT_BYTES:
        return _api_error("too_large", _("Le badge dépasse 2 Mio."), 413)
    if not data:
        return _api_error("empty", _("Aucun badge n'a été fourni."), 400)
    with on_behalf_of(ratelimit.client_address(request)):
        verdict = verify(data, filename=filename, expected_email=email or None)
    refused = _over_limits(verdict)
    if refused is not None:
        return _api_error(refused.code, describe(refused.reason, refused.params), 400)
    return JsonResponse(verdict.as_json(), json_dumps_params={"ensure_ascii": False})
