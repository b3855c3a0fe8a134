"""The Passport's own forms (allauth's cover the account itself)."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from insigne.passport.models import Profile, Visibility
from insigne.verifier.forms import BadgeFileForm


class ImportForm(BadgeFileForm):
    badge_text = forms.CharField(
        label=_("Ou collez le contenu du badge"),
        help_text=_("Le JSON du badge ou son jeton JWT (trois parties séparées par des points)."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
    )
    badge_url = forms.URLField(
        label=_("Ou donnez l'adresse du badge"),
        help_text=_(
            "Une adresse en https:// qui mène au badge, par exemple https://exemple.fr/badge.json"
        ),
        required=False,
        assume_scheme="https",
        # http only reaches the hosts the verifier allows it for (tests, local setups).
        validators=[URLValidator(schemes=["https", "http"])],
        error_messages={"invalid": _("Saisissez une adresse web valide, commençant par https://.")},
    )

    def clean_badge_file(self) -> Any:
        upload = self.cleaned_data.get("badge_file")
        if upload and upload.size > settings.PASSPORT_MAX_UPLOAD:
            megabytes = settings.PASSPORT_MAX_UPLOAD // (1024 * 1024)
            raise forms.ValidationError(
                _("Le fichier est trop volumineux : %(size)d Mo au plus.") % {"size": megabytes},
                code="too_large",
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        given = [
            name
            for name in ("badge_file", "badge_text", "badge_url")
            if name not in self.errors and str(cleaned.get(name) or "").strip()
        ]
        if not self.errors and len(given) != 1:
            raise forms.ValidationError(
                _("Donnez un seul badge : un fichier, un texte collé ou une adresse.")
                if given
                else _("Déposez un fichier de badge, collez son contenu ou donnez son adresse."),
                code="one_input",
            )
        return cleaned


class VisibilityForm(forms.Form):
    visibility = forms.ChoiceField(
        label=_("Qui peut voir ce badge ?"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
    )


class ProfileForm(forms.ModelForm[Profile]):
    class Meta:
        model = Profile
        fields = ["display_name", "published"]
        help_texts = {
            "display_name": _(
                "Le nom affiché en haut de votre profil public, par exemple « Camille D. »."
            ),
            "published": _(
                "Votre profil montre seulement les badges que vous avez rendus publics."
            ),
        }


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Je comprends que mon compte, mes adresses et les badges conservés dans mon "
            "Passeport seront effacés définitivement."
        ),
        error_messages={"required": _("Cochez la case pour confirmer la suppression.")},
    )


class SignupForm(AllauthSignupForm):  # type: ignore[misc]
    """allauth's sign-up with the password optional (``ACCOUNT_SIGNUP_FIELDS``): no one
    needs one, since the address is proven by a link and every later sign-in can be
    by a code sent to it. A password given is checked by the validators as usual."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "password1" in self.fields:
            self.fields["password1"].label = _("Mot de passe (facultatif)")
            self.fields["password1"].help_text = _(
                "Sans mot de passe, vous vous connecterez avec un code reçu par courriel. "
                "Si vous en choisissez un : 12 caractères au moins."
            )
        if "password2" in self.fields:
            self.fields["password2"].label = _(
                "Mot de passe, à nouveau (si vous en avez choisi un)"
            )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        if cleaned.get("password1") and not cleaned.get("password2"):
            self.add_error("password2", _("Saisissez le même mot de passe une seconde fois."))
        return cleaned
