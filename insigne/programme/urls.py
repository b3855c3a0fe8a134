from django.urls import path

from insigne.programme import views, views_campaigns

urlpatterns = [
    path("console/programme/", views.dashboard, name="programme_dashboard"),
    path("console/programme/entonnoir.csv", views.dashboard_csv, name="programme_dashboard_csv"),
    path("console/programme/imports/", views.import_list, name="programme_imports"),
    path("console/programme/imports/<int:pk>/", views.import_detail, name="programme_import"),
    path(
        "console/programme/imports/<int:pk>/etat.json",
        views.import_progress,
        name="programme_import_progress",
    ),
    path("console/imports/", views.former_import_list),
    path("console/imports/<int:pk>/", views.import_result, name="programme_import_result"),
    path("console/imports/<int:pk>/rejets.csv", views.rejected_csv, name="programme_rejected_csv"),
    path("console/programme/campagnes/", views_campaigns.campaign_list, name="programme_campaigns"),
    path(
        "console/programme/campagnes/<int:pk>/",
        views_campaigns.campaign_detail,
        name="programme_campaign",
    ),
    path(
        "console/programme/campagnes/<int:pk>/<str:action>/",
        views_campaigns.campaign_action,
        name="programme_campaign_action",
    ),
    path("badges/<public_id:public_id>/linkedin", views.linkedin, name="programme_linkedin"),
]
