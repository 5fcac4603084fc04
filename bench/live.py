"""A live server for the concurrent figures: gunicorn as the Procfile runs it
(gthread) and, for the consolidated PDF, a Celery worker of the documents
queue, both on the bench's own database; sessions created in the database
(no login per user); requests from a pool of threads over keep-alive
connections (the standard library's http.client: no client to install).
"""

from __future__ import annotations

import http.client
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.utils import timezone
from django.utils.crypto import get_random_string

ROOT = Path(settings.BASE_DIR)
VAR = ROOT / "var"
BROKER_DIR = VAR / "bench-broker"
CSRF_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


# --- Sessions -----------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    """What a logged-in browser sends: its cookies and the CSRF header."""

    key: str
    csrf: str

    @property
    def headers(self) -> dict[str, str]:
        return {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={self.key}; "
            f"{settings.CSRF_COOKIE_NAME}={self.csrf}",
            "X-CSRFToken": self.csrf,
        }


def sessions(users: Iterable) -> list[Session]:
    """One logged-in session per user, written straight to the session store
    (in bulk for database sessions): 2,000 logins would measure the password
    hasher, not the app."""
    users = list(users)
    backend = settings.AUTHENTICATION_LOGIN_BACKENDS[0]
    engine = import_module(settings.SESSION_ENGINE)
    data = [
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        for user in users
    ]
    keys = []
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        from django.contrib.sessions.models import Session as SessionRow

        store = engine.SessionStore()
        expire = timezone.now() + timedelta(days=1)
        rows = [
            SessionRow(
                session_key=get_random_string(32, CSRF_CHARS.lower()),
                session_data=store.encode(values),
                expire_date=expire,
            )
            for values in data
        ]
        SessionRow.objects.bulk_create(rows, batch_size=1000)
        keys = [r.session_key for r in rows]
    else:
        for values in data:
            store = engine.SessionStore()
            store.update(values)
            store.create()
            keys.append(store.session_key)
    return [Session(key, get_random_string(32, CSRF_CHARS)) for key in keys]


# --- Processes ----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database this process uses (the bench's test database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = urllib.parse.quote(db.get("USER") or "")
    password = db.get("PASSWORD") or ""
    auth = f"{user}:{urllib.parse.quote(password)}@" if password else (f"{user}@" if user else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}{port}/{db['NAME']}"


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url(),
        BENCH_SERVER="1",
        CELERY_TASK_ALWAYS_EAGER="false",
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    if not settings.REDIS_URL:
        env["CELERY_BROKER_DIR"] = str(BROKER_DIR)
    return env


class Process:
    """A child process of the bench, stopped (SIGTERM, then SIGKILL) at the end."""

    RUNNING: list[Process] = []

    def __init__(self, name: str, args: list[str]) -> None:
        VAR.mkdir(exist_ok=True)
        self.name = name
        self.log = VAR / f"bench-{name}.log"
        with open(self.log, "wb") as log:
            self.popen = subprocess.Popen(
                args, cwd=ROOT, env=_environment(), stdout=log, stderr=subprocess.STDOUT
            )
        Process.RUNNING.append(self)

    def check(self) -> None:
        if self.popen.poll() is not None:
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{self.name} stopped ({self.popen.returncode}):\n{tail}")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        if self in Process.RUNNING:
            Process.RUNNING.remove(self)

    @classmethod
    def stop_all(cls) -> None:
        for process in list(cls.RUNNING):
            process.stop()


_SERVER: dict[str, Server] = {}


class Server(Process):
    """gunicorn as in the Procfile: gthread, WEB_CONCURRENCY workers (3) of
    GUNICORN_THREADS threads (4)."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.workers = os.environ.get("WEB_CONCURRENCY", "3")
        self.threads = os.environ.get("GUNICORN_THREADS", "4")
        super().__init__(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--worker-class",
                "gthread",
                "--workers",
                self.workers,
                "--threads",
                self.threads,
                "--timeout",
                "120",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--no-control-socket",  # one per user by default: benches side by side
            ],
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            self.check()
            try:
                status, _size, _h = Client(self).request("GET", "/tai-khoan/login/")
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer in 60 s (see {self.log})")

    def describe(self) -> str:
        return f"gunicorn gthread {self.workers}×{self.threads}"


def server() -> Server:
    """The bench's server, started on first use."""
    if "web" not in _SERVER:
        _SERVER["web"] = Server()
    return _SERVER["web"]


