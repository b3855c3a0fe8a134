"""The Passport's pages: the badges kept, Synchroniser, import, sharing choices,
the public portfolio, and the owner's data (archive, erasure)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from insigne.badges import holders, presenter
from insigne.badges import services as badge_services
from insigne.badges.forms import VisibilityForm as PageVisibilityForm
from insigne.badges.models import Credential
from insigne.badges.models import Visibility as PageVisibility
from insigne.badges.sharing import qr_svg
from insigne.passport import keeping, wallet
from insigne.passport.forms import DeleteAccountForm, ImportForm, ProfileForm, VisibilityForm
from insigne.passport.models import KeptBadge, Profile, Source, Visibility
from insigne.passport.sync import names_one_of, synchronise, verified_addresses
from insigne.platform import ratelimit, uploads

View = Callable[..., HttpResponse]
IMPORTS_PER_ACCOUNT = (30, 3600)  # imports fetch other issuers' keys: thirty an hour
WALLET_OFFERS_PER_CLIENT = (20, 3600)
WALLET_EXCHANGES_PER_CLIENT = (30, 60)


def member(view: View) -> View:
    """Signed-in volunteers only; others go to the Passport's sign-in page."""
    protected = login_required(view, login_url="account_login")

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return protected(request, *args, **kwargs)

    return wrapper


