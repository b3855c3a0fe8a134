from django.contrib import admin
from django.urls import include, path

from insigne.pages import views as pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("accessibilite/", pages.accessibility, name="accessibility"),
    path("api/v1/openapi.json", pages.openapi, name="openapi"),
    path("", include("insigne.pages.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("insigne.claims.urls")),
    path("", include("insigne.badges.urls")),
    path("", include("insigne.verifier.urls")),
    path("", include("insigne.missions.urls")),
    path("", include("insigne.demo.urls")),
    path("", include("insigne.console.urls")),
]
