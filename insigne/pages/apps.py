from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "insigne.pages"
    label = "pages"
