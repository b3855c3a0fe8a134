from django.urls import path

from insigne.claims import views

urlpatterns = [
    path("renvoyer/", views.resend, name="resend"),
    path("obtenir/<str:token>/", views.claim, name="claim"),
    path("obtenir/<str:token>/apercu/", views.preview, name="claim_preview"),
    path("obtenir/<str:token>/refuser/", views.decline, name="claim_decline"),
    path("obtenir/<str:token>/reprendre/", views.reopen, name="claim_reopen"),
    path("badges/<str:public_id>/visibilite/", views.visibility, name="badge_visibility"),
]
