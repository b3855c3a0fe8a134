from django.urls import path

from insigne.demo import views

urlpatterns = [
    path("demo/courriels/", views.outbox, name="demo_outbox"),
    path("demo/courriels/<int:pk>/", views.outbox_detail, name="demo_outbox_detail"),
    path(
        "demo/courriels/<int:pk>/pieces/<int:index>/",
        views.outbox_attachment,
        name="demo_outbox_attachment",
    ),
]
