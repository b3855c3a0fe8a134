from django.urls import path

from insigne.claims import views

urlpatterns = [
    path("renvoyer/", views.resend, name="resend"),
    # The claim pages, without the token: it travels in a cookie (views.enter).
    path("obtenir/", views.claim, name="claim_form"),
    path("obtenir/apercu/", views.preview, name="claim_preview"),
    path("obtenir/refuser/", views.decline, name="claim_decline"),
    path("obtenir/reprendre/", views.reopen, name="claim_reopen"),
    path("obtenir/en-preparation/", views.pending, name="claim_pending"),
    path("obtenir/en-preparation/etat/", views.pending_state, name="claim_pending_state"),
    # The links of the mails (unchanged format): set the cookie, redirect above.
    path("obtenir/<str:token>/", views.enter, name="claim"),
    path("obtenir/<str:token>/<slug:step>/", views.enter, name="claim_step"),
    path("badges/<public_id:public_id>/visibilite/", views.visibility, name="badge_visibility"),
]
