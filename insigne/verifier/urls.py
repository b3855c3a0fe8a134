from django.urls import path

from insigne.verifier import badge_pages, views

urlpatterns = [
    path("verifier/", views.verify_upload, name="verify_upload"),
    path("verifier/badge/<str:public_id>", views.verify_badge, name="verify_badge"),
    path("api/v1/verify", views.api_verify, name="api_verify"),
    path("badges/<str:public_id>", badge_pages.badge, name="badge"),
    path("badges/<str:public_id>/badge.png", badge_pages.badge_png, name="badge_png"),
    path("badges/<str:public_id>/badge.svg", badge_pages.badge_svg, name="badge_svg"),
    path("badges/<str:public_id>/ob3.json", badge_pages.badge_ob3_json, name="badge_ob3_json"),
    path("badges/<str:public_id>/ob3.jwt", badge_pages.badge_ob3_jwt, name="badge_ob3_jwt"),
    path("ob3/achievements/<slug:slug>", badge_pages.achievement, name="achievement"),
    path(
        "ob3/achievements/<slug:slug>/image.png",
        badge_pages.achievement_image,
        name="achievement_image",
    ),
]
