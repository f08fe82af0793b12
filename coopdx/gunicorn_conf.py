"""gunicorn settings, shared by the deployment (docker-compose.yml) and the API benchmark.

    gunicorn -c python:coopdx.gunicorn_conf coopdx.wsgi:application

Sync workers, two per core (``WEB_CONCURRENCY`` overrides): API answers are CPU-bound Python,
so threads in one process only queue behind its interpreter lock. Measured on the 2-core
benchmark machine at 32 connections: 4 sync workers served cached registry pages with p99
83 ms, while 3 processes × 4 threads had p99 256 ms for about the same throughput (see
docs/benchmarks.md). Put a buffering proxy in front for slow clients, as usual for sync workers.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
timeout = 60
graceful_timeout = 30
# Recycle workers now and then, so that no slow leak lives for weeks.
max_requests = 20_000
max_requests_jitter = 2_000
