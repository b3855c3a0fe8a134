from django.urls import path

from insigne.missions import api

urlpatterns = [
    path("api/v1/missions", api.missions_import, name="api_missions_import"),
    path("api/v1/missions/<str:external_id>", api.mission_status, name="api_mission_status"),
]
