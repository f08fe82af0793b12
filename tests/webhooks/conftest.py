"""A local receiver of webhooks: a real HTTP server on 127.0.0.1, in a thread.

It records each request (path, headers, raw body) and answers from a script of status codes,
the last one repeated. Subscriptions are made through the service, with tokens issued through
the token service, as an owner would.
"""

from __future__ import annotations

import datetime
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

from accounts.api.services import api_token_issue
from accounts.models import ApiScope, Role
from webhooks.models import EventType
from webhooks.services import subscription_create

READ_SCOPES = [ApiScope.INDICATORS_READ, ApiScope.REGISTRY_READ, ApiScope.RESPONSES_READ]
ALL_EVENTS = list(EventType.values)


@dataclass
class Receiver:
    url: str = ""
    statuses: list[int] = field(default_factory=lambda: [200])
    refusal: bytes = b"receiver says no"  # the body of a non-2xx answer
    requests: list[dict[str, Any]] = field(default_factory=list)

    def answer(self, *statuses: int) -> None:
        self.statuses = list(statuses)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r["body"]) for r in self.requests]

    def events(self) -> list[str]:
        return [r["headers"]["x-coopdx-event"] for r in self.requests]


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_CONNECT_TIMEOUT = 2
    settings.WEBHOOK_READ_TIMEOUT = 2


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = state.statuses[min(len(state.requests), len(state.statuses) - 1)]
            headers = {name.lower(): value for name, value in self.headers.items()}
            state.requests.append({"path": self.path, "headers": headers, "body": body, "status": status})
            answer = b'{"ok": true}' if status < 300 else state.refusal
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/coopdx"
    yield state
    server.shutdown()
    server.server_close()


def issue_token(by, *, province=None, scopes=READ_SCOPES, organisation="Sở Nông nghiệp"):
    return api_token_issue(
        by=by,
        organisation=organisation,
        role=Role.PROVINCIAL_OFFICER if province else Role.MINISTRY_ANALYST,
        province=province,
        scopes=scopes,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    ).token


def subscribe(owner, token, url, events=ALL_EVENTS):
    return subscription_create(by=owner, token=token, url=url, events=events)


@pytest.fixture
def national_hook(national_admin, receiver):
    """A national subscription to every event, with its secret."""
    return subscribe(national_admin, issue_token(national_admin, organisation="Bộ"), receiver.url + "?who=nation")


@pytest.fixture
def province_a_hook(national_admin, province_a, receiver):
    """A subscription of province A (82) to every event."""
    token = issue_token(national_admin, province=province_a, organisation="Sở A")
    return subscribe(national_admin, token, receiver.url + "?who=a")


@pytest.fixture
def province_b_hook(national_admin, province_b, receiver):
    token = issue_token(national_admin, province=province_b, organisation="Sở B")
    return subscribe(national_admin, token, receiver.url + "?who=b")
