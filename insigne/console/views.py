"""Support console: find a volunteer, see where they stand, and act within one's rights.

Each view names the right it needs (``insigne.platform.roles``); each action
writes the audit log through the service it calls.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from insigne.claims import corrections, services
from insigne.claims.models import Invitation
from insigne.claims.services import ClaimError
from insigne.console import history, replies
from insigne.console.forms import (
    ChangeAddressForm,
    DateKind,
    ReissueForm,
    RevokeForm,
    SupportSearchForm,
)
from insigne.missions.models import Mission
from insigne.platform import audit, roles
from insigne.platform.access import requires, rights
from insigne.platform.departements import code_for
from insigne.platform.messages import explain
from insigne.platform.text import fold

MAX_RESULTS = 100


def search_missions(data: dict[str, Any]) -> QuerySet[Mission]:
    """Missions matching every criterion given; text compared folded (accents, case, hyphens).

    Names match the record and the badge as signed (``search_name``); the place
    matches commune, host organisation and département, by code or name
    (``search_place``), each typed word anywhere.
    """
    missions = Mission.objects.select_related("invitation", "invitation__credential")
    name = str(data.get("name") or "")
    if name.strip() and not fold(name):
        return missions.none()  # only punctuation: it names no one
    for word in fold(name).split():
        missions = missions.filter(search_name__contains=word)
    # The address and the id are looked up whole, through their indexes (a part of
    # an address would read the whole table): the address whatever its case, the id
    # as typed or in capitals.
    if email := str(data.get("email") or "").strip():
        missions = missions.alias(address=Lower("email")).filter(address=email.lower())
    if external_id := str(data.get("external_id") or "").strip():
        missions = missions.filter(external_id__in={external_id, external_id.upper()})
    if place := str(data.get("place") or "").strip():
        code = code_for(place)
        if not fold(place):
            return missions.none()
        words = Q()
        for word in fold(place).split():
            words &= Q(search_place__contains=word)
        missions = missions.filter(words | Q(departement=code) if code else words)
    field = "start_date" if data.get("date_kind") == DateKind.START else "actual_end_date"
    if data.get("date_from"):
        missions = missions.filter(**{f"{field}__gte": data["date_from"]})
    if data.get("date_until"):
        missions = missions.filter(**{f"{field}__lte": data["date_until"]})
    return missions.order_by("family_name", "given_name", "-start_date")


@requires(roles.VIEW_SUPPORT)
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
    return render(request, "console/support.html", context, status=400 if form.errors else 200)


def _mission_context(request: HttpRequest, mission: Mission, **forms: Any) -> dict[str, Any]:
    invitation = Invitation.objects.filter(mission=mission).first()
    badges = history.badges_of(invitation)
    mails = history.mails_of(mission, invitation, badges)
    entries = history.audit_entries(mission)
    current = badges[0] if badges else None
    usable = current is not None and current.revoked_at is None
    allowed = rights(request.user)
    return {
        "mission": mission,
        "invitation": invitation,
        "badges": badges,
        "current": current,
        "mails": mails,
        "entries": entries,
        "timeline": history.timeline(
            mission,
            invitation,
            badges,
            mails,
            entries,
            history.imports_of(mission),
            import_links=allowed[roles.MANAGE_IMPORTS],
        ),
        "resendable": services.what_to_resend(mission),
        "usable": usable,
        "rights": allowed,
        "replies": replies.replies(mission, invitation),
        "address_form": forms.get("address_form")
        or ChangeAddressForm(initial={"email": mission.email}),
        "revoke_form": forms.get("revoke_form") or RevokeForm(),
        "reissue_form": forms.get("reissue_form")
        or ReissueForm(
            initial={
                "given_name": current.given_name if current else "",
                "family_name": current.family_name if current else "",
                "host_name": current.host_name if current else "",
            }
        ),
        "page_title": f"{mission.given_name} {mission.family_name}",
    }


@requires(roles.VIEW_SUPPORT)
@require_GET
def mission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mission = get_object_or_404(Mission, pk=pk)
    return render(request, "console/mission.html", _mission_context(request, mission))


@requires(roles.RESEND_MAIL)
@require_POST
def mission_resend(request: HttpRequest, pk: int) -> HttpResponse:
    mission = get_object_or_404(Mission, pk=pk)
    if services.resend_for_mission(mission, actor=request.user):
        messages.success(request, _("Le courriel a été renvoyé."))
    else:
        messages.warning(
            request,
            _(
                "Rien à renvoyer : la mission n'a pas d'invitation en cours, "
                "le badge a été refusé ou il est révoqué, ou il est en cours de "
                "signature (son courriel partira ensuite)."
            ),
        )
    return redirect("console_mission", pk=pk)


@requires(roles.REOPEN_CLAIM)
@require_POST
def mission_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    mission = get_object_or_404(Mission, pk=pk)
    if services.reopen_declined(mission, actor=request.user):
        messages.success(
            request, _("Demande rouverte : un nouveau lien personnel a été envoyé au volontaire.")
        )
    else:
        messages.warning(request, explain(ClaimError("not_declined")))
    return redirect("console_mission", pk=pk)


@requires(roles.RESEND_MAIL)
@require_POST
def mail_retry(request: HttpRequest) -> HttpResponse:
    """The banner's button: send again every given-up mail and refused address."""
    count = services.resend_given_up_mail()
    audit.record(request.user, "retry_mail", "mail:given_up", {}, {"renvoyés": count})
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


