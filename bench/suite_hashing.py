"""A pytest plugin for ``bench.bench_suite``: the test settings as they were before the suite was
made fast, for its reference run. Then only the API tests hashed passwords with MD5; every other
test hashed with Django's default, PBKDF2. Loaded with ``-p bench.suite_hashing``; never by
``make test``."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
from django.conf import global_settings


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: Any, request: Any) -> Generator[None, None, None]:
    yield
    if fixturedef.argname == "_fast_password_hashing" and not request.node.nodeid.startswith("tests/api/"):
        request.getfixturevalue("settings").PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
