from django.urls import path

from insigne.console import views

urlpatterns = [
    path("console/support/", views.support, name="console_support"),
    path("console/missions/<int:pk>/", views.mission_detail, name="console_mission"),
    path("console/missions/<int:pk>/renvoyer/", views.mission_resend, name="console_resend"),
    path("console/missions/<int:pk>/adresse/", views.mission_address, name="console_address"),
    path("console/missions/<int:pk>/rouvrir/", views.mission_reopen, name="console_reopen"),
    path("console/missions/<int:pk>/revoquer/", views.mission_revoke, name="console_revoke"),
    path("console/missions/<int:pk>/corriger/", views.mission_reissue, name="console_reissue"),
    path("console/journal.csv", views.audit_csv, name="console_audit_csv"),
    path("console/courriels/renvoyer/", views.mail_retry, name="console_mail_retry"),
]
