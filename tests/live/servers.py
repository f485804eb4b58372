"""Real servers for the live tests: throwaway PostgreSQL clusters and gunicorn processes.

A cluster lives in a temporary folder, is made with the machine's `initdb` and runs on its own
port; as root, PostgreSQL's tools run as the `postgres` OS user, who owns the folder.
"""

import glob
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import psycopg
from django.conf import settings

AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def postgres_bin():
    """The directory of initdb/pg_ctl: PostgreSQL 15 preferred, else the newest installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: "/15/" not in p)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port():
    """A port nothing listens on now, so that checkouts can run these tests side by side."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, timeout=60):
    # Generous: startup on a loaded 2-core machine is slow; this waits, it does not time.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


class Cluster:
    """One PostgreSQL server in `folder`, listening on 127.0.0.1:`port` only."""

    def __init__(self, folder, port):
        self.folder = Path(folder)
        self.data = self.folder / "data"
        self.port = port
        self.bin = postgres_bin()

    def run(self, tool, *args):
        subprocess.run(
            [*AS_POSTGRES, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def prepare_folder(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        if AS_POSTGRES:
            shutil.chown(self.folder, "postgres", "postgres")

    def init(self):
        self.prepare_folder()
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        return self

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder}"
            " -c fsync=off -c full_page_writes=off"
        )
        self.run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.folder / "log"),
            "start",
        )
        return self

    def stop(self):
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def stop_quietly(self):
        if (self.data / "postmaster.pid").exists():
            self.stop()

    def postmaster_pid(self):
        return int((self.data / "postmaster.pid").read_text().splitlines()[0])

    def url(self, dbname):
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname="postgres"):
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True
        )

    def execute(self, sql, params=None, dbname="postgres"):
        with self.connect(dbname) as connection:
            rows = connection.execute(sql, params)
            return rows.fetchall() if rows.description else None


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
    )


def production_env(**overrides):
    """The environment of a production process: DEBUG off, a secret key, HTTP cookies."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REDIS_", "DJANGO_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="live-test-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_COOKIES="0",
        # Plain http on 127.0.0.1: no redirect to https, no HSTS.
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        DJANGO_SETTINGS_MODULE="promise_portal.settings",
    )
    env.update({key: str(value) for key, value in overrides.items()})
    return env


class AppServer:
    """gunicorn with the project's gunicorn.conf.py, one worker (or more), on 127.0.0.1:`port`."""

    def __init__(self, port, env, workers=1):
        self.port = port
        self.env = env
        self.workers = workers
        self.process = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(self.port)
        except TimeoutError:
            self.stop()
            raise AssertionError(f"gunicorn did not start: {self.output()}") from None
        return self

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=15)
        self.log.close()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path, headers=None, timeout=10):
        """(status, headers, body text) of a GET; error statuses are answers, not exceptions."""
        return self.request(path, headers=headers, timeout=timeout)

    def request(self, path, data=None, headers=None, timeout=10):
        request = urllib.request.Request(  # noqa: S310 (always http://127.0.0.1)
            self.url(path), data=data, headers=headers or {}
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=timeout) as response:
                return response.status, response.headers, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class FormReader(HTMLParser):
    """The fields of the first form with `form_id`, as a browser would submit them."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append(
                [attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")]
            )
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append([self.select, attrs.get("value", "")])
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
            self.fields.append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.textarea[1] = self.textarea[1].removeprefix("\n")
            self.textarea = None


class Browser:
    """One visitor with cookies; cookies do not depend on the port, so both servers share them."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def open(self, server, path, fields=None, headers=None):
        data = None
        if fields is not None:
            pairs = fields.items() if isinstance(fields, dict) else [tuple(f) for f in fields]
            data = urllib.parse.urlencode(list(pairs)).encode()
        request = urllib.request.Request(  # noqa: S310 (always http://127.0.0.1)
            server.url(path), data=data, headers={"Referer": server.url(path), **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def fetch(self, server, path, data=None, headers=None, timeout=10):
        """(status, headers, body bytes): for uploads (data as bytes) and files."""
        request = urllib.request.Request(  # noqa: S310 (always http://127.0.0.1)
            server.url(path), data=data, headers={"Referer": server.url(path), **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def form(self, server, path, form_id):
        status, body = self.open(server, path)
        assert status == 200, body
        return self.form_from(body, form_id)

    @staticmethod
    def form_from(body, form_id):
        reader = FormReader(form_id)
        reader.feed(body)
        return reader.fields

    def csrf_token(self, server, path):
        """The CSRF token of the page's forms, as a browser would send it back."""
        status, body = self.open(server, path)
        assert status == 200, body
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1]

    def log_in_staff(self, server, username, password, headers=None):
        """The staff login page (/personal/logga-in/): (status, body)."""
        token = self.csrf_token(server, "/personal/logga-in/")
        fields = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        return self.open(server, "/personal/logga-in/", fields, headers=headers)

    def log_in(self, server, username, password):
        fields = dict(self.form(server, "/admin/login/", "login-form"))
        fields.update(username=username, password=password)
        status, body = self.open(server, "/admin/login/", fields)
        assert status == 302, body

    def change_in_admin(self, server, path, form_id, **changes):
        """Submits an admin change form with some fields changed, the rest as they were."""
        fields = [
            [name, changes.get(name, value)] for name, value in self.form(server, path, form_id)
        ]
        status, body = self.open(server, path, [*fields, ["_save", "Save"]])
        assert status == 302, body
