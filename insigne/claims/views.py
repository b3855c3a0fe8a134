"""Pages of the personal link: form → preview → validation (final).

The mailed link carries the token in its path (``/obtenir/<token>/``). Its first
request (:func:`enter`) moves the token into a short-lived cookie, HttpOnly,
SameSite=Lax, Secure over https, sent only to ``/obtenir/``, and redirects to the
same page without the token; every later page reads the cookie. So access logs,
browser history and ``Referer`` headers hold the token once at most.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from insigne.badges import holders
from insigne.badges import services as badge_services
from insigne.badges.forms import VisibilityForm
from insigne.badges.models import Credential, Visibility
from insigne.claims import services
from insigne.claims.forms import ClaimForm, ResendForm, ValidateForm
from insigne.claims.issuing import ClaimDetails, current_details
from insigne.claims.models import Invitation
from insigne.claims.preview import preview_badge
from insigne.platform import ratelimit

LINK_COOKIE = "insigne_lien"
LINK_COOKIE_PATH = "/obtenir/"
LINK_COOKIE_AGE = 2 * 3600  # seconds: long enough to read, correct and validate
# The page each step of a mailed link lands on, once the token is out of the path.
STEPS = {"": "claim_form", "apercu": "claim_preview", "refuser": "claim_decline"}


def _link_error(request: HttpRequest, code: str, status: int) -> HttpResponse:
    return render(request, "claims/link_error.html", {"code": code}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def enter(request: HttpRequest, token: str, step: str = "") -> HttpResponse:
    """A mailed link: keep its token in the cookie and go on to the page without it."""
    if step not in STEPS:
        return _link_error(request, "unknown_link", 404)
    try:
        services.find_invitation(token)
    except services.ClaimError as error:
        return _link_error(request, error.code, 404)
    response = redirect(STEPS[step])
    if request.method == "POST":
        response.status_code = 303  # a form of an older page: show the page again
    response.set_cookie(
        LINK_COOKIE,
        token,
        max_age=LINK_COOKIE_AGE,
        path=LINK_COOKIE_PATH,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def _token(request: HttpRequest) -> str:
    return request.COOKIES.get(LINK_COOKIE, "")


def _open(request: HttpRequest, token: str, *, issuing: bool = False) -> Invitation | HttpResponse:
    """The invitation of the link, or the page to show instead of the form.

    A validated claim whose badge a worker has yet to issue is shown its waiting
    page, unless the caller is that page (``issuing``).
    """
    if not token:
        return _link_error(request, "no_link", 404)
    try:
        invitation = services.find_invitation(token)
    except services.ClaimError as error:
        return _link_error(request, error.code, 404)
    if invitation.credential is not None:
        # The personal link is how the holder is known: it lets them manage their page.
        holders.remember_holder(request, invitation.credential)
        return redirect("badge", invitation.credential.public_id)
    if invitation.validated_at is not None and not issuing:  # its badge being issued
        return redirect("claim_pending")
    if invitation.declined_at is not None:
        return render(request, "claims/declined.html", status=410)
    if not invitation.mission.eligible:
        return _link_error(request, "not_eligible", 410)
    return invitation


def _current_page(request: HttpRequest) -> HttpResponse:
    """What the link shows now that another request changed it (double click, two tabs)."""
    state = _open(request, _token(request))
    return state if isinstance(state, HttpResponse) else redirect("claim_form")


@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest) -> HttpResponse:
    invitation = _open(request, _token(request))
    if isinstance(invitation, HttpResponse):
        return invitation
    services.mark_opened(invitation)
    details = current_details(invitation)
    form = ClaimForm(request.POST if request.method == "POST" else None, initial=details.__dict__)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_draft(invitation, ClaimDetails(**form.cleaned_data))
        except services.ClaimError:
            return _current_page(request)
        return redirect("claim_preview")
    return render(
        request,
        "claims/form.html",
        {"form": form, "mission": invitation.mission},
    )


@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest) -> HttpResponse:
    invitation = _open(request, _token(request))
    if isinstance(invitation, HttpResponse):
        return invitation
    form = ValidateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        visibility = Visibility(form.cleaned_data["visibility"])
        try:
            if settings.CLAIMS_ISSUED_BY_WORKERS:
                services.accept_claim(invitation, visibility)
                return redirect("claim_pending")
            credential = services.validate_claim(invitation, visibility)
        except services.ClaimError:  # declined, validated or corrected meanwhile
            return _current_page(request)
        holders.remember_holder(request, credential)
        messages.success(
            request, _("Votre badge est prêt. Nous vous l'envoyons aussi par courriel.")
        )
        return redirect("badge", credential.public_id)
    return render(
        request,
        "claims/preview.html",
        {"form": form, "badge": preview_badge(invitation)},
    )


@never_cache
@require_safe
def pending(request: HttpRequest) -> HttpResponse:
    """After the validation, while a worker signs the badge: it is on its way.

    Once it is ready this address goes on to the badge page (``_open``), and the
    page's script, which asks :func:`pending_state`, offers the way there.
    """
    invitation = _open(request, _token(request), issuing=True)
    if isinstance(invitation, HttpResponse):
        return invitation
    if invitation.validated_at is None:
        return redirect("claim_form")
    return render(request, "claims/pending.html")


@never_cache
@require_safe
def pending_state(request: HttpRequest) -> JsonResponse:
    """What the page of :func:`pending` asks: is the badge ready, and at which address.

    Ready, this browser becomes its holder, as by the personal link.
    """
    try:
        invitation = services.find_invitation(_token(request))
    except services.ClaimError:
        return JsonResponse({"ready": False, "address": ""}, status=404)
    credential = invitation.credential
    if credential is None:
        return JsonResponse({"ready": False, "address": ""})
    holders.remember_holder(request, credential)
    return JsonResponse({"ready": True, "address": reverse("badge", args=[credential.public_id])})


@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest) -> HttpResponse:
    invitation = _open(request, _token(request))
    if isinstance(invitation, HttpResponse):
        return invitation
    if request.method == "POST":
        try:
            services.decline_invitation(invitation)
        except services.ClaimError:  # validated meanwhile: the badge page
            return _current_page(request)
        return render(request, "claims/declined.html", {"just_declined": True})
    return render(request, "claims/decline_confirm.html")


@require_POST
def reopen(request: HttpRequest) -> HttpResponse:
    try:
        invitation = services.find_invitation(_token(request))
    except services.ClaimError as error:
        return _link_error(request, error.code, 404)
    services.reopen_invitation(invitation)
    return redirect("claim_form")


RESEND_PER_ADDRESS = (3, 3600)  # three requests per address per hour
RESEND_PER_CLIENT = (20, 3600)  # twenty requests per client per hour


@require_http_methods(["GET", "POST"])
def resend(request: HttpRequest) -> HttpResponse:
    """Send again the invitation or badge of an address; same answer whether it exists or not."""
    form = ResendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if not ratelimit.allow(
            "resend-client", ratelimit.client_address(request), *RESEND_PER_CLIENT
        ):
            return render(
                request, "claims/resend.html", {"form": form, "limited": True}, status=429
            )
        if ratelimit.allow("resend-address", email, *RESEND_PER_ADDRESS):
            services.request_resend(email)
        return render(request, "claims/resend.html", {"form": ResendForm(), "done": True})
    return render(request, "claims/resend.html", {"form": form})


@require_http_methods(["GET", "POST"])
def visibility(request: HttpRequest, public_id: str) -> HttpResponse:
    """The holder (known by their personal link) chooses who sees their badge page."""
    credential = get_object_or_404(Credential, public_id=public_id)
    if not holders.is_holder(request, credential):
        if credential.visibility == Visibility.HIDDEN:
            raise Http404  # others learn nothing of a hidden badge, not even that it exists
        return render(request, "claims/visibility_denied.html", status=403)
    initial = {"visibility": credential.visibility}
    form = VisibilityForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not form.is_valid():
            context = {"form": form, "credential": credential}
            return render(request, "claims/visibility.html", context, status=400)
        badge_services.set_visibility(credential, Visibility(form.cleaned_data["visibility"]))
        messages.success(request, _("Votre choix est enregistré."))
        return redirect("badge", credential.public_id)
    return render(request, "claims/visibility.html", {"form": form, "credential": credential})
