"""Addresses of the OB 2.0 hosted documents; the ids in ``ob2.py`` must match them."""

from django.urls import path

from insigne.badges import ob2_views as views

urlpatterns = [
    path("ob2/assertions/<str:public_id>", views.assertion, name="ob2_assertion"),
    path("ob2/badges/<slug:slug>", views.badge_class, name="ob2_badge_class"),
    path("ob2/issuer", views.issuer, name="ob2_issuer"),
    path("ob2/keys/<str:key_id>", views.public_key, name="ob2_key"),
    path("ob2/revocations", views.revocations, name="ob2_revocations"),
    path("badges/<str:public_id>/badge-ob2.png", views.baked_png, name="ob2_baked_png"),
]
