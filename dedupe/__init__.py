"""Incident deduplication: news articles -> canonical incident records with provenance."""

__version__ = "0.1.0"
