"""Public verification: the "Vérifier un badge" page, a stored badge's verification,
and the JSON endpoint. All read-only; each calls :func:`verify`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from insigne.badges.models import Credential
from insigne.platform import ratelimit
from insigne.verifier.forms import VerifyForm
from insigne.verifier.inputs import MAX_INPUT_BYTES
from insigne.verifier.verify import Verdict, verify

# Verifying another issuer's badge may fetch several documents: keep it per person.
PAGE_LIMIT = (20, 60)
API_LIMIT = (60, 60)


def _headline(verdict: Verdict) -> dict[str, str]:
    titles = {
        "valid": (_("Badge authentique et valide"), "success"),
        "revoked": (_("Badge révoqué par son émetteur"), "error"),
        "replaced": (_("Badge remplacé par une version corrigée"), "warning"),
        "invalid": (_("Badge non valide"), "error"),
        "unreadable": (_("Badge illisible"), "info"),
    }
    title, level = titles[verdict.status]
    return {"title": title, "level": level}


def _result_context(verdict: Verdict) -> dict[str, Any]:
    return {"verdict": verdict, "headline": _headline(verdict)}


def _too_many(request: HttpRequest, scope: str, limit: tuple[int, int]) -> bool:
    return not ratelimit.allow(scope, ratelimit.client_address(request), *limit)


@require_http_methods(["GET", "POST"])
def verify_upload(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"page_title": _("Vérifier un badge")}
    if request.method != "POST":
        return render(request, "verifier/verify_upload.html", context | {"form": VerifyForm()})
    form = VerifyForm(request.POST, request.FILES)
    context["form"] = form
    if _too_many(request, "verify-page", PAGE_LIMIT):
        context["limited"] = True
        return render(request, "verifier/verify_upload.html", context, status=429)
    if not form.is_valid():
        return render(request, "verifier/verify_upload.html", context, status=400)
    data, filename = form.badge_data()
    verdict = verify(data, filename=filename, expected_email=form.cleaned_data["email"] or None)
    context |= _result_context(verdict)
    return render(request, "verifier/verify_upload.html", context)


@require_GET
def verify_badge(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = get_object_or_404(Credential, public_id=public_id)
    context = _result_context(verify(credential.ob3_json))
    context |= {"credential": credential, "page_title": _("Vérification du badge")}
    return render(request, "verifier/verify_badge.html", context)


def _api_input(request: HttpRequest) -> tuple[bytes | str, str, str]:
    """Badge, file name and email of an API call: multipart (``file`` or ``text``) or raw body."""
    email = request.GET.get("email", "")
    if request.content_type == "multipart/form-data":
        email = request.POST.get("email", email)
        upload = request.FILES.get("file")
        if upload is not None:
            return upload.read(MAX_INPUT_BYTES + 1), str(upload.name or ""), email
        return request.POST.get("text", ""), "", email
    return request.body, "", email


def _api_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


@csrf_exempt  # a public, read-only API for machines: no session, nothing to forge
@require_POST
def api_verify(request: HttpRequest) -> JsonResponse:
    if _too_many(request, "verify-api", API_LIMIT):
        return _api_error(
            "rate_limited", _("Trop de vérifications : réessayez dans une minute."), 429
        )
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_INPUT_BYTES + 64 * 1024:
        return _api_error("too_large", _("Le badge dépasse 2 Mio."), 413)
    data, filename, email = _api_input(request)
    if not data:
        return _api_error("empty", _("Aucun badge n'a été fourni."), 400)
    verdict = verify(data, filename=filename, expected_email=email or None)
    return JsonResponse(verdict.as_json(), json_dumps_params={"ensure_ascii": False})
