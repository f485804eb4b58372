"""The portal under gunicorn, as production runs it, and its workers' memory from /proc."""

import os
import re
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from .config import ROOT, WORKERS


def free_port():
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with 2 sync workers on 127.0.0.1, with production settings."""

    def __init__(self, settings_module, port, extra_env=None):
        self.port = port
        env = {
            **os.environ,
            **(extra_env or {}),
            "DJANGO_SETTINGS_MODULE": settings_module,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "0",
            # Persistent database connections, as a production deployment has.
            "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        }
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "promise_portal.wsgi:application",
                f"--workers={WORKERS}",
                f"--bind=127.0.0.1:{port}",
                "--timeout=120",
                # gunicorn.conf.py (production) applies too; recycling workers every 2,000
                # requests would empty their page caches in the middle of a measurement.
                "--max-requests=0",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,  # the production access log, one JSON line a request
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.status("/healthz/") == 200 and len(self.workers()) == WORKERS:
                return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz/ within 60 s")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def status(self, path, headers=None):
        request = urllib.request.Request(self.url(path), headers=headers or {})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def workers(self):
        try:
            path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def rss(self):
        """Each worker's resident memory in MB, from /proc."""
        sizes = {}
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            kilobytes = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
            sizes[pid] = kilobytes / 1024
        return sizes

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class RssSampler:
    """Each worker's peak RSS growth over its RSS when sampling started, in MB."""

    def __init__(self, server):
        self.server = server
        self.before = server.rss()
        self.peak = dict(self.before)
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self):
        while self.running:
            for pid, size in self.server.rss().items():
                self.peak[pid] = max(self.peak.get(pid, 0), size)
            time.sleep(0.05)

    def stop(self):
        self.running = False
        self.thread.join()
        return {pid: self.peak[pid] - self.before.get(pid, self.peak[pid]) for pid in self.peak}
