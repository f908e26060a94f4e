"""Guide 002's in-memory user store, shared by the sync and the asyncio UserService.

The guide keeps users in a module-level dict; here it is an object behind a lock because the
sync server handles calls on many threads. A dict keeps insertion order, which ListUsers shows.
"""

import threading
import time
import uuid

from peer_common import import_generated

user_service_pb2 = import_generated("user_service_pb2")

# Known users at start, so GetUser and ListUsers have fixed answers every server agrees on.
SEED_USERS = (
    {"id": "u-1", "username": "ada", "email": "ada@example.com", "created_at": 1700000000, "roles": ["admin"]},
    {"id": "u-2", "username": "grace", "email": "grace@example.com", "created_at": 1700000001, "roles": ["user"]},
    {"id": "u-3", "username": "linus", "email": "linus@example.com", "created_at": 1700000002, "roles": ["user"]},
)


class UserStore:
    def __init__(self, seed=SEED_USERS):
        self._lock = threading.Lock()
        self._users = {u["id"]: dict(u) for u in seed}

    def get(self, user_id):
        with self._lock:
            user = self._users.get(user_id)
            return dict(user) if user else None

    def create(self, username, email, roles=("user",)):
        """Adds a user with a fresh uuid4 id; returns the stored record."""
        user = {"id": str(uuid.uuid4()), "username": username, "email": email,
                "created_at": int(time.time())}
        if roles is not None:
            user["roles"] = list(roles)
        with self._lock:
            self._users[user["id"]] = user
        return dict(user)

    def first(self, count):
        with self._lock:
            return [dict(u) for u in list(self._users.values())[:count]]


# The guide's reply shapes: each RPC fills only the fields the guide's code fills.

def full_user(u):
    """GetUser: everything, with the guide's default role."""
    return user_service_pb2.User(id=u["id"], username=u["username"], email=u["email"],
                                 created_at=int(u["created_at"]), roles=u.get("roles", ["user"]))


def created_user(u):
    """CreateUser: id, username and email only."""
    return user_service_pb2.User(id=u["id"], username=u["username"], email=u["email"])


def listed_user(u):
    """ListUsers: no roles."""
    return user_service_pb2.User(id=u["id"], username=u["username"], email=u["email"],
                                 created_at=int(u["created_at"]))


def page_size(request):
    return request.page_size or 10


def chat_reply(message):
    return user_service_pb2.ChatMessage(user_id="server", text="Echo: " + message.text,
                                        timestamp=int(time.time() * 1000))


def not_found_message(user_id):
    return f"User {user_id} not found"
