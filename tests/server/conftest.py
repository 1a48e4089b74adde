"""Live server fixtures: a real `tradelab serve` process per test, on a free loopback port, with
its own strategies and state folders, talked to over real HTTP (http.client) and WebSocket.

`start_server(...)` starts one (options become command-line flags); `start_server(state_dir=S)`
restarts on the state folder of an earlier one. Every server started is killed at teardown,
with any `tradelab worker` children it left.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import _binary  # tests/conftest.py (pytest puts tests/ on sys.path)

ROOT = Path(__file__).resolve().parent.parent.parent


# ---------------------------------------------------------------------------------------------
# Processes


def process_children(pid: int) -> list[int]:
    """Live (non-zombie) child processes of `pid`, read from /proc/*/stat."""
    children = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()   # the command name may hold spaces and parentheses
        state, ppid = fields[0], int(fields[1])
        if ppid == pid and state != "Z":
            children.append(int(entry))
    return children


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def is_worker(argv: list[str]) -> bool:
    """`tradelab-worker` (what the server starts when it is built next to `tradelab`) or `tradelab worker`."""
    return bool(argv) and (Path(argv[0]).name == "tradelab-worker" or argv[1:2] == ["worker"])


def worker_children(pid: int) -> list[int]:
    """The worker processes of server `pid`."""
    return [c for c in process_children(pid) if is_worker(cmdline(c))]


def alive(pid: int) -> bool:
    """Whether `pid` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split()[0] != "Z"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# HTTP


class Response:
    def __init__(self, status: int, headers: dict, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def json(self):
        return json.loads(self.body)

    @property
    def is_json(self) -> bool:
        return self.headers.get("content-type", "").startswith("application/json")

    def error(self) -> dict:
        """The `{"error": {...}}` object, checked to be the documented shape."""
        assert self.is_json, (self.status, self.headers, self.body[:300])
        body = self.json
        assert set(body) == {"error"}, body
        assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str), body
        assert body["error"]["message"], body
        return body["error"]

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


class Server:
    """One `tradelab serve` process and a small client for it."""

    def __init__(self, binary: Path, port: int, dirs: dict, args: list[str], log: Path, token: str | None):
        self.binary = binary
        self.port = port
        self.dirs = dirs
        self.state_dir: Path = dirs["state"]
        self.strategies_dir: Path = dirs["strategies"]
        self.data_dir: Path = dirs["data"]
        self.token = token
        self.log = log
        command = [str(binary), "serve", "--port", str(port), "--data-dir", str(self.data_dir),
                   "--strategies-dir", str(self.strategies_dir), "--state-dir", str(self.state_dir),
                   "--web-dir", "/nonexistent", *args]
        self.log_file = log.open("ab")
        self.process = subprocess.Popen(command, stdout=self.log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.pid = self.process.pid

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_ready(self, timeout: float = 20):
        deadline = time.time() + timeout
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited ({self.process.returncode}):\n{self.log_text()}")
            try:
                if self.request("GET", "/api/engine", headers=headers, auth=False, timeout=2).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"the server did not answer /api/engine within {timeout} s:\n{self.log_text()}")

    # -- HTTP ------------------------------------------------------------------------------------

    def request(self, method: str, path: str, body=None, *, raw: bytes | None = None, headers: dict | None = None,
                auth: bool = True, timeout: float = 30) -> Response:
        """Sends one request on a new connection; `path` goes on the request line as given."""
        headers = dict(headers or {})
        if auth and self.token and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {self.token}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            headers.setdefault("Content-Type", "application/json")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            try:
                connection.request(method, path, body=data, headers=headers)
            except (BrokenPipeError, ConnectionResetError):
                pass   # the server may answer (413) before reading everything; read what it said
            response = connection.getresponse()
            return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            connection.close()

    def get(self, path, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw) -> Response:
        return self.request("POST", path, body, **kw)

    def put(self, path, body=None, **kw) -> Response:
        return self.request("PUT", path, body, **kw)

    def delete(self, path, **kw) -> Response:
        return self.request("DELETE", path, **kw)

    def ok(self, method: str, path: str, body=None, status: int = 200):
        """The JSON of a request that must succeed with `status`."""
        response = self.request(method, path, body)
        assert response.status == status, f"{method} {path} -> {response.status}: {response.body[:1000]!r}"
        return response.json if response.body else None

    # -- Backtests -------------------------------------------------------------------------------

    def submit(self, request: dict) -> str:
        """POST /api/backtest/run; the session id."""
        return self.ok("POST", "/api/backtest/run", request, status=202)["id"]

    def create(self, request: dict) -> str:
        return self.ok("POST", "/api/backtest/create", request, status=201)["id"]

    def status(self, session: str) -> dict:
        return self.ok("GET", f"/api/backtest/{session}/status")

    def session(self, session: str) -> dict:
        return self.ok("GET", f"/api/backtest/{session}")

    def results(self, session: str, max_points: int = 0) -> dict:
        return self.ok("GET", f"/api/backtest/{session}/results?maxPoints={max_points}")

    def wait(self, session: str, statuses=("completed", "stopped", "failed"), timeout: float = 60) -> dict:
        """Polls the session until its status is one of `statuses`; the session."""
        deadline = time.time() + timeout
        while True:
            current = self.session(session)
            if current["status"] in statuses:
                return current
            if time.time() > deadline:
                raise AssertionError(f"session {session} still {current['status']} after {timeout} s: {current}")
            time.sleep(0.03)

    def wait_progress(self, session: str, bars: int, timeout: float = 60) -> dict:
        """Polls until the run has processed at least `bars` bars (and is still running); the status."""
        deadline = time.time() + timeout
        while True:
            current = self.status(session)
            if current["status"] == "running" and current["currentCandleIndex"] >= bars:
                return current
            assert current["status"] in ("queued", "running"), f"session {session} ended before bar {bars}: {current}"
            if time.time() > deadline:
                raise AssertionError(f"session {session} did not reach bar {bars} in {timeout} s: {current}")
            time.sleep(0.01)

    def run(self, request: dict, timeout: float = 60) -> tuple[str, dict]:
        """Submits and waits for the end; (id, session)."""
        session = self.submit(request)
        return session, self.wait(session, timeout=timeout)

    def workers(self) -> list[int]:
        return worker_children(self.pid)

    def wait_no_workers(self, timeout: float = 5) -> list[int]:
        """Waits for every worker to exit (a run's status changes just before its worker exits);
        the workers still there after `timeout` (empty when all exited)."""
        deadline = time.time() + timeout
        while (left := self.workers()) and time.time() < deadline:
            time.sleep(0.02)
        return left

    # -- Lifecycle -------------------------------------------------------------------------------

    def kill(self):
        """SIGKILL the server and the workers it started (they would stop on their own at EOF)."""
        workers = self.workers() if self.process.poll() is None else []
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log_file.close()


@pytest.fixture(scope="session")
def tradelab_bin() -> Path:
    return _binary()


@pytest.fixture(scope="session")
def sample_data(tmp_path_factory, tradelab_bin) -> Path:
    """18 synthetic 1m data sets of 10 days (14400 bars each), generated once."""
    out = tmp_path_factory.mktemp("sample-data")
    subprocess.run([str(tradelab_bin), "data", "sample", "--out", str(out), "--days", "10"], check=True,
                   capture_output=True, timeout=120)
    assert (out / "BTCUSDT_1m.csv").exists()
    return out


@pytest.fixture
def start_server(tmp_path, tradelab_bin, sample_data):
    """Starts servers: `start_server("--max-workers", "2", state_dir=..., token=...)`."""
    started: list[Server] = []
    count = 0

    def start(*args: str, state_dir: Path | None = None, strategies_dir: Path | None = None, token: str | None = None,
              wait: bool = True, data_dir: Path | None = None) -> Server:
        nonlocal count
        count += 1
        if strategies_dir is None:
            strategies_dir = tmp_path / "strategies"
            if not strategies_dir.exists():
                shutil.copytree(ROOT / "strategies", strategies_dir)
        if state_dir is None:
            state_dir = tmp_path / f"state-{count}"
        dirs = {"data": data_dir or sample_data, "strategies": strategies_dir, "state": state_dir}
        extra = list(map(str, args)) + (["--token", token] if token else [])
        if "--spare-workers" not in extra:
            extra += ["--spare-workers", "0"]   # process counts below are of busy workers; spares are tested on their own
        server = Server(tradelab_bin, free_port(), dirs, extra, tmp_path / f"server-{count}.log", token)
        started.append(server)
        return server.wait_ready() if wait else server

    yield start
    for server in started:
        server.kill()


@pytest.fixture
def server(start_server) -> Server:
    """A server with the default options."""
    return start_server()
