"""The verifier's pages and API, and the public pages of an issued badge.

Badge routes come from the one URL scheme (``insigne.openbadges.addresses``): a
credential's id is its page's address.
"""

from django.urls import path

from insigne.openbadges.addresses import route
from insigne.verifier import badge_pages, views

urlpatterns = [
    path("verifier/", views.verify_upload, name="verify_upload"),
    path("verifier/badge/<public_id:public_id>", views.verify_badge, name="verify_badge"),
    path("api/v1/verify", views.api_verify, name="api_verify"),
    path(route("badge"), badge_pages.badge, name="badge"),
    path(route("badge_png"), badge_pages.badge_png, name="badge_png"),
    path(route("badge_svg"), badge_pages.badge_svg, name="badge_svg"),
    path(route("badge_ob3_json"), badge_pages.badge_ob3_json, name="badge_ob3_json"),
    path(route("badge_ob3_jwt"), badge_pages.badge_ob3_jwt, name="badge_ob3_jwt"),
    path(route("badge_qr"), badge_pages.badge_qr, name="badge_qr"),
    path(route("badge_pdf"), badge_pages.badge_pdf, name="badge_pdf"),
    path(route("achievement"), badge_pages.achievement, name="achievement"),
    path(route("achievement_image"), badge_pages.achievement_image, name="achievement_image"),
]
