"""Collaborative-filtering recommenders for livebot (plain-data, synchronous)."""