def _me(request: HttpRequest) -> User:
    """The signed-in account (``member`` let only signed-in users through)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _owned(request: HttpRequest, pk: int) -> KeptBadge:
    queryset = KeptBadge.objects.select_related("credential__badge_class")
    return get_object_or_404(queryset, pk=pk, owner_id=request.user.pk)


@require_GET
@member
def passport(request: HttpRequest) -> HttpResponse:
    badges = list(KeptBadge.objects.filter(owner_id=request.user.pk).select_related("credential"))
    verdicts = keeping.refresh_ours(badges)
    addresses = EmailAddress.objects.filter(user_id=request.user.pk).order_by("-primary", "email")
    return render(
        request,
        "passport/passport.html",
        {
            "page_title": _("Mon Passeport"),
            "badges": badges,
            "verdicts": verdicts,
            "addresses": addresses,
            "has_unverified": any(not address.verified for address in addresses),
        },
    )


@require_POST
@member
def sync(request: HttpRequest) -> HttpResponse:
    result = synchronise(_me(request))
    messages.success(request, result.message())
    return redirect("passport")


def _import_too_large(request: HttpRequest) -> HttpResponse:
    form = ImportForm(data={})
    form.is_valid()
    form.errors.clear()
    form.add_error("badge_file", keeping.too_large_message())
    context = {"page_title": _("Importer un badge"), "form": form}
    return render(request, "passport/import.html", context, status=413)


@member
@uploads.bounded(settings.PASSPORT_MAX_UPLOAD, _import_too_large)
@require_http_methods(["GET", "POST"])
def import_badge(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"page_title": _("Importer un badge")}
    if request.method != "POST":
        return render(request, "passport/import.html", context | {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        too_large = any(e.code == "too_large" for e in form.errors.as_data().get("badge_file", []))
        return render(request, "passport/import.html", context, status=413 if too_large else 400)
    if not ratelimit.allow("passport-import", str(request.user.pk), *IMPORTS_PER_ACCOUNT):
        context["refused"] = _("Trop d'imports en une heure. Réessayez plus tard.")
        return render(request, "passport/import.html", context, status=429)
    upload = form.cleaned_data.get("badge_file")
    try:
        if upload:
            data, name, source = upload.read(), str(upload.name or ""), Source.FILE
        elif form.cleaned_data.get("badge_url"):
            url = form.cleaned_data["badge_url"]
            data, name, source = keeping.fetch_badge(url), url.rsplit("/", 1)[-1], Source.URL
        else:
            data, name, source = form.cleaned_data["badge_text"].encode(), "", Source.TEXT
        kept = keeping.import_badge(_me(request), data, source=source, name=name)
    except keeping.ImportRefused as refusal:
        context["refused"] = refusal.message
        status = 413 if refusal.code == "too_large" else 400
        return render(request, "passport/import.html", context, status=status)
    messages.success(
        request, _("Badge ajouté à votre Passeport. Il est privé : vous seul le voyez.")
    )
    return redirect("passport_badge", pk=kept.pk)


PAGE_PREFIX = "page"  # the badge page's form, beside the Passport copy's own


def _holds(request: HttpRequest, kept: KeptBadge) -> bool:
    """Whether the owner holds this Agency badge now: its signed salted hash names one
    of the account's proven addresses (checked at each use, not only at Synchroniser).
    The holder is then remembered in the session, as the personal link does, so the
    badge page shows them their page even when hidden."""
    if kept.credential is None or not names_one_of(
        kept.credential, verified_addresses(_me(request))
    ):
        return False
    holders.remember_holder(request, kept.credential)
    return True


@require_http_methods(["GET", "POST"])
@member
def badge(request: HttpRequest, pk: int) -> HttpResponse:
    """One kept badge: who sees the Passport's copy and, for a badge the Agency issued to
    one of the account's proven addresses, who sees its page on this site (public, link
    only, hidden): the same choice as at validation, with no personal link needed."""
    kept = _owned(request, pk)
    held = _holds(request, kept)
    posted = request.POST if request.method == "POST" else None
    page_form = None
    if held and kept.credential is not None:
        initial = {"visibility": kept.credential.visibility}
        page_bound = posted if posted is not None and "page-visibility" in posted else None
        page_form = PageVisibilityForm(page_bound, initial=initial, prefix=PAGE_PREFIX)
    own_bound = posted if page_form is None or not page_form.is_bound else None
    form = VisibilityForm(own_bound, initial={"visibility": kept.visibility})
    if posted is None:
        return _badge_page(request, kept, form, page_form)
    if page_form is not None and page_form.is_bound and kept.credential is not None:
        if not page_form.is_valid():
            return _badge_page(request, kept, form, page_form, status=400)
        choice = PageVisibility(page_form.cleaned_data["visibility"])
        badge_services.set_visibility(kept.credential, choice)
    else:
        if not form.is_valid():
            return _badge_page(request, kept, form, page_form, status=400)
        kept.visibility = form.cleaned_data["visibility"]
        kept.save(update_fields=["visibility"])
    messages.success(request, _("Votre choix est enregistré."))
    return redirect("passport_badge", pk=kept.pk)


def _badge_page(
    request: HttpRequest,
    kept: KeptBadge,
    form: VisibilityForm,
    page_form: PageVisibilityForm | None,
    status: int = 200,
) -> HttpResponse:
    verdict = keeping.verdict_of(kept) if kept.credential else None
    context = {
        "page_title": kept.title or _("Badge"),
        "kept": kept,
        "form": form,
        "page_form": page_form,
        "verdict": verdict,
        "share_url": settings.SITE_URL + reverse("passport_shared", args=[kept.share_token]),
        "badge_url": presenter.badge_url(kept.credential) if kept.credential else "",
    }
    return render(request, "passport/badge.html", context, status=status)


@require_POST
@member
def move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    """Move a badge one place up or down in the owner's order (the portfolio's order)."""
    if direction not in ("haut", "bas"):
        raise Http404
    kept = _owned(request, pk)
    mine = list(KeptBadge.objects.filter(owner_id=request.user.pk))
    index = next(i for i, other in enumerate(mine) if other.pk == kept.pk)
    target = index - 1 if direction == "haut" else index + 1
    if 0 <= target < len(mine):
        mine[index], mine[target] = mine[target], mine[index]
        with transaction.atomic():
            for position, other in enumerate(mine, start=1):
                KeptBadge.objects.filter(pk=other.pk).update(position=position)
    return redirect(reverse("passport") + f"#badge-{kept.pk}")


@require_POST
@member
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    kept = _owned(request, pk)
    kept.delete()
    messages.success(request, _("Le badge a été retiré de votre Passeport."))
    return redirect("passport")


@require_GET
@member
def original(request: HttpRequest, pk: int) -> HttpResponse:
    """The imported file exactly as received, as a download (never rendered here)."""
    kept = _owned(request, pk)
    if kept.credential is not None:
        return HttpResponseRedirect(reverse("badge_png", args=[kept.credential.public_id]))
    response = HttpResponse(bytes(kept.original), content_type="application/octet-stream")
    name = keeping.archive_name(kept).encode("ascii", "replace").decode().replace('"', "_")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _visible(kept: KeptBadge, request: HttpRequest) -> bool:
    return kept.visibility != Visibility.PRIVATE or kept.owner_id == request.user.pk


@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """A kept badge by its shared link: 404 while private (to anyone but its owner)."""
    queryset = KeptBadge.objects.select_related("credential__badge_class")
    kept = get_object_or_404(queryset, share_token=token)
    if not _visible(kept, request):
        raise Http404
    if kept.credential is not None:
        kept.status = keeping.verdict_of(kept).status
    response = render(
        request,
        "passport/shared.html",
        {
            "page_title": kept.title or _("Badge"),
            "kept": kept,
            "badge_url": presenter.badge_url(kept.credential) if kept.credential else "",
            "noindex": kept.visibility != Visibility.PUBLIC,
        },
    )
    if kept.visibility != Visibility.PUBLIC:
        response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
@member
def profile(request: HttpRequest) -> HttpResponse:
    mine, _created = Profile.objects.get_or_create(owner_id=request.user.pk)
    form = ProfileForm(request.POST or None, instance=mine)
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request, "passport/profile.html", {"form": form, "profile": mine}, status=400
            )
        form.save()
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("passport_profile")
    return render(
        request,
        "passport/profile.html",
        {
            "page_title": _("Mon profil public"),
            "form": form,
            "profile": mine,
            "public_url": settings.SITE_URL + reverse("portfolio", args=[mine.slug]),
            "public_count": KeptBadge.objects.filter(
                owner_id=request.user.pk, visibility=Visibility.PUBLIC
            ).count(),
        },
    )


@require_GET
def portfolio(request: HttpRequest, slug: str) -> HttpResponse:
    """The owner's public profile: the badges they made public, in their order."""
    shown = get_object_or_404(Profile, slug=slug, published=True)
    badges = KeptBadge.objects.filter(owner_id=shown.owner_id, visibility=Visibility.PUBLIC)
    return render(
        request,
        "passport/portfolio.html",
        {
            "page_title": shown.display_name or _("Portfolio"),
            "profile": shown,
            "badges": badges.order_by("position", "pk").select_related("credential"),
        },
    )


