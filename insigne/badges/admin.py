"""Staff screens for badge classes (image checked and scrubbed on upload) and issued badges."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from insigne.badges.models import BadgeClass, Credential
from insigne.badges.services import revoke_credential
from insigne.openbadges.images import BadgeImageError, check_badge_image
from insigne.platform.messages import explain


def _checked(upload: Any, media_type: str) -> tuple[bytes, tuple[str, ...]]:
    try:
        image = check_badge_image(upload.read(), scrub=True)
    except BadgeImageError as error:
        raise forms.ValidationError(explain(error), code=error.code) from error
    if image.media_type != media_type:
        raise forms.ValidationError(
            _("Ce fichier n'est pas au format attendu (%(type)s).") % {"type": media_type},
            code="wrong_format",
        )
    return image.data, image.removed


class BadgeClassForm(forms.ModelForm):  # type: ignore[type-arg]
    png_file = forms.FileField(
        label=_("Image PNG du badge"),
        required=False,
        help_text=_("PNG carré, 90 à 2048 pixels de côté, 1 Mio au plus. Jointe au courriel."),
    )
    svg_file = forms.FileField(
        label=_("Image SVG du badge (facultative)"),
        required=False,
        help_text=_("Les scripts et références externes sont retirés à l'enregistrement."),
    )

    class Meta:
        model = BadgeClass
        fields = ["slug", "name", "description_template", "criteria", "competencies"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competencies"].required = False  # a badge may list none

    def clean_png_file(self) -> Any:
        upload = self.cleaned_data.get("png_file")
        if upload:
            self.png_data, _removed = _checked(upload, "image/png")
        elif not self.instance.pk:
            raise forms.ValidationError(_("Une image PNG est nécessaire."), code="required")
        return upload

    def clean_svg_file(self) -> Any:
        upload = self.cleaned_data.get("svg_file")
        if upload:
            self.svg_data, self.svg_removed = _checked(upload, "image/svg+xml")
        return upload

    def save(self, commit: bool = True) -> BadgeClass:
        badge_class: BadgeClass = super().save(commit=False)
        if getattr(self, "png_data", None):
            badge_class.image = self.png_data
        if getattr(self, "svg_data", None):
            badge_class.image_svg = self.svg_data.decode("utf-8")
        if commit:
            badge_class.save()
        return badge_class


@admin.register(BadgeClass)
class BadgeClassAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = BadgeClassForm
    list_display = ["name", "slug", "created_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if getattr(form, "svg_removed", ()):
            removed = ", ".join(form.svg_removed)
            self.message_user(
                request,
                _("Éléments retirés de l'image SVG : %(r)s") % {"r": removed},
                messages.WARNING,
            )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Motif de révocation"), max_length=300)


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["public_id", "family_name", "given_name", "issued_at", "revoked_at"]
    search_fields = ["public_id", "family_name", "given_name"]
    list_filter = ["revoked_at"]
    actions = ["revoke"]
    readonly_fields = [f.name for f in Credential._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # badges are issued by volunteers' validation only

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a signed badge is revoked, never deleted

    @admin.action(description=_("Révoquer les badges sélectionnés (motif demandé)"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Credential]) -> Any:
        form = RevokeForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = sum(revoke_credential(c, form.cleaned_data["reason"]) for c in queryset)
            self.message_user(request, _("%(n)d badge(s) révoqué(s).") % {"n": count})
            return None
        context = {**self.admin_site.each_context(request), "form": form, "queryset": queryset}
        return render(request, "admin/credentials/revoke.html", context)
