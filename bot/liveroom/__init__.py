"""livebot's embedded live room (PROTOCOL.md v1): a websocket chat room with an on-screen product, a viewer
page and media uploads. It imports nothing else of livebot; the bot joins it like any other client."""

from .server import RoomServerSettings, create_app, start_room_server

__all__ = ["RoomServerSettings", "create_app", "start_room_server"]
