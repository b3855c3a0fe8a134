"""Console pages of the programme: the dashboard, imports and their reports, LinkedIn clicks."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from insigne.badges.holders import can_see
from insigne.badges.models import Credential, Visibility
from insigne.badges.presenter import linkedin_url
from insigne.missions.csv_format import COLUMNS, REQUIRED_COLUMNS
from insigne.missions.models import MissionImport
from insigne.platform import roles, uploads
from insigne.platform.access import requires
from insigne.programme import counters, figures, imports
from insigne.programme.forms import MAX_UPLOAD_BYTES, UploadForm
from insigne.programme.models import BackgroundImport, CountKind, ImportStatus

# --- dashboard -----------------------------------------------------------------------------


@requires(roles.VIEW_FIGURES)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    data = figures.funnel(request.GET.get("par", "mois"))
    context = {
        "funnel": data,
        "chart": figures.chart_data(data),
        "dimensions": figures.DIMENSIONS,
        "dimension_label": figures.DIMENSIONS[data.dimension],
        "page_title": _("Tableau de bord du programme, par %(dimension)s")
        % {"dimension": str(figures.DIMENSIONS[data.dimension]).lower()},
    }
    return render(request, "programme/dashboard.html", context)


@requires(roles.VIEW_FIGURES)
@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    data = figures.funnel(request.GET.get("par", "mois"))
    response = HttpResponse(
        "\ufeff" + figures.funnel_csv(data), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="insigne-entonnoir-{data.dimension}.csv"'
    )
    return response


# --- imports -------------------------------------------------------------------------------

ERRORS_PER_PAGE = 200


def _too_large(request: HttpRequest) -> HttpResponse:
    return _imports_page(request, UploadForm.too_large(), status=413)


@requires(roles.MANAGE_IMPORTS)
@uploads.bounded(MAX_UPLOAD_BYTES, _too_large)
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        user = request.user if isinstance(request.user, User) else None
        job = imports.queue_import(upload.read(), upload.name or "", user)
        return redirect("programme_import", pk=job.pk)
    return _imports_page(request, form, status=400 if form.is_bound else 200)


def _imports_page(request: HttpRequest, form: UploadForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "jobs": BackgroundImport.objects.select_related("result", "uploaded_by").defer("data")[
            :100
        ],
        "columns": list(COLUMNS),
        "required_columns": REQUIRED_COLUMNS,
        "page_title": _("Imports en arrière-plan"),
    }
    return render(request, "programme/import_list.html", context, status=status)


def _job(pk: int) -> BackgroundImport:
    return get_object_or_404(
        BackgroundImport.objects.select_related("result", "uploaded_by").defer("data"), pk=pk
    )


@never_cache
@requires(roles.MANAGE_IMPORTS)
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(pk)
    context = {"job": job, "outlook": job.outlook, "page_title": job.filename or _("Import")}
    return render(request, "programme/import_detail.html", context)


@never_cache
@requires(roles.MANAGE_IMPORTS)
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """What the progress bar polls: a few numbers, no personal data."""
    job = _job(pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "percent": job.percent,
            "finished": job.status in (ImportStatus.DONE, ImportStatus.FAILED),
        }
    )


@requires(roles.MANAGE_IMPORTS)
@require_GET
def import_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The report of any import (upload, command, API): counts, warnings, rejected rows."""
    result = get_object_or_404(MissionImport.objects.select_related("uploaded_by"), pk=pk)
    context = {
        "import": result,
        "errors_page": Paginator(result.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page")),
        "page_title": _("Import n° %(pk)s") % {"pk": result.pk},
    }
    return render(request, "programme/import_result.html", context)


@require_safe
def former_import_list(request: HttpRequest) -> HttpResponse:
    """``/console/imports/``, where files were once imported during the request: to the
    background import page (whose history lists the uploads, each with its report).

    A temporary redirect (302), not a permanent one: the reports of single imports stay
    under ``/console/imports/<pk>/``, and this address may again list every import, those
    of the API and of the command included, which the background page does not; a 301
    would stay in browsers' caches. Only GET and HEAD: an upload posted here is refused
    (405), never imported.
    """
    return redirect("programme_imports")


@requires(roles.MANAGE_IMPORTS)
@require_GET
def rejected_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows of any import (upload, command, API) as CSV: line, column, reason."""
    result = get_object_or_404(MissionImport, pk=pk)
    response = HttpResponse(
        "\ufeff" + imports.rejected_rows_csv(result), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{result.pk}-rejets.csv"'
    return response


# --- "Ajouter à LinkedIn" ------------------------------------------------------------------


@require_GET
def linkedin(request: HttpRequest, public_id: str) -> HttpResponse:
    """Count one click, then send the volunteer to LinkedIn's prefilled certification form.

    Only for a badge whose page this visitor may see (a hidden page: its holder
    and staff), and never for a revoked badge.
    """
    credential = Credential.objects.filter(public_id=public_id, revoked_at=None).first()
    if credential is None or (
        credential.visibility == Visibility.HIDDEN and not can_see(request, credential)
    ):
        raise Http404
    counters.count(CountKind.LINKEDIN_CLICK)
    response = HttpResponseRedirect(linkedin_url(credential))
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
