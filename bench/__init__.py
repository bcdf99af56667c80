"""Ratio benchmarks: each compares livebot with a baseline measured in the same run (see README.md)."""
