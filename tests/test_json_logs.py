"""Logs are JSON lines: one object a line, with the fields monitoring filters on."""

import json
import logging
import sys

from promise_portal.jsonlog import JsonFormatter


def record(**extra):
    return logging.makeLogRecord(
        {"name": "django.request", "levelno": logging.ERROR, "levelname": "ERROR", **extra}
    )


def test_a_log_record_is_one_line_of_json_with_time_level_logger_and_message():
    line = JsonFormatter().format(record(msg="Database unreachable: %s", args=("refused",)))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "django.request"
    assert entry["message"] == "Database unreachable: refused"
    assert entry["time"].endswith("+00:00")


def test_extra_fields_are_kept_and_a_request_becomes_its_method_and_path(rf):
    request = rf.get("/loften/eskilstuna-2018/")
    entry = json.loads(JsonFormatter().format(record(msg="x", status_code=503, request=request)))
    assert entry["status_code"] == 503
    assert (entry["method"], entry["path"]) == ("GET", "/loften/eskilstuna-2018/")


def test_an_exception_is_in_the_same_line():
    try:
        raise ValueError("åäö")
    except ValueError:
        line = JsonFormatter().format(record(msg="failed", exc_info=sys.exc_info()))
    assert "ValueError: åäö" in json.loads(line)["exception"]
