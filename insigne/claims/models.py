"""Invitations: one per mission at most, enforced by the database."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from insigne.badges.models import Credential, Visibility
from insigne.missions.models import Mission


class Invitation(models.Model):
    mission = models.OneToOneField(Mission, on_delete=models.PROTECT, related_name="invitation")
    # The personal links are InvitationLink rows (several may be live at once).
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    # What the volunteer typed in the form, kept between the form and the preview
    # (and across devices) until validation copies it onto the credential.
    draft_given_name = models.CharField(max_length=300, blank=True)
    draft_family_name = models.CharField(max_length=300, blank=True)
    draft_host_name = models.CharField(max_length=300, blank=True)
    # Set once, when the claim is validated: the journey points at the badge, not
    # the other way round. One-to-one, so one invitation gives at most one badge.
    credential = models.OneToOneField(
        Credential, null=True, blank=True, on_delete=models.PROTECT, related_name="invitation"
    )
    # The page visibility chosen at validation, kept until the credential is issued
    # (``claims.services.accept_claim``: workers issue it, then it lives on the badge).
    visibility = models.CharField(
        _("visibilité choisie"),
        max_length=8,
        choices=Visibility,
        default=Visibility.LINK,
        db_default=Visibility.LINK,
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            # The workers' issuing pass: validated claims still without their badge,
            # oldest first. Partial, so it holds the few claims being issued only.
            models.Index(
                fields=["validated_at", "id"],
                name="invitation_to_issue",
                condition=models.Q(validated_at__isnull=False, credential__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk} ({self.mission.external_id})"


class InvitationLink(models.Model):
    """One live personal link of an invitation; a resend adds one, never replaces one.

    Only the SHA-256 of the 128+-bit random token is stored; the token itself is
    only ever in the mail. At most ``MAX_LIVE_LINKS`` per invitation: beyond that
    the oldest goes (``claims.services.add_link``).
    """

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lien personnel")
        verbose_name_plural = _("liens personnels")

    def __str__(self) -> str:
        return f"Link {self.pk} of invitation {self.invitation_id}"
