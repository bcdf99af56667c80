"""Who may run a command. Roles come from the transport (token or platform badges), never from text."""

from __future__ import annotations

from bot.events import Role, User

EVERYONE = frozenset(Role)
STAFF = frozenset({Role.MODERATOR, Role.BROADCASTER})
BROADCASTER_ONLY = frozenset({Role.BROADCASTER})


def has_role(user: User, roles: frozenset[Role]) -> bool:
    return user.role in roles


def is_staff(user: User) -> bool:
    return user.role in STAFF
