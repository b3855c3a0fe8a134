"""Console pages of backfill campaigns: create (with the count it would invite), start,
pause, resume, and follow progress."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from insigne.platform import roles
from insigne.platform.access import requires
from insigne.platform.messages import explain
from insigne.programme import campaigns
from insigne.programme.forms import CampaignForm
from insigne.programme.models import Campaign


@requires(roles.MANAGE_CAMPAIGNS)
@require_http_methods(["GET", "POST"])
def campaign_list(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            campaign = Campaign.objects.create(
                name=data["name"],
                ended_from=data["ended_from"],
                ended_until=data["ended_until"],
                per_hour=data["per_hour"],
                created_by=request.user if isinstance(request.user, User) else None,
            )
            return redirect("programme_campaign", pk=campaign.pk)
        status = 400
    context = {
        "form": form,
        "campaigns": Campaign.objects.all()[:100],
        "page_title": _("Erreur : campagnes de rattrapage")
        if form.errors
        else _("Campagnes de rattrapage"),
    }
    return render(request, "programme/campaign_list.html", context, status=status)


@requires(roles.MANAGE_CAMPAIGNS)
@require_http_methods(["GET"])
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    context = {
        "campaign": campaign,
        "remaining": campaigns.remaining(campaign).count(),
        "next_window": campaigns.next_window(campaign),
        "page_title": campaign.name,
    }
    return render(request, "programme/campaign_detail.html", context)


ACTIONS = {"start": campaigns.start, "pause": campaigns.pause, "resume": campaigns.resume}
DONE = {
    "start": gettext_lazy("Campagne lancée."),
    "pause": gettext_lazy("Campagne mise en pause."),
    "resume": gettext_lazy("Campagne reprise."),
}


@requires(roles.MANAGE_CAMPAIGNS)
@require_POST
def campaign_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    step = ACTIONS.get(action)
    if step is None:
        return HttpResponse(status=404)
    try:
        step(campaign)
    except campaigns.CampaignError as error:
        messages.warning(request, explain(error))
    else:
        messages.success(request, str(DONE[action]))
    return redirect("programme_campaign", pk=pk)
