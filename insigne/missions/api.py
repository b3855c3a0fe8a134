"""The missions API for the agency's information system.

``POST /api/v1/missions`` takes a JSON list (at most ``MAX_ROWS`` objects keyed
by the CSV column names) and answers with the import summary and the rejected
rows (``line`` is the position in the list, from 1). ``GET
/api/v1/missions/<identifiant_mission>`` tells where a mission stands.

The body is refused before it is read past ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413)
and JSON nested deeper than ``json_limits.MAX_DEPTH`` is refused (400); every
error is JSON (``insigne.platform.api_errors.json_errors``).

Authentication: ``Authorization: Bearer <INSIGNE_API_TOKEN>``, compared in
constant time; no token → 401, wrong token → 403; the API answers 403 to
everyone while the setting is empty. The views are CSRF-exempt only because no
cookie authenticates them.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from insigne.missions import eligibility
from insigne.missions.csv_format import rows_from_objects, validate_rows
from insigne.missions.models import Mission, MissionImport
from insigne.missions.services import import_missions
from insigne.platform import json_limits
from insigne.platform.api_errors import json_errors
from insigne.platform.messages import describe

MAX_ROWS = 5000

View = Callable[..., HttpResponse]


def error(status: int, code: str, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": code, "message": message}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def token_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        expected = settings.INSIGNE_API_TOKEN
        if not expected:
            return error(403, "api_closed", "L'API est fermée : aucun jeton n'est configuré.")
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return error(
                401,
                "token_missing",
                "Jeton absent : en-tête « Authorization: Bearer <jeton> » attendu.",
                WWW_Authenticate='Bearer realm="insigne"',
            )
        if not hmac.compare_digest(token.strip().encode(), expected.encode()):
            return error(403, "token_invalid", "Jeton refusé.")
        return view(request, *args, **kwargs)

    return wrapper


@json_errors
@csrf_exempt
@require_http_methods(["POST"])
@token_required
def missions_import(request: HttpRequest) -> HttpResponse:
    try:
        body = json_limits.loads(request.body, parse_constant=_no_constant)
    except RequestDataTooBig:
        return error(413, "body_too_large", "Corps de requête trop volumineux.")
    except json_limits.JsonTooDeep as too_deep:
        return error(400, too_deep.code, describe(too_deep.reason, too_deep.params))
    except (ValueError, UnicodeDecodeError):
        return error(400, "invalid_json", "Le corps de la requête n'est pas du JSON valide.")
    if not isinstance(body, list):
        return error(400, "list_expected", "Une liste JSON d'objets mission est attendue.")
    if len(body) > MAX_ROWS:
        return error(
            413, "too_many_rows", f"{len(body)} missions envoyées, {MAX_ROWS} au plus par requête."
        )
    result = import_missions(validate_rows(rows_from_objects(body)), "api")
    return JsonResponse(summary(result))


def _no_constant(name: str) -> object:
    """``NaN`` and ``Infinity`` are not JSON (RFC 8259), though Python reads them."""
    raise ValueError(name)


def summary(result: MissionImport) -> dict[str, object]:
    return {
        "import_id": result.pk,
        "read": result.read,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "unchanged_issued": result.unchanged_issued,
        "rejected": result.rejected,
        "errors": result.errors,
        "warnings": result.warnings,
    }


@json_errors
@require_http_methods(["GET"])
@token_required
def mission_status(request: HttpRequest, external_id: str) -> HttpResponse:
    mission = Mission.objects.filter(external_id=external_id).first()
    if mission is None:
        return error(404, "not_found", "Aucune mission avec cet identifiant.")
    return JsonResponse(status_of(mission))


def status_of(mission: Mission) -> dict[str, object]:
    invitation = _related(mission, "invitation")
    credential = _related(invitation, "credential") if invitation is not None else None
    reason = mission.ineligibility_reason
    return {
        "identifiant_mission": mission.external_id,
        "eligible": mission.eligible,
        "reason": reason or None,
        "reason_label": eligibility.REASON_LABELS.get(reason) if reason else None,
        "invited": invitation is not None,
        "invited_at": _iso(getattr(invitation, "sent_at", None)),
        "claimed": getattr(invitation, "validated_at", None) is not None,
        "claimed_at": _iso(getattr(invitation, "validated_at", None)),
        "issued": credential is not None,
        "issued_at": _iso(getattr(credential, "issued_at", None)),
        "revoked": getattr(credential, "revoked_at", None) is not None,
        "updated_at": _iso(mission.updated_at),
    }


def _related(instance: object, name: str) -> Any:
    """The reverse one-to-one ``name`` of ``instance``, or None when there is none."""
    try:
        return getattr(instance, name)
    except (ObjectDoesNotExist, AttributeError):
        return None


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
