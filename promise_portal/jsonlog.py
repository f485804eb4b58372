"""Log records as one JSON object a line, for journald, Docker and log collectors."""

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else was passed in `extra=` and is kept.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, the exception if any, and the record's `extra` fields."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            # gunicorn passes the request's atoms as a dict: keep them as fields.
            atoms = record.args
            entry.update(
                remote=atoms.get("h"),
                method=atoms.get("m"),
                path=atoms.get("U"),
                query=atoms.get("q"),
                status=atoms.get("s"),
                bytes=atoms.get("B"),
                duration_ms=round(int(atoms.get("D", 0)) / 1000, 1),
                user_agent=atoms.get("a"),
            )
        for key, value in vars(record).items():
            # Django puts the request object in `extra`; its path and method say enough.
            if key == "request":
                entry["method"] = getattr(value, "method", None)
                entry["path"] = getattr(value, "path", None)
            elif key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(level):
    """The LOGGING setting: JSON lines on stdout; the chart and PDF renderers only when they
    have a problem."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "promise_portal.jsonlog.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
            # kaleido and its browser driver narrate every chart tab at INFO, WeasyPrint every step
            # and page of a report; only their problems belong in the operators' log.
            "kaleido": {"level": "WARNING"},
            "choreographer": {"level": "WARNING"},
            "logistro": {"level": "WARNING"},
            "weasyprint": {"level": "WARNING"},
        },
    }
