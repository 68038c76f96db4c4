"""Log records carrying the request id, written as JSON lines in production."""

from __future__ import annotations

import logging
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

# The id of the request being served, for every record logged while it runs.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
# uvicorn's own loggers keep their handlers unless told otherwise; its access log is
# replaced by the request middleware's line, which carries the request id.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def json_handler() -> logging.Handler:
    """A stderr handler writing one JSON object per record, request id included."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter(JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level"})
    )
    handler.addFilter(RequestIdFilter())
    return handler


def configure_json_logging(level: int = logging.INFO) -> None:
    """Route the platform's and uvicorn's records through one JSON handler on the root."""
    root = logging.getLogger()
    root.handlers = [json_handler()]
    root.setLevel(level)
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
    logging.getLogger("uvicorn.access").disabled = True
