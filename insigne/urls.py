from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from insigne.pages import views as pages
from insigne.platform import api_errors
from insigne.platform.staff import StaffLoginForm

# The JSON APIs answer their errors as JSON (see insigne.platform.api_errors).
handler400 = api_errors.handler400
handler404 = api_errors.handler404
handler500 = api_errors.handler500
# The admin login asks for the TOTP code of whoever enrolled a device (platform/staff.py).
admin.site.login_form = StaffLoginForm
admin.site.login_template = OTPAdminSite.login_template

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
    path("", include("insigne.programme.urls")),
    path("", include("insigne.integrations.urls")),
    path("", include("insigne.passport.urls")),
]
