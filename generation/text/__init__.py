"""Promotional text: tokenizer, corpus, a tiny causal LM, and the grounded writer.

Plain data in, plain text out; synchronous. Imports neither `bot` nor `training`.
"""
