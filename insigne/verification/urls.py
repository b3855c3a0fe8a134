from django.urls import path

from insigne.verification import views

urlpatterns = [
    path("badges/<str:public_id>", views.badge, name="badge"),
    path("badges/<str:public_id>/badge.png", views.badge_png, name="badge_png"),
    path("badges/<str:public_id>/badge.svg", views.badge_svg, name="badge_svg"),
    path("badges/<str:public_id>/ob3.json", views.badge_ob3_json, name="badge_ob3_json"),
    path("badges/<str:public_id>/ob3.jwt", views.badge_ob3_jwt, name="badge_ob3_jwt"),
    path("ob3/achievements/<slug:slug>", views.achievement, name="achievement"),
    path(
        "ob3/achievements/<slug:slug>/image.png", views.achievement_image, name="achievement_image"
    ),
]
