"""CoopDX: the portal tracking the digital transformation of Viet Nam's cooperatives."""

from .celery import app as celery_app

__all__ = ("celery_app",)
