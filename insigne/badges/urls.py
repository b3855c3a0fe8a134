from django.urls import path

from insigne.badges import views

urlpatterns = [
    path(".well-known/did.json", views.did_json, name="did_json"),
    path(".well-known/jwks.json", views.jwks_json, name="jwks_json"),
    path("ob3/status/1", views.status_list, name="ob3_status_list"),
]
