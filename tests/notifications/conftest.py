"""A local stand-in for Zalo's ZNS endpoint: a real HTTP server on a spare port, in a thread.

It records each request (headers and JSON body) and answers from a script of replies, the last
one repeated; tests point ``ZALO_ZNS_URL`` at it. The real service is never called.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from accounts.models import Role
from tests.factories import UserFactory

SUCCESS = (200, {"error": 0, "message": "Success", "data": {"msg_id": "zns-msg-1", "sent_time": "1700000000000"}})


@dataclass
class FakeZalo:
    url: str
    replies: list[tuple[int, dict[str, Any]]] = field(default_factory=lambda: [SUCCESS])
    requests: list[dict[str, Any]] = field(default_factory=list)

    def answer(self, *replies: tuple[int, dict[str, Any]]) -> None:
        self.replies = list(replies)

    @property
    def delivered(self) -> list[dict[str, Any]]:
        """The requests the service accepted (answered with error 0)."""
        return [r for r in self.requests if r["reply"][0] == 200 and r["reply"][1].get("error") == 0]


@pytest.fixture
def fake_zalo(settings):
    state = FakeZalo(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length).decode())
            reply = state.replies[min(len(state.requests), len(state.replies) - 1)]
            headers = {name.lower(): value for name, value in self.headers.items()}
            state.requests.append({"path": self.path, "headers": headers, "json": body, "reply": reply})
            status, payload = reply
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/message/template"
    settings.ZALO_ZNS_URL = state.url
    settings.ZALO_ZNS_ACCESS_TOKEN = "test-oa-token"
    kinds = ("response_returned", "response_accepted", "import_done")
    settings.ZALO_ZNS_TEMPLATES = {kind: f"tpl-{kind}" for kind in kinds}
    settings.ZALO_ZNS_TIMEOUT = 2
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def accountant(coop_a):
    """A cooperative's accountant, on a phone."""
    return UserFactory(
        username="ketoan",
        role=Role.COOPERATIVE_MEMBER,
        cooperative=coop_a,
        phone="0912 345 678",
        email="ketoan@htx.vn",
    )
