"""Staff pages: upload a mission file, list past imports, read one import's rejected rows."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from insigne.missions.csv_format import COLUMNS, REQUIRED_COLUMNS
from insigne.missions.forms import MAX_UPLOAD_BYTES, UploadForm
from insigne.missions.models import MissionImport
from insigne.missions.services import import_csv
from insigne.platform import uploads

IMPORTS_PER_PAGE = 50
ERRORS_PER_PAGE = 200


def _too_large(request: HttpRequest) -> HttpResponse:
    return _import_page(request, UploadForm.too_large(), status=413)


@staff_member_required
@uploads.bounded(MAX_UPLOAD_BYTES, _too_large)
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        user = request.user if isinstance(request.user, User) else None
        # Streamed from Django's spooled copy (memory or a temporary file).
        result = import_csv(upload.file, "upload", upload.name or "", uploaded_by=user)
        return redirect("mission_import_detail", pk=result.pk)
    return _import_page(request, form)


def _import_page(request: HttpRequest, form: UploadForm, status: int = 200) -> HttpResponse:
    page = Paginator(MissionImport.objects.select_related("uploaded_by"), IMPORTS_PER_PAGE)
    context = {
        "form": form,
        "page_obj": page.get_page(request.GET.get("page")),
        "columns": list(COLUMNS),
        "required_columns": REQUIRED_COLUMNS,
        "page_title": _("Imports de missions"),
    }
    return render(request, "missions/import_list.html", context, status=status)


@staff_member_required
@require_http_methods(["GET"])
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_object_or_404(MissionImport.objects.select_related("uploaded_by"), pk=pk)
    context = {
        "import": result,
        "errors_page": Paginator(result.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page")),
        "page_title": _("Import n° %(pk)s") % {"pk": result.pk},
    }
    return render(request, "missions/import_detail.html", context)
