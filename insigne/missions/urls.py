from django.urls import path

from insigne.missions import api, views

urlpatterns = [
    path("console/imports/", views.import_list, name="mission_import_list"),
    path("console/imports/<int:pk>/", views.import_detail, name="mission_import_detail"),
    path("api/v1/missions", api.missions_import, name="api_missions_import"),
    path("api/v1/missions/<str:external_id>", api.mission_status, name="api_mission_status"),
]
