from django.urls import path

from insigne.verification import views

urlpatterns = [
    path("badges/<str:public_id>", views.badge, name="badge"),
    path("badges/<str:public_id>/badge.png", views.badge_png, name="badge_png"),
    path("badges/<str:public_id>/badge.svg", views.badge_svg, name="badge_svg"),
    path(
        "ob3/achievements/<slug:slug>/image.png", views.achievement_image, name="achievement_image"
    ),
]
