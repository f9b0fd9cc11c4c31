"""Reviews on Dask (coeval/cluster.py): a real `dask scheduler` and two `dask worker`
processes on 127.0.0.1, started here and stopped at the end, run a PostgreSQL workbook's
quarter through `coeval run --scheduler`; the pages match a local cluster's; a worker killed
mid-run does not stop the quarter; a job whose worker is lost twice is reported as failed;
a SQLite workbook, an address with no scheduler and nothing to do are handled before any
work starts."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import psutil
import pytest
from click.testing import CliRunner

from coeval.cli.main import main
from coeval.config import Workbook
from coeval.run import period_folder, run_reviews

pytestmark = pytest.mark.slow

PERIOD = "2026Q3"
PROJECTS = ["discharge-workshops", "oakfield-mir"]
DASK = str(Path(sys.executable).parent / "dask")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(*command: str, folder: Path, name: str) -> subprocess.Popen[bytes]:
    """A Dask process in a session of its own (so it can be killed with all it started)."""
    environ = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}
    log = open(folder / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [DASK, *command],
        cwd=folder,  # no workbook here: workers get what they need with each job
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _workers_connected(address: str, count: int, limit: float = 60.0) -> None:
    from distributed import Client

    with Client(address, timeout="20s") as client:
        client.wait_for_workers(count, timeout=limit)


class Cluster:
    def __init__(self, folder: Path):
        self.folder = folder
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        port = self.address.rsplit(":", 1)[1]
        self.scheduler = _start(
            "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard",
            folder=folder, name="scheduler",
        )  # fmt: skip
        self.workers: list[subprocess.Popen[bytes]] = []

    def add_worker(self) -> subprocess.Popen[bytes]:
        worker = _start(
            "worker", self.address, "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard",
            folder=self.folder, name=f"worker-{len(self.workers)}",
        )  # fmt: skip
        self.workers.append(worker)
        return worker

    def alive(self) -> list[subprocess.Popen[bytes]]:
        return [w for w in self.workers if w.poll() is None]

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            _stop(process)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    running = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        running.add_worker()
        running.add_worker()
        _workers_connected(running.address, 2)
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def shared(tmp_path_factory, pg_server) -> Workbook:
    """The demo workbook with its store on PostgreSQL."""
    from sqlalchemy import create_engine, text

    from coeval.demo.workbook import build_demo

    admin = create_engine(pg_server.format("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE coeval_cluster"))
    admin.dispose()
    url = pg_server.format("coeval_cluster")
    root = tmp_path_factory.mktemp("shared") / "demo"
    saved = os.environ.get("COEVAL_DB")
    os.environ["COEVAL_DB"] = url  # the demo builds its store where the workbook's is
    try:
        build_demo(root, seed=11)
    finally:
        os.environ.pop("COEVAL_DB")
        if saved is not None:
            os.environ["COEVAL_DB"] = saved
    return Workbook.open(root, url)


def _page(folder: Path, name: str) -> str:
    html = (folder / f"{name}.html").read_text(encoding="utf-8")
    return re.sub(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?", "TIME", html)


def _cli(book: Workbook, *args: str) -> subprocess.CompletedProcess[str]:
    coeval = str(Path(sys.executable).parent / "coeval")
    return subprocess.run(
        [coeval, "--workbook", str(book.root), "--db", book.db_url, *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_quarter_on_a_real_cluster_matches_a_local_run(shared: Workbook, cluster) -> None:
    folder = period_folder(shared, _period(shared), "internal")
    local = run_reviews(shared, PERIOD, PROJECTS, jobs=2, force=True)
    assert not local.failed, [(o.name, o.error) for o in local.failed]
    pages = {name: _page(folder, name) for name in [*PROJECTS, "portfolio"]}

    chosen = [arg for p in PROJECTS for arg in ("--project", p)]
    done = _cli(
        shared, "run", "--period", PERIOD, "--force", *chosen, "--scheduler", cluster.address
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"on the Dask cluster at {cluster.address}" in done.stdout
    for name, page in pages.items():
        assert _page(folder, name) == page, f"{name}: the cluster's page differs from the local one"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert all(e["status"] == "ok" for e in manifest["projects"].values())
    # the workers found the workbook in what was sent with each job, not on a shared disk
    made = nbformat.read(folder / f"{PROJECTS[0]}.ipynb", as_version=4)
    injected = next(c for c in made.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert str(shared.root) not in injected.source
    # and their warm kernels stopped with the run
    assert not _kernels_under(cluster.alive())


def _period(book: Workbook):
    from coeval.periods import parse_period

    return parse_period(PERIOD, book.settings.period_scheme)


def _kernels_under(workers: list[subprocess.Popen[bytes]]) -> list[psutil.Process]:
    found = []
    for worker in workers:
        with_children = psutil.Process(worker.pid).children(recursive=True)
        found += [p for p in with_children if "ipykernel" in " ".join(p.cmdline())]
    return found


def test_killing_a_worker_mid_run_still_completes_the_quarter(shared: Workbook, cluster) -> None:
    coeval = str(Path(sys.executable).parent / "coeval")
    command = [coeval, "--workbook", str(shared.root), "--db", shared.db_url, "run"]
    command += ["--period", PERIOD, "--force", "--scheduler", cluster.address]
    command += [arg for p in PROJECTS for arg in ("--project", p)]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    victim = None
    deadline = time.monotonic() + 120
    while victim is None and time.monotonic() < deadline and run.poll() is None:
        busy = [w for w in cluster.alive() if _kernels_under([w])]
        victim = busy[0] if busy else None
        time.sleep(0.2)
    assert victim is not None, "no worker started a review"
    os.killpg(victim.pid, signal.SIGKILL)  # the machine goes away, kernel and all
    out, _ = run.communicate(timeout=600)
    assert run.returncode == 0, out
    assert "3 made, 0 unchanged, 0 failed" in out
    cluster.add_worker()  # back to two for the other tests
    _workers_connected(cluster.address, 2)


def test_a_sqlite_workbook_is_refused_by_remote_workers(tmp_path: Path) -> None:
    runner = CliRunner()
    root = tmp_path / "wb"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    result = runner.invoke(
        main,
        ["--workbook", str(root), "run", "--period", PERIOD, "--scheduler", "tcp://10.0.0.9:8786"],
    )
    assert result.exit_code != 0
    assert "SQLite file" in result.output
    assert "coeval database copy" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_an_address_with_no_scheduler_says_so(shared: Workbook) -> None:
    nowhere = f"tcp://127.0.0.1:{_free_port()}"
    result = _cli(shared, "run", "--period", PERIOD, "--force", "--scheduler", nowhere)
    assert result.returncode != 0
    assert f"--scheduler {nowhere}: no Dask scheduler answered there" in result.stderr
    assert "Traceback" not in result.stderr


def test_nothing_due_starts_no_cluster(shared: Workbook, monkeypatch) -> None:
    """Skips are decided first: with every review up to date no cluster is asked for,
    not even one at an address where none runs."""
    run_reviews(shared, PERIOD, PROJECTS, jobs=2)  # up to date
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", f"tcp://127.0.0.1:{_free_port()}")
    chosen = [arg for p in PROJECTS for arg in ("--project", p)]
    again = CliRunner().invoke(
        main,
        ["--workbook", str(shared.root), "--db", shared.db_url, "run", "--period", PERIOD, *chosen],
    )
    assert again.exit_code == 0, again.output
    assert "2 unchanged" in again.output
    assert "running" not in again.output


LOSE_WORKER = """\
import os, signal
if project == {doomed!r}:
    os.kill(os.getppid(), signal.SIGKILL)  # the worker running this review dies
