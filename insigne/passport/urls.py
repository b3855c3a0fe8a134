from django.urls import include, path

from insigne.passport import views

urlpatterns = [
    path("compte/", include("allauth.urls")),
    path("passeport/", views.passport, name="passport"),
    path("passeport/synchroniser/", views.sync, name="passport_sync"),
    path("passeport/importer/", views.import_badge, name="passport_import"),
    path("passeport/badges/<int:pk>/", views.badge, name="passport_badge"),
    path("passeport/badges/<int:pk>/original", views.original, name="passport_original"),
    path("passeport/badges/<int:pk>/retirer/", views.remove, name="passport_remove"),
    path(
        "passeport/badges/<int:pk>/<str:direction>/",
        views.move,
        name="passport_move",
    ),
    path("passeport/profil/", views.profile, name="passport_profile"),
    path("passeport/mes-donnees.zip", views.export, name="passport_export"),
    path("passeport/supprimer/", views.delete_account, name="passport_delete"),
    path("passeport/partage/<str:token>/", views.shared, name="passport_shared"),
    path("p/<str:slug>/", views.portfolio, name="portfolio"),
    path("passeport/portefeuille/<public_id:public_id>/", views.wallet_offer, name="wallet_offer"),
    path("portefeuille/echanges/<str:token>", views.wallet_exchange, name="wallet_exchange"),
]
