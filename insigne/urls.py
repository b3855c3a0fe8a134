from django.contrib import admin
from django.urls import include, path

from insigne.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accessibilite/", core_views.accessibility, name="accessibility"),
    path("api/v1/openapi.json", core_views.openapi, name="openapi"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("insigne.claims.urls")),
    path("", include("insigne.credentials.urls")),
    path("", include("insigne.credentials.ob2_urls")),
    path("", include("insigne.verification.verify_urls")),
    path("", include("insigne.verification.urls")),
    path("", include("insigne.missions.urls")),
    path("", include("insigne.mail.urls")),
    path("", include("insigne.console.urls")),
]
