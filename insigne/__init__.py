"""Insigne: Open Badges for the Service Civique."""
