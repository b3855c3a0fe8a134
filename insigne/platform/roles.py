"""Staff roles: three Django groups and the console permissions they hold, in one place.

Every console page and staff action checks one permission of the ``console`` app
(``console.<codename>``, held by the unmanaged model ``console.ConsoleRights``),
never ``is_staff`` alone. A staff member holds the rights of their groups;
a superuser holds them all.

=========================  ==================================================
role (group)               may
=========================  ==================================================
Agent de support           search and view volunteers, resend, fix an address,
                           reopen a declined claim
Responsable de programme   the support view, imports, backfill campaigns,
                           figures, the texts of the badge (badge class)
Administrateur             everything above, revoke and correct badges, API
                           tokens, staff accounts and groups
=========================  ==================================================

The groups are created by a data migration of the console app
(:func:`ensure_roles`, idempotent, run again by ``manage.py setup_roles``).
"""

from __future__ import annotations

from typing import Any

APP_LABEL = "console"
MODEL = "consolerights"

VIEW_SUPPORT = "view_support"
RESEND_MAIL = "resend_mail"
FIX_ADDRESS = "fix_address"
REOPEN_CLAIM = "reopen_claim"
MANAGE_IMPORTS = "manage_imports"
MANAGE_CAMPAIGNS = "manage_campaigns"
VIEW_FIGURES = "view_figures"
REVOKE_CREDENTIAL = "revoke_credential"
REISSUE_CREDENTIAL = "reissue_credential"
MANAGE_API_TOKENS = "manage_api_tokens"

# codename -> name as the admin shows it (French: the staff's language).
PERMISSIONS: dict[str, str] = {
    VIEW_SUPPORT: "Rechercher et consulter les volontaires",
    RESEND_MAIL: "Renvoyer une invitation ou un badge",
    FIX_ADDRESS: "Corriger l'adresse d'un volontaire",
    REOPEN_CLAIM: "Rouvrir une demande refusée",
    MANAGE_IMPORTS: "Importer des missions",
    MANAGE_CAMPAIGNS: "Gérer les campagnes de rattrapage",
    VIEW_FIGURES: "Consulter les chiffres du programme",
    REVOKE_CREDENTIAL: "Révoquer un badge",
    REISSUE_CREDENTIAL: "Corriger un badge (révoquer et réémettre)",
    MANAGE_API_TOKENS: "Gérer les jetons d'API",
}

SUPPORT_AGENT = "Agent de support"
PROGRAMME_MANAGER = "Responsable de programme"
ADMINISTRATOR = "Administrateur"

_SUPPORT = (VIEW_SUPPORT, RESEND_MAIL, FIX_ADDRESS, REOPEN_CLAIM)
_PROGRAMME = (VIEW_SUPPORT, MANAGE_IMPORTS, MANAGE_CAMPAIGNS, VIEW_FIGURES)

# Permissions of other apps a role holds, as (app_label, model, codename).
_OTHER: dict[str, tuple[tuple[str, str, str], ...]] = {
    PROGRAMME_MANAGER: (
        ("credentials", "badgeclass", "view_badgeclass"),
        ("credentials", "badgeclass", "change_badgeclass"),
    ),
    ADMINISTRATOR: (
        ("credentials", "badgeclass", "view_badgeclass"),
        ("credentials", "badgeclass", "change_badgeclass"),
        ("auth", "user", "view_user"),
        ("auth", "user", "add_user"),
        ("auth", "user", "change_user"),
        ("auth", "group", "view_group"),
    ),
}

ROLES: dict[str, tuple[str, ...]] = {
    SUPPORT_AGENT: _SUPPORT,
    PROGRAMME_MANAGER: _PROGRAMME,
    ADMINISTRATOR: tuple(PERMISSIONS),
}


def perm(codename: str) -> str:
    """``"console.<codename>"``, as ``user.has_perm`` takes it."""
    return f"{APP_LABEL}.{codename}"


def allowed(user: Any, codename: str) -> bool:
    """Whether a signed-in, active staff member holds this console right."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(perm(codename))
    )


def _permission(apps: Any, app_label: str, model: str, codename: str, name: str) -> Any:
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    content_type, _created = content_type_model.objects.get_or_create(
        app_label=app_label, model=model
    )
    permission, _created = permission_model.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name[:255]}
    )
    return permission


def ensure_roles(apps: Any) -> None:
    """Create the permissions and the three groups with exactly their rights (idempotent).

    ``apps`` is a migration's app registry or ``django.apps.apps``. Permissions of
    other apps are created when missing (the post-migrate signal would create them
    later, under the same codename).
    """
    group_model = apps.get_model("auth", "Group")
    console = {
        codename: _permission(apps, APP_LABEL, MODEL, codename, name)
        for codename, name in PERMISSIONS.items()
    }
    for role, codenames in ROLES.items():
        group, _created = group_model.objects.get_or_create(name=role)
        rights = [console[codename] for codename in codenames]
        rights += [
            _permission(apps, label, model, codename, codename.replace("_", " "))
            for label, model, codename in _OTHER.get(role, ())
        ]
        group.permissions.set(rights)


def remove_roles(apps: Any) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()
