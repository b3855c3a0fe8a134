"""Publication: the issuer's keys, the status list and the OB 2.0 hosted documents.

Routes come from the one URL scheme (``insigne.openbadges.addresses``) that the
credentials' ids are built from.
"""

from django.urls import path

from insigne.badges import ob2_views, views
from insigne.openbadges.addresses import route

urlpatterns = [
    path(route("did_json"), views.did_json, name="did_json"),
    path(route("jwks_json"), views.jwks_json, name="jwks_json"),
    path(route("controller_json"), views.controller_json, name="controller_json"),
    path(route("ob3_status_list"), views.status_list, name="ob3_status_list"),
    path(route("ob2_assertion"), ob2_views.assertion, name="ob2_assertion"),
    path(route("ob2_badge_class"), ob2_views.badge_class, name="ob2_badge_class"),
    path(route("ob2_issuer"), ob2_views.issuer, name="ob2_issuer"),
    path(route("ob2_key"), ob2_views.public_key, name="ob2_key"),
    path(route("ob2_revocations"), ob2_views.revocations, name="ob2_revocations"),
    path(route("ob2_baked_png"), ob2_views.baked_png, name="ob2_baked_png"),
]
