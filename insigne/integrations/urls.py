from django.urls import path

from insigne.integrations import views
from insigne.integrations.api import api

urlpatterns = [
    path("api/v2/", api.urls),
    path("console/api/jetons/", views.token_list, name="integrations_tokens"),
    path("console/api/jetons/<int:pk>/revoquer/", views.token_revoke, name="integrations_revoke"),
]