@require_GET
@member
def export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(keeping.export_archive(_me(request)), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="mon-passeport.zip"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@member
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    context = {"page_title": _("Supprimer mon compte"), "form": form}
    if getattr(request.user, "is_staff", False):
        context["staff"] = True
        return render(
            request,
            "passport/delete.html",
            context,
            status=403 if request.method == "POST" else 200,
        )
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "passport/delete.html", context, status=400)
        user = _me(request)
        logout(request)
        keeping.delete_account(user)
        messages.success(request, _("Votre compte et votre Passeport ont été supprimés."))
        return redirect("home")
    return render(request, "passport/delete.html", context)


def _may_offer(request: HttpRequest, credential: Credential) -> bool:
    """The holder only: known by their personal link (the session), or signed in to a
    Passport with a proven address the credential's salted hash names."""
    if holders.is_holder(request, credential):
        return True
    user = request.user
    return isinstance(user, User) and names_one_of(credential, verified_addresses(user))


@require_http_methods(["GET", "POST"])
def wallet_offer(request: HttpRequest, public_id: str) -> HttpResponse:
    """Add the badge to the Learner Credential Wallet (``insigne/passport/wallet.py``)."""
    credential = get_object_or_404(Credential, public_id=public_id)
    if not _may_offer(request, credential):
        raise Http404  # others learn nothing, not even that the badge exists
    context: dict[str, Any] = {
        "page_title": _("Ajouter à mon portefeuille"),
        "credential": credential,
        "badge_url": presenter.badge_url(credential),
        "minutes": wallet.WALLET_OFFER_SECONDS // 60,
    }
    status = 200
    if credential.revoked_at is not None or credential.replaced_by_id is not None:
        context["refused"] = _(
            "Ce badge a été retiré ou remplacé : il ne peut plus être ajouté à un portefeuille."
        )
        status = 409 if request.method == "POST" else 200
    elif request.method == "POST":
        client = ratelimit.client_address(request)
        if not ratelimit.allow("wallet-offer", client, *WALLET_OFFERS_PER_CLIENT):
            context["refused"] = _("Trop de demandes en une heure. Réessayez plus tard.")
            status = 429
        else:
            offer = wallet.make_offer(credential)
            context["offer"] = offer
            # Our own QR code of our own link: segno's SVG, nothing from the request in it.
            context["offer_qr"] = mark_safe(qr_svg(offer.deep_link))  # noqa: S308
    response = render(request, "passport/wallet.html", context, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@csrf_exempt  # a wallet app, not a browser form: the one-time token is the credential
def wallet_exchange(request: HttpRequest, token: str) -> HttpResponse:
    """The exchange the wallet POSTs to: the credential, once, to the token's holder.
    Every answer is JSON, errors included; the wallet's body is never read."""
    if request.method != "POST":
        refused = _json_error(_("Cette adresse ne répond qu'aux requêtes POST."), 405)
        refused["Allow"] = "POST"
        return refused
    if not ratelimit.allow(
        "wallet-exchange", ratelimit.client_address(request), *WALLET_EXCHANGES_PER_CLIENT
    ):
        return _json_error(_("Trop de demandes. Réessayez dans une minute."), 429)
    credential = wallet.take(token)
    if credential is None:
        return _json_error(
            _(
                "Ce lien d'ajout au portefeuille n'est plus valable (il ne sert qu'une fois, "
                "quelques minutes). Demandez-en un nouveau depuis la page de votre badge."
            ),
            404,
        )
    response = JsonResponse(wallet.answer(credential))
    response["Cache-Control"] = "no-store"
    return response
