"""Staff view of outgoing mail: where each mail stands, read-only (the task owns the state)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from insigne.mail.models import CaughtMail, OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin[OutgoingMail]):
    list_display = ["id", "kind", "status", "attempts", "created_at", "sent_at", "related_key"]
    list_filter = ["status", "kind"]
    search_fields = ["=to", "=related_key"]
    exclude = ["text_body", "html_body"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CaughtMail)
class CaughtMailAdmin(admin.ModelAdmin[CaughtMail]):
    list_display = ["id", "received_at", "envelope_to", "subject"]
    exclude = ["raw"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
