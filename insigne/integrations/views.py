"""Console pages of the integrator API's tokens: create (shown once), list, revoke."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from insigne.integrations.forms import TokenForm
from insigne.integrations.models import ApiToken
from insigne.integrations.tokens import create_token, revoke_token
from insigne.platform import roles
from insigne.platform.access import requires


@never_cache
@requires(roles.MANAGE_API_TOKENS)
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    initial = {"expires_on": (timezone.localdate() + dt.timedelta(days=365)).strftime("%d/%m/%Y")}
    form = TokenForm(request.POST or None, initial=initial)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = request.user if isinstance(request.user, User) else None
            created = create_token(
                form.cleaned_data["name"],
                form.cleaned_data["scopes"],
                form.expires_at(),
                created_by=user,
            )
            secret = created.secret
            form = TokenForm(initial=initial)
        else:
            status = 400
    context = {
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.select_related("created_by")[:200],
        "page_title": _("Jeton créé — jetons de l'API")
        if secret
        else (_("Erreur : jetons de l'API") if form.errors else _("Jetons de l'API")),
    }
    return render(request, "integrations/tokens.html", context, status=status)


@requires(roles.MANAGE_API_TOKENS)
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    if revoke_token(token):
        messages.success(request, _("Jeton « %(name)s » révoqué.") % {"name": token.name})
    else:
        messages.info(request, _("Ce jeton était déjà révoqué."))
    return redirect("integrations_tokens")