@requires(roles.FIX_ADDRESS)
@require_POST
def mission_address(request: HttpRequest, pk: int) -> HttpResponse:
    mission = get_object_or_404(Mission, pk=pk)
    form = ChangeAddressForm(request.POST)
    if not form.is_valid():
        context = _mission_context(request, mission, address_form=form)
        return render(request, "console/mission.html", context, status=400)
    services.change_address(mission, form.cleaned_data["email"], actor=request.user)
    messages.success(request, _("Adresse modifiée. Vous pouvez maintenant renvoyer le courriel."))
    return redirect("console_mission", pk=pk)


def _current_badge(mission: Mission) -> Any:
    invitation = Invitation.objects.filter(mission=mission).select_related("credential").first()
    return invitation.credential if invitation is not None else None


@requires(roles.REVOKE_CREDENTIAL)
@require_POST
def mission_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    mission = get_object_or_404(Mission, pk=pk)
    credential = _current_badge(mission)
    form = RevokeForm(request.POST)
    if credential is None or not form.is_valid():
        context = _mission_context(request, mission, revoke_form=form)
        return render(request, "console/mission.html", context, status=400)
    if corrections.revoke(credential, form.cleaned_data["reason"], actor=request.user):
        messages.success(request, _("Le badge est révoqué."))
    else:
        messages.warning(request, explain(ClaimError("already_revoked")))
    return redirect("console_mission", pk=pk)


@requires(roles.REISSUE_CREDENTIAL)
@require_POST
def mission_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    mission = get_object_or_404(Mission, pk=pk)
    credential = _current_badge(mission)
    form = ReissueForm(request.POST)
    if credential is not None and form.is_valid():
        try:
            corrections.reissue(credential, actor=request.user, **form.cleaned_data)
        except ClaimError as error:
            form.add_error(None, explain(error))
        else:
            messages.success(
                request, _("Le badge corrigé a été émis et envoyé ; l'ancien est révoqué.")
            )
            return redirect("console_mission", pk=pk)
    context = _mission_context(request, mission, reissue_form=form)
    return render(request, "console/mission.html", context, status=400)


class _Echo:
    def write(self, value: str) -> str:
        return value


@requires(roles.VIEW_SUPPORT)
@require_GET
def audit_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The audit log as CSV (``?mission=<id>`` for one volunteer), safe for spreadsheets."""
    mission = request.GET.get("mission", "")
    entries = history.audit_queryset(int(mission) if mission.isdigit() else None)
    writer = csv.writer(_Echo(), delimiter=";")
    rows = (writer.writerow(row) for row in audit.csv_rows(entries.iterator()))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    name = f"journal-mission-{mission}.csv" if mission.isdigit() else "journal.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
