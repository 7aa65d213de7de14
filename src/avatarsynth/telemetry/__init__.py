"""What operators see of a running service: structured logs, metrics, and the secret guard.

A bottom part like ``errors`` and ``config``: every other part may use it, it uses none.
"""

from avatarsynth.telemetry._logs import (
    FIELDS,
    ContextFilter,
    JsonFormatter,
    LogFormat,
    TextFormatter,
    bind,
    configure_logging,
    current,
    timed,
)
from avatarsynth.telemetry._metrics import (
    CONTENT_TYPE,
    Metrics,
    QueueCensus,
    enable_multiprocess,
    exposition,
    metrics,
    rendering,
    serve_metrics,
)
from avatarsynth.telemetry._redact import MASK, redact, register_secret

__all__ = [
    "CONTENT_TYPE",
    "FIELDS",
    "MASK",
    "ContextFilter",
    "JsonFormatter",
    "LogFormat",
    "Metrics",
    "QueueCensus",
    "TextFormatter",
    "bind",
    "configure_logging",
    "current",
    "enable_multiprocess",
    "exposition",
    "metrics",
    "redact",
    "register_secret",
    "rendering",
    "serve_metrics",
    "timed",
]
