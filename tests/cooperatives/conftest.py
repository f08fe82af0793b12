"""Fixtures of the registry tests."""

import pytest


@pytest.fixture
def run_on_commit_after_post(monkeypatch, django_capture_on_commit_callbacks):
    """Jobs are enqueued on commit; run those callbacks after each request, as a real commit would."""
    from django.test import Client

    original = Client.post

    def post(self, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post)
