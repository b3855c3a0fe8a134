"""Support console: find a volunteer by name, dates and place; resend; fix an address."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from insigne.claims import services
from insigne.console.forms import ChangeAddressForm, SupportSearchForm
from insigne.missions.models import Mission

MAX_RESULTS = 100
# Support agents type names as volunteers write them in mail, often without accents.
_ACCENTS = {
    "a": "aàâäáã",
    "c": "cç",
    "e": "eéèêë",
    "i": "iîïíì",
    "n": "nñ",
    "o": "oôöóò",
    "u": "uùûüú",
    "y": "yÿý",
}


def accent_pattern(word: str) -> str:
    """A case-insensitive regex matching ``word`` with or without accents ("demo" → Démo)."""
    base = "".join(
        next((key for key, variants in _ACCENTS.items() if ch in variants), ch)
        for ch in word.lower()
    )
    return "".join(f"[{_ACCENTS[ch]}]" if ch in _ACCENTS else re.escape(ch) for ch in base)


def search_missions(data: dict[str, object]) -> QuerySet[Mission]:
    missions = Mission.objects.select_related("invitation", "invitation__credential")
    for word in str(data.get("name") or "").split():
        pattern = accent_pattern(word)
        missions = missions.filter(Q(family_name__iregex=pattern) | Q(given_name__iregex=pattern))
    if data.get("email"):
        missions = missions.filter(email__icontains=str(data["email"]).strip())
    if place := str(data.get("place") or "").strip():
        missions = missions.filter(
            Q(commune__icontains=place)
            | Q(departement__iexact=place)
            | Q(host_name__icontains=place)
        )
    if data.get("ended_from"):
        missions = missions.filter(actual_end_date__gte=data["ended_from"])
    if data.get("ended_until"):
        missions = missions.filter(actual_end_date__lte=data["ended_until"])
    return missions.order_by("family_name", "given_name", "-start_date")


@staff_member_required
@require_GET
def support(request: HttpRequest) -> HttpResponse:
    form = SupportSearchForm(request.GET or None)
    results = None
    if form.has_criteria():
        results = list(search_missions(form.cleaned_data)[: MAX_RESULTS + 1])
    context = {
        "form": form,
        "results": results[:MAX_RESULTS] if results is not None else None,
        "truncated": results is not None and len(results) > MAX_RESULTS,
        "page_title": _("Support aux volontaires"),
    }
    return render(request, "console/support.html", context)


@staff_member_required
@require_GET
def mission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mission = get_object_or_404(
        Mission.objects.select_related("invitation", "invitation__credential"), pk=pk
    )
    context = {
        "mission": mission,
        "address_form": ChangeAddressForm(initial={"email": mission.email}),
        "page_title": str(mission),
    }
    return render(request, "console/mission.html", context)


@staff_member_required
@require_POST
def mission_resend(request: HttpRequest, pk: int) -> HttpResponse:
    mission = get_object_or_404(Mission, pk=pk)
    if services.resend_for_mission(mission):
        messages.success(request, _("Le courriel a été renvoyé."))
    else:
        messages.warning(
            request,
            _(
                "Rien à renvoyer : la mission n'a pas encore d'invitation, "
                "ou le badge a été refusé."
            ),
        )
    return redirect("console_mission", pk=pk)


@staff_member_required
@require_POST
def mail_retry(request: HttpRequest) -> HttpResponse:
    """The banner's button: send again every given-up mail and refused address."""
    count = services.resend_given_up_mail()
    messages.success(
        request,
        ngettext("%(count)d courriel renvoyé.", "%(count)d courriels renvoyés.", count)
        % {"count": count},
    )
    return redirect(back_to_console(request))


def back_to_console(request: HttpRequest) -> str:
    """Back to the console page the button was on, or the support page."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()})
    return target if allowed and target.startswith("/console/") else reverse("console_support")


@staff_member_required
@require_POST
def mission_address(request: HttpRequest, pk: int) -> HttpResponse:
    mission = get_object_or_404(Mission, pk=pk)
    form = ChangeAddressForm(request.POST)
    if not form.is_valid():
        context = {"mission": mission, "address_form": form, "page_title": str(mission)}
        return render(request, "console/mission.html", context, status=400)
    services.change_address(mission, form.cleaned_data["email"])
    messages.success(request, _("Adresse modifiée. Vous pouvez maintenant renvoyer le courriel."))
    return redirect("console_mission", pk=pk)
