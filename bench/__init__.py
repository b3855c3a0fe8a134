"""Benchmarks of the credential core: ``python -m bench`` (``make bench``)."""
