"""gunicorn settings for Medborgarlöftesportalen; the environment can override each value.

gunicorn -c gunicorn.conf.py          (what `make serve`, the Dockerfile and the systemd unit run)
"""

import multiprocessing
import os

wsgi_app = "promise_portal.wsgi:application"
# Behind a reverse proxy on the same host; the container sets 0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the views are short and database-bound. Two a core, plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that takes longer than this is killed; a PDF is made by the task worker instead.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Recycle workers now and then, so that a slow leak never grows.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The reverse proxy (nginx, Apache, a load balancer) sets X-Forwarded-Proto; trust it locally.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No control socket: its default path is in the home directory and would be shared by every
# gunicorn of the user; systemd or Docker restarts the service instead.
control_socket_disable = True
# Load the app once in the master: workers start fast and share memory.
preload_app = True

# Access and error logs as JSON lines on stdout, like the app's own (promise_portal/jsonlog.py).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
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
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
