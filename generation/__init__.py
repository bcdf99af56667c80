"""Content generation for livebot: promotional text and product images (plain-data, synchronous)."""
