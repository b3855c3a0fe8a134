"""One table from code to sentence: every refusal and every verification check, in French.

Errors (:class:`insigne.platform.errors.CodedError`) and checks
(:class:`insigne.openbadges.checks.Check`) carry a code and the values their
sentence needs; the sentence is written once, here, and translated through the
English catalogue. The verifier's pages, its JSON API (``message_fr`` and
``message``), the badge-class admin and the mail previews all read this table.

Placeholders are ``{name}``; a ``datetime.date`` value is written out as a date of
the active language ("1 mars 2026", "March 1, 2026").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from insigne.platform.errors import CodedError

Params = Mapping[str, "str | int | dt.date"]

MESSAGES: dict[str, Promise] = {
    # --- the file handed to the verifier ---------------------------------------------------
    "too_large": _("Le fichier dépasse {mib} Mio."),
    "empty": _("Aucun badge n'a été fourni."),
    "unknown_format": _(
        "Format non reconnu : déposez l'image du badge (PNG ou SVG) ou son fichier JSON, ou "
        "collez son adresse, son identifiant, son JSON ou son jeton JWT."
    ),
    "qr_unreadable": _("Aucun code QR lisible sur cette image : reprenez la photo de plus près."),
    "image_too_large": _("Cette image est trop grande pour être lue."),
    "qr_none": _("Aucun code QR n'a été trouvé sur cette image : reprenez la photo de plus près."),
    "qr_not_badge": _("Ce code QR ne désigne pas un badge (ni adresse ni identifiant de badge)."),
    "badge_id_unknown": _("Aucun badge de ce site ne porte l'identifiant {id}."),
    "not_text": _("Ce fichier n'est ni une image de badge ni du texte."),
    "misnamed_image": _(
        "Ce fichier porte l'extension .{extension} mais n'en est pas une image lisible."
    ),
    "svg_invalid": _("Ce fichier SVG est illisible."),
    "svg_script": _("Ce fichier SVG contient du code exécutable : il est refusé par sécurité."),
    "not_baked": _("Cette image ne contient pas de badge (aucune donnée Open Badges)."),
    "json_invalid": _("Le texte JSON est illisible."),
    "json_not_object": _("Le JSON n'est pas un objet."),
    "json_too_deep": _("Le JSON est imbriqué trop profondément (plus de {max} niveaux)."),
    "svg_too_complex": _(
        "L'image SVG est trop complexe (plus de {depth} niveaux imbriqués ou {elements} éléments)."
    ),
    "jwt_invalid": _("Le JWT est illisible."),
    "unknown_version": _("Ce document n'est ni un Open Badge 3.0 ni un Open Badge 2.0."),
    "url_unreachable": _("Le badge n'a pas pu être obtenu à l'adresse {url}."),
    # --- requests refused before they are read (uploads, the JSON APIs) -------------------
    "request_too_large": _("La requête dépasse la taille autorisée ({mib} Mio au plus)."),
    "bad_request": _("Requête invalide."),
    "api_not_found": _("Aucune ressource à cette adresse de l'API."),
    "method_not_allowed": _("Méthode HTTP non acceptée à cette adresse."),
    "forbidden": _("Accès refusé."),
    "server_error": _("Erreur interne : la demande n'a pas pu être traitée. Réessayez plus tard."),
    # --- the integrator API (/api/v2) -----------------------------------------------------
    "token_refused": _(
        "Jeton absent, inconnu, expiré ou révoqué : en-tête « Authorization: Bearer <jeton> » "
        "attendu, avec un jeton actif."
    ),
    "scope_missing": _("Ce jeton n'a pas le droit « {scope} » que demande cette opération."),
    "rate_limited": _("Trop de requêtes : réessayez dans une minute."),
    "invalid_request": _("La requête ne suit pas la description de l'API (voir « details »)."),
    "invalid_json": _("Le corps de la requête n'est pas du JSON valide."),
    "list_expected": _("Une liste JSON d'objets mission est attendue."),
    "too_many_rows": _("{count} missions envoyées, {max} au plus par requête."),
    "mission_not_found": _("Aucune mission avec cet identifiant."),
    "credential_not_found": _("Aucun badge avec cet identifiant."),
    "correction_empty": _("Indiquez au moins un champ corrigé : prénom, nom ou structure."),
    "credential_already_revoked": _(
        "Ce badge est déjà révoqué : corrigez le badge qui l'a remplacé, s'il y en a un."
    ),
    # --- backfill campaigns ---------------------------------------------------------------
    "campaign_not_draft": _("Cette campagne a déjà été lancée."),
    "campaign_not_running": _(
        "Cette campagne n'est pas en cours : elle ne peut être mise en pause."
    ),
    "campaign_not_paused": _("Cette campagne n'est pas en pause : elle ne peut reprendre."),
    # --- fetching another issuer's documents ----------------------------------------------
    "fetch_scheme": _("Adresse refusée : seules les adresses https sont consultées ({url})."),
    "fetch_private_address": _("Adresse refusée : elle mène à un réseau privé ({url})."),
    "fetch_too_large": _("Le document à l'adresse {url} est trop volumineux."),
    "fetch_timeout": _("Le serveur à l'adresse {url} n'a pas répondu à temps."),
    "fetch_network": _("Le serveur à l'adresse {url} est injoignable."),
    "fetch_status": _("Le serveur à l'adresse {url} a refusé la demande."),
    "fetch_content_type": _("L'adresse {url} ne renvoie pas un document JSON."),
    "fetch_not_json": _("L'adresse {url} renvoie un JSON illisible."),
    "fetch_busy": _("Le service consulte déjà trop d'adresses à la fois : réessayez ({url})."),
    "fetch_rate_limited": _(
        "Trop de documents consultés chez d'autres émetteurs en une minute : "
        "réessayez dans une minute ({url})."
    ),
    # --- baking (PNG and SVG) --------------------------------------------------------------
    "png_signature": _("Ce fichier n'est pas une image PNG."),
    "png_truncated": _("L'image PNG est tronquée."),
    "png_bad_crc": _("L'image PNG est endommagée (CRC)."),
    "png_no_ihdr": _("L'image PNG n'a pas d'en-tête IHDR."),
    "png_bad_keyword": _("Mot-clé PNG invalide."),
    "png_bad_text": _("Le texte intégré à l'image PNG est illisible."),
    "png_text_too_long": _("Texte PNG trop long."),
    "png_too_many_chunks": _("L'image PNG contient trop de blocs (plus de {max})."),
    "bad_text": _("Texte à intégrer invalide."),
    "svg_not_svg": _("Ce fichier n'est pas une image SVG."),
    # --- badge class images (staff upload) -------------------------------------------------
    "unsupported_format": _("Format d'image non accepté : seuls PNG et SVG le sont."),
    "png_unreadable": _("L'image PNG est illisible ou endommagée."),
    "png_too_small": _("L'image doit mesurer au moins {min} pixels de côté."),
    "png_too_big": _("L'image doit mesurer au plus {max} pixels de côté."),
    "png_not_square": _("L'image doit être carrée (ou presque)."),
    "svg_dtd": _("L'image SVG contient une DTD ou des entités."),
    "svg_event_attribute": _("L'image SVG contient un attribut d'événement (on…)."),
    "svg_foreign_object": _("L'image SVG embarque un contenu étranger (foreignObject…)."),
    "svg_external_reference": _("L'image SVG fait référence à une ressource externe."),
    "svg_processing_instruction": _("L'image SVG contient une instruction de traitement."),
    # --- JSON-LD safe mode -----------------------------------------------------------------
    "unknown_context": _("Le badge fait appel à un vocabulaire que ce service ne connaît pas."),
    "undefined_term": _(
        "Le badge contient une information que son format ne définit pas : "
        "la signature ne la couvrirait pas."
    ),
    "relative_iri": _("Le badge contient un identifiant incomplet (IRI relative)."),
    "control_character": _("Le badge contient des caractères de contrôle."),
    "jsonld_invalid": _("Le badge n'est pas un document JSON-LD valide."),
    "jsonld_too_deep": _("Le badge est imbriqué trop profondément pour être lu."),
    "jsonld_safe": _("Tout ce que contient le badge est couvert par la signature."),
    # --- proofs and signatures -------------------------------------------------------------
    "malformed": _("Le fichier n'est pas un JSON valide."),
    "not_open_badge": _("Ce document n'est pas un Open Badge 3.0."),
    "proof_missing": _("Le badge ne porte aucune signature de son émetteur."),
    "proof_malformed": _("La preuve cryptographique est mal formée."),
    "proof_no_key": _("La preuve ne désigne pas de clé."),
    "proof_purpose": _("La preuve n'est pas destinée à attester ce badge."),
    "signature_valid": _("La signature de l'émetteur est valide."),
    "signature_mismatch": _("La signature ne correspond pas : le badge a été modifié."),
    "jwt_malformed": _("Le jeton VC-JWT est mal formé."),
    "jwt_algorithm": _(
        "Le jeton n'est pas signé avec un algorithme accepté ({algorithm}) : il ne prouve rien."
    ),
    "jwt_unsigned": _(
        "Ce jeton n'est pas signé (algorithme « none ») : n'importe qui a pu l'écrire."
    ),
    "jwt_critical": _("Le jeton exige une règle (en-tête « crit ») que ce service ne connaît pas."),
    "jwt_key_type": _("La clé de l'émetteur ne correspond pas à l'algorithme du jeton."),
    "jwt_claims": _("Les champs du jeton ne correspondent pas au badge."),
    # --- the issuer's key ------------------------------------------------------------------
    "key_unknown": _("La clé de signature n'est pas une clé publiée par l'émetteur."),
    "key_not_found": _("L'émetteur ne publie pas la clé qui a signé ce badge."),
    "key_unreadable": _("La clé publique de l'émetteur est illisible."),
    "key_unreachable": _("La clé publique de l'émetteur n'a pas pu être obtenue ({url})."),
    "key_unnamed": _("Le badge ne désigne pas la clé qui l'a signé."),
    "key_bound": _("La clé qui a signé le badge appartient bien à son émetteur."),
    "key_binding": _("La clé de signature n'appartient pas à l'émetteur annoncé dans le badge."),
    "key_purpose": _("Cette clé n'est pas autorisée à signer des badges."),
    "did_web_invalid": _("Identifiant did:web invalide."),
    "did_document_mismatch": _("Le document DID de l'émetteur est incohérent."),
    "did_method_unsupported": _("Cette méthode DID n'est pas prise en charge."),
    # --- what every badge is checked for ---------------------------------------------------
    "schema_valid": _("Le badge respecte le schéma officiel Open Badges 3.0."),
    "schema": _("Le badge n'est pas écrit selon le format officiel Open Badges 3.0."),
    "valid_from_missing": _("La date de délivrance du badge est absente ou illisible."),
    "valid_from_future": _("Ce badge n'est valable qu'à partir du {date}."),
    "valid_from_passed": _("Délivré le {date}, date déjà passée."),
    "valid_until_none": _("Ce badge n'a pas de date d'expiration."),
    "valid_until_unreadable": _("La date d'expiration du badge est illisible."),
    "valid_until_passed": _("Ce badge a expiré le {date}."),
    "valid_until_future": _("Ce badge est valable jusqu'au {date}."),
    "recipient_match": _("Ce badge a bien été délivré à l'adresse {email}."),
    "recipient_mismatch": _("Ce badge n'a pas été délivré à l'adresse {email}."),
    # --- revocation and replacement --------------------------------------------------------
    "status_ok": _("L'émetteur n'a pas révoqué ce badge."),
    "status_none": _("L'émetteur ne publie pas de liste de révocation pour ce badge."),
    "status_unknown": _("Ce badge ne figure pas dans le registre de l'émetteur."),
    "status_unreachable": _(
        "La liste de révocation de l'émetteur n'a pas pu être lue ni vérifiée."
    ),
    "status_unsupported": _(
        "Le badge utilise un mécanisme de révocation que ce service ne sait pas lire."
    ),
    "replaced": _("Ce badge a été remplacé par une version corrigée : {url}"),
    "revoked_on": _("Ce badge a été révoqué le {date}."),
    "revoked_because": _("L'émetteur a révoqué ce badge. Motif : {why}"),
    "format_unsupported": _(
        "Ce badge utilise un format que ce service ne sait pas encore vérifier ({format}) : "
        "cela ne veut pas dire qu'il est faux. Vérifiez-le auprès de son émetteur ou avec "
        "un autre vérificateur Open Badges."
    ),
    "subject_unidentified": _(
        "Le badge ne dit pas à qui il a été délivré (ni identifiant ni adresse du titulaire)."
    ),
    "revoked_on_because": _("Ce badge a été révoqué le {date}. Motif : {why}"),
    "revoked": _("L'émetteur a révoqué ce badge."),
    "revoked_gone": _("L'émetteur a retiré ce badge (révoqué)."),
    "suspended": _("L'émetteur a suspendu ce badge."),
    "issuer_mismatch": _(
        "Ce badge se présente comme délivré sur ce site, mais un autre émetteur l'a signé."
    ),
    # --- Open Badges 2.0 -------------------------------------------------------------------
    "shape_valid": _("Le badge contient tous les champs obligatoires Open Badges 2.0."),
    "shape": _("Il manque des champs obligatoires Open Badges 2.0 : {fields}."),
    "hosted_valid": _("Le badge est identique à celui que l'émetteur publie à son adresse."),
    "hosted_unreachable": _("Le badge n'a pas pu être obtenu à son adresse ({url})."),
    "hosted_differs": _("Le badge diffère de celui que l'émetteur publie : il a été modifié."),
    "hosted_on_issuer": _("Le badge est hébergé sur le site de son émetteur."),
    "hosted_elsewhere": _("Le badge n'est pas hébergé sur le site de l'émetteur qu'il annonce."),
    "published": _("Le modèle de badge et le profil de l'émetteur sont publiés."),
    "badge_class_unreachable": _("Le modèle de badge n'a pas pu être obtenu ({url})."),
    "badge_class_invalid": _("Le modèle de badge est illisible ou n'a pas le bon type."),
    "badge_class_unnamed": _("Le modèle de badge n'a pas de nom."),
    "issuer_profile_unreachable": _("Le profil de l'émetteur n'a pas pu être obtenu ({url})."),
    "issuer_profile_invalid": _("Le profil de l'émetteur est illisible ou n'a pas le bon type."),
    "issuer_profile_unnamed": _("Le profil de l'émetteur n'a pas de nom."),
    "ob2_key_bound": _("La clé de signature appartient bien à l'émetteur du badge."),
    "ob2_key_binding": _("La clé de signature n'appartient pas à l'émetteur du badge."),
    "signed_without_jws": _(
        "Ce badge signé doit être fourni avec sa signature (le jeton JWS), pas en JSON seul."
    ),
    "revocation_list_unreachable": _("La liste de révocation de l'émetteur n'a pas pu être lue."),
    # --- staff corrections (console and management commands) ------------------------------
    "reason_required": _("Indiquez le motif : il est écrit au journal et sur la page du badge."),
    "already_revoked": _("Ce badge est déjà révoqué ou remplacé : il ne peut plus être corrigé."),
    "nothing_corrected": _(
        "Rien n'a changé : modifiez le prénom, le nom ou l'organisme d'accueil à corriger."
    ),
    "not_ours": _("Ce badge n'est rattaché à aucune mission : il ne peut pas être réémis."),
    "not_declined": _("Cette demande n'a pas été refusée : il n'y a rien à rouvrir."),
    "date_range_reversed": _(
        "La date de début de la période ({start}) est après sa date de fin ({end})."
    ),
}


def _value(value: str | int | dt.date) -> str:
    if isinstance(value, dt.date):
        return str(formats.date_format(value, "DATE_FORMAT"))
    return str(value)


def describe(code: str, params: Params | None = None) -> str:
    """The sentence ``code`` (a check's or an error's ``reason``) in the active language."""
    template = MESSAGES.get(code)
    if template is None:
        return str(_("Vérification impossible ({code}).")).format(code=code)
    values = {name: _value(value) for name, value in (params or {}).items()}
    return str(template).format_map(_Missing(values))


def explain(error: CodedError) -> str:
    """The sentence of an error, in the active language."""
    return describe(error.reason, error.params)


def describe_fr(code: str, params: Params | None = None) -> str:
    """The same sentence in French, whatever the page's language (the API's ``message_fr``)."""
    with translation.override("fr"):
        return describe(code, params)


class _Missing(dict[str, str]):
    """A placeholder without a value stays visible rather than breaking the sentence."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
