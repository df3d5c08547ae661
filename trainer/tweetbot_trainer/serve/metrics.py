"""The server's Prometheus metrics, in a registry of its own (several servers can live in one test process)."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "ServeMetrics"]


class ServeMetrics:
    def __init__(self, active_rows: Callable[[], int], waiting: Callable[[], int]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("tweetbot_serve_requests", "HTTP requests by route and status",
                                ["route", "status"], registry=self.registry)
        self.tokens = Counter("tweetbot_serve_generated_tokens", "tokens generated", registry=self.registry)
        self.latency = Histogram("tweetbot_serve_completion_seconds", "completion latency, request to last token",
                                 buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60), registry=self.registry)
        Gauge("tweetbot_serve_active_sequences", "sequences in the running batch",
              registry=self.registry).set_function(active_rows)
        Gauge("tweetbot_serve_waiting_requests", "requests waiting for room in the batch",
              registry=self.registry).set_function(waiting)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