def documents_worker(max_memory_kib: int) -> Process:
    """A Celery worker of the documents queue as in the Procfile (one child
    process, replaced once it holds more than ``max_memory_kib``)."""
    if BROKER_DIR.exists() and not settings.REDIS_URL:
        shutil.rmtree(BROKER_DIR)
    worker = Process(
        "documents",
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            settings.CELERY_DOCUMENTS_QUEUE,
            "-n",
            f"bench-documents-{os.getpid()}@%h",
            f"--concurrency={os.environ.get('DOCUMENTS_CONCURRENCY', '1')}",
            f"--max-memory-per-child={max_memory_kib}",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
    )
    return worker


def children(pid: int) -> list[int]:
    """The live child processes of ``pid``, whichever of its threads forked them."""
    pids = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            pids.update(int(p) for p in (task / "children").read_text().split())
        except OSError:
            continue
    alive = []
    for child in sorted(pids):
        try:
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state not in ("Z", "X"):  # not exited (a zombie is listed until reaped)
            alive.append(child)
    return alive


def rss_mib(pid: int) -> float:
    """Resident set of a process (VmRSS), in MiB."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:  # gone meanwhile
        return float("nan")
    for line in lines:
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- Requests -----------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    session: Session | None = None
    data: dict | None = None
    headers: dict = field(default_factory=dict)
    kind: str = ""  # what it measures, to tell the samples of a mixed load apart


@dataclass
class Sample:
    kind: str
    ms: float
    status: int
    size: int
    headers: dict


class Client:
    """One keep-alive connection (a thread's browser)."""

    def __init__(self, target: Server) -> None:
        self.port = target.port
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                content = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, len(content), dict(response.getheaders())
            except (http.client.HTTPException, ConnectionError):
                self.close()  # the server closed an idle keep-alive connection
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def send(self, request: Request) -> Sample:
        headers = {"Host": "127.0.0.1", **request.headers}
        body = None
        if request.session:
            headers.update(request.session.headers)
        if request.data is not None:
            body = urllib.parse.urlencode(request.data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        try:
            status, size, response_headers = self.request(
                request.method, request.path, body, headers
            )
        except OSError:
            status, size, response_headers = 0, 0, {}
        ms = (time.perf_counter() - start) * 1000
        return Sample(request.kind, ms, status, size, response_headers)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


Script = Callable[[Client], list[Sample]]


def sequence(*requests: Request) -> Script:
    """A user's script: these requests one after the other."""

    def script(client: Client) -> list[Sample]:
        return [client.send(r) for r in requests]

    return script


@dataclass
class Load:
    samples: list[Sample]
    seconds: float

    def of(self, kind: str = "") -> list[Sample]:
        return [s for s in self.samples if not kind or s.kind == kind]

    def ms(self, kind: str = "") -> list[float]:
        return [s.ms for s in self.of(kind)]

    def errors(self, ok=(200, 302, 304)) -> int:
        return sum(s.status not in ok for s in self.samples)


def load(scripts: list[Script], concurrency: int) -> Load:
    """Run ``scripts`` (one per user) on ``concurrency`` threads, each taking
    the next script when done with one, as that many browsers would."""
    target = server()
    work: queue.SimpleQueue = queue.SimpleQueue()
    for script in scripts:
        work.put(script)
    samples: list[Sample] = []
    lock = threading.Lock()
    ready = threading.Barrier(concurrency + 1)

    def worker() -> None:
        client = Client(target)
        mine: list[Sample] = []
        ready.wait()
        while True:
            try:
                script = work.get_nowait()
            except queue.Empty:
                break
            mine.extend(script(client))
        client.close()
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    ready.wait()
    start = time.perf_counter()
    for thread in threads:
        while thread.is_alive():
            thread.join(0.5)  # with a timeout: Ctrl+C and SIGTERM are handled meanwhile
    return Load(samples, time.perf_counter() - start)


def get(path: str, session: Session, *, kind: str = "", **headers) -> Request:
    return Request("GET", path, session, headers=headers, kind=kind)


def post(path: str, session: Session, data: dict, *, kind: str = "", **headers) -> Request:
    return Request("POST", path, session, data=data, headers=headers, kind=kind)


def warm(*requests: Request) -> None:
    """Each request a few times at once, so that every gunicorn worker has
    loaded its templates and caches before the first round."""
    scripts = [sequence(r) for r in requests for _ in range(6)]
    load(scripts, min(len(scripts), 12))


def alone(request: Request, times: int) -> list[Sample]:
    """``request`` sent ``times`` times by one browser, after one to warm up."""
    client = Client(server())
    client.send(request)
    samples = [client.send(request) for _ in range(times)]
    client.close()
    return samples
