from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from insigne.pages import views as pages
from insigne.platform.staff import StaffLoginForm

# The admin login asks for the TOTP code of whoever enrolled a device (platform/staff.py).
admin.site.login_form = StaffLoginForm
admin.site.login_template = OTPAdminSite.login_template

urlpatterns = [
    path("", pages.home, name="home"),
    path("accessibilite/", pages.accessibility, name="accessibility"),
    path("api/v1/openapi.json", pages.openapi, name="openapi"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("insigne.claims.urls")),
    path("", include("insigne.badges.urls")),
    path("", include("insigne.verifier.urls")),
    path("", include("insigne.missions.urls")),
    path("", include("insigne.demo.urls")),
    path("", include("insigne.console.urls")),
]
