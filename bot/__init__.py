"""livebot: an asyncio assistant for live-stream shopping rooms."""

__version__ = "0.1.0"
