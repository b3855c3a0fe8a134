from django.urls import path

from insigne.verification import verify_views

urlpatterns = [
    path("verifier/", verify_views.verify_upload, name="verify_upload"),
    path("verifier/badge/<str:public_id>", verify_views.verify_badge, name="verify_badge"),
    path("api/v1/verify", verify_views.api_verify, name="api_verify"),
]