"""


def test_a_review_whose_worker_is_lost_twice_is_reported_failed(tmp_path: Path) -> None:
    """Run once more on another worker, then reported as failed, alone; nothing published."""
    from coeval.demo.workbook import build_demo
    from coeval.execute import notebook_path

    root = tmp_path / "demo"
    build_demo(root, seed=11)
    book = Workbook.open(root)
    own = root / "notebooks" / "quarterly_review.ipynb"
    own.parent.mkdir()
    shutil.copy(notebook_path(book, "quarterly_review.ipynb"), own)
    nb = nbformat.read(own, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(LOSE_WORKER.format(doomed=PROJECTS[0])))
    nbformat.write(nb, own)
    own.chmod(0o644)
    settings = book.config_path.read_text(encoding="utf-8")
    book.config_path.write_text(
        settings.replace("# quarterly_review = ", "quarterly_review = "), encoding="utf-8"
    )
    report = run_reviews(Workbook.open(root), PERIOD, PROJECTS, jobs=2)
    failed = {o.name: o.error for o in report.failed}
    assert list(failed) == [PROJECTS[0]]
    assert "lost twice" in failed[PROJECTS[0]]
    folder = report.folder
    assert not (folder / f"{PROJECTS[0]}.html").exists()
    assert (folder / f"{PROJECTS[1]}.html").is_file()


def _certificates(folder: Path) -> dict[str, Path]:
    """A certificate authority and one certificate for 127.0.0.1 signed by it (PEM files),
    as an organisation's own tooling would make them."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(text: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder(issuer_name=name("coeval CA"), subject_name=name("coeval CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(*[False] * 5, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder(issuer_name=ca.subject, subject_name=name("127.0.0.1"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(
            x509.ExtendedKeyUsage([x509.OID_SERVER_AUTH, x509.OID_CLIENT_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    files = {"ca": folder / "ca.pem", "cert": folder / "cert.pem", "key": folder / "key.pem"}
    files["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files["cert"].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    files["key"].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return files


def test_a_cluster_over_tls_as_docs_scale_describes(shared: Workbook, tmp_path: Path) -> None:
    files = _certificates(tmp_path)
    tls = ["--tls-ca-file", str(files["ca"]), "--tls-cert", str(files["cert"])]
    tls += ["--tls-key", str(files["key"])]
    address = f"tls://127.0.0.1:{_free_port()}"
    port = address.rsplit(":", 1)[1]
    processes = [
        _start("scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard", *tls,
               folder=tmp_path, name="tls-scheduler"),
        _start("worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard",
               *tls, folder=tmp_path, name="tls-worker"),
    ]  # fmt: skip
    environ = {
        "DASK_DISTRIBUTED__COMM__TLS__CA_FILE": str(files["ca"]),
        "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT": str(files["cert"]),
        "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY": str(files["key"]),
        "DASK_DISTRIBUTED__COMM__REQUIRE_ENCRYPTION": "True",
    }
    try:
        coeval = str(Path(sys.executable).parent / "coeval")
        command = [coeval, "--workbook", str(shared.root), "--db", shared.db_url, "run"]
        command += ["--period", PERIOD, "--force", "--project", PROJECTS[1]]
        done = subprocess.run(
            [*command, "--scheduler", address],
            env={**os.environ, **environ},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "2 made, 0 unchanged, 0 failed" in done.stdout
        # without the client certificate the scheduler does not let the command in
        plain = subprocess.run(
            [*command, "--scheduler", address], capture_output=True, text=True, timeout=600
        )
        assert plain.returncode != 0
        assert "DASK_DISTRIBUTED__COMM__TLS__CA_FILE" in plain.stderr
        assert "Traceback" not in plain.stderr
    finally:
        for process in processes:
            _stop(process)


def test_the_scheduler_going_away_mid_run_fails_the_reviews_in_hand_plainly(
    shared: Workbook, tmp_path: Path
) -> None:
    """As docs/scale.md says: the reviews still running are reported as failed, with the
    error, and nothing of theirs is published; the command does not hang."""
    own = Cluster(tmp_path)
    try:
        own.add_worker()
        _workers_connected(own.address, 1)
        coeval = str(Path(sys.executable).parent / "coeval")
        command = [coeval, "--workbook", str(shared.root), "--db", shared.db_url, "run"]
        command += ["--period", PERIOD, "--force", "--scheduler", own.address]
        run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not _kernels_under(own.alive()) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _kernels_under(own.alive()), "no review started"
        os.killpg(own.scheduler.pid, signal.SIGKILL)
        out, err = run.communicate(timeout=300)
    finally:
        own.stop()
    assert run.returncode == 1, out + err
    assert "failed" in out
    assert "Traceback" not in out + err, out + err
