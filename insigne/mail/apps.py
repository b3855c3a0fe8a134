from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "insigne.mail"
    label = "mail"
