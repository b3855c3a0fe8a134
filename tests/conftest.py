"""Shared fixtures: a few named personas rather than factories."""
