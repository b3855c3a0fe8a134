"""Nothing lost: real workers, a real relay and a real PostgreSQL, all of them misbehaving.

One run on a throwaway PostgreSQL cluster (restarting it disturbs nothing else):
``WORKERS`` ``run_tasks`` processes send ``MAILS`` invitations to an aiosmtpd
relay on the loopback while, in turn,

1. the relay answers 451 to the first ``GREYLISTED`` recipients;
2. one worker is killed (SIGKILL) while it waits for the relay's reply to a
   message the relay already has: the documented window, so one duplicate
   (same Message-ID) is allowed per killed worker;
3. ``CLAIMS`` volunteers validate their claim at once and PostgreSQL restarts
   under the workers while they sign the badges (``issue_validated``);
4. the relay answers ``SLOW_REPLIES`` messages after ``EMAIL_TIMEOUT`` (but
   within ``EMAIL_DATA_TIMEOUT``): each must arrive once.

Then: every mail is sent and received, every validated claim has exactly one
badge and one badge mail, none is stuck (no mail nor task row left sending or
running, no claim left without its badge), every body is erased, the surviving workers are still up
and stop cleanly, and duplicates are at most the killed workers. Run with
``make faults`` (deselected from ``make test``); it prints what it measured.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller

from tests.settings import TEST_ENVIRONMENT
from tests.smtp import SmtpServer, free_port

pytestmark = pytest.mark.faults

MAILS = 1000
CLAIMS = 200
WORKERS = 4
GREYLISTED = 120
SLOW_REPLIES = 20
DEADLINE = 240.0  # seconds for the whole run to settle
ROOT = Path(__file__).resolve().parents[2]
ENV = {
    "EMAIL_TIMEOUT": "1",
    "EMAIL_DATA_TIMEOUT": "3",
    "MAIL_LEASE": "10",  # > 5 × EMAIL_TIMEOUT + EMAIL_DATA_TIMEOUT
    "MAIL_RETRY_DELAYS": "1,2,3",
    "LOG_LEVEL": "WARNING",
}


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        pytest.skip("PostgreSQL server binaries are not installed")
    return str(found[-1])


def as_postgres(*command: str) -> list[str]:
    """Run a cluster command as the postgres user (initdb refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


@dataclass
class Cluster:
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/faults_delivery"

    def ctl(self, action: str, *args: str) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        # The server's output goes to its log: a pipe would be held open by the server.
        log = str(self.data.parent / "server.log")
        command = [pg_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w"]
        run = as_postgres(*command, *args, action)
        subprocess.run(run, check=True, stdout=subprocess.DEVNULL, timeout=120)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    base = Path(tempfile.mkdtemp(prefix="faults-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    initdb = [pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]
    subprocess.run(as_postgres(*initdb), check=True, capture_output=True)
    cluster = Cluster(data, free_port())
    cluster.ctl("start")
    try:
        with psycopg.connect(
            f"postgres://postgres@127.0.0.1:{cluster.port}/postgres", autocommit=True
        ) as connection:
            connection.execute("CREATE DATABASE faults_delivery")
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.ctl("stop", "-m", "immediate")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def relay() -> Iterator[SmtpServer]:
    server = SmtpServer("127.0.0.1", free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


def manage_env(cluster: Cluster, relay: SmtpServer, data_dir: Path) -> dict[str, str]:
    # Not the test settings' environment (immediate tasks, in-memory mail): production's.
    env = {k: v for k, v in os.environ.items() if k not in TEST_ENVIRONMENT}
    env.update(ENV)
    env.update(
        DJANGO_SETTINGS_MODULE="insigne.settings",
        DATABASE_URL=cluster.url,
        EMAIL_URL=f"smtp://{relay.host}:{relay.port}",
        INSIGNE_DATA_DIR=str(data_dir),
        SECRET_KEY="faults-test-secret",
        SITE_URL="https://badges.example.test",
        PYTHONUNBUFFERED="1",
    )
    return env


SEED = """
from django.db import transaction
from insigne.badges.keys import issuer_keys
from insigne.claims.models import Invitation
from insigne.mail.services import queue_mail
from tests.personas import make_mission
issuer_keys()  # the key file, made once before the workers read it
with transaction.atomic():
    for n in range({count}):
        queue_mail(kind="invitation", to=f"volontaire{{n}}@exemple.test",
                   subject="Votre Open Badge", text=f"Lien personnel n° {{n}}",
                   html=f"<p>Lien personnel n° {{n}}</p>", related_key=f"invitation:{{n}}")
    for n in range({claims}):
        Invitation.objects.create(mission=make_mission(f"FAULT-{{n:04d}}"))
"""
# What the validation page does for each claim (``claims.services.accept_claim``).
VALIDATE_ALL = "UPDATE claims_invitation SET validated_at = now() WHERE validated_at IS NULL"


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)  # polling real processes, not waiting for time to pass


def owner_of(peer_port: int, pids: list[int]) -> int | None:
    """The process whose TCP socket has this local port (the relay sees it as the peer)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == peer_port:
            inodes.add(f"socket:[{fields[9]}]")
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) in inodes:
                        return pid
    return None


def claims(url: str) -> tuple[int, int, int]:
    """Validated claims, those still without a badge, badges issued."""
    with psycopg.connect(url, connect_timeout=2) as connection:
        [(validated, waiting, issued)] = connection.execute(
            "SELECT count(*) FILTER (WHERE validated_at IS NOT NULL),"
            " count(*) FILTER (WHERE validated_at IS NOT NULL AND credential_id IS NULL),"
            " (SELECT count(*) FROM credentials_credential) FROM claims_invitation"
        )
    return validated, waiting, issued


def counts(url: str) -> tuple[dict[str, int], dict[str, int], int, int]:
    """Mails by status, task rows by status, mails still holding a body, tries beyond the
    first."""
    with psycopg.connect(url, connect_timeout=2) as connection:
        mails = dict(
            connection.execute("SELECT status, count(*) FROM mail_outgoingmail GROUP BY 1")
        )
        tasks = dict(
            connection.execute(
                "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY 1"
            )
        )
        [(bodies, retries)] = connection.execute(
            "SELECT count(*) FILTER (WHERE text_body <> '' OR html_body <> ''),"
            " coalesce(sum(attempts - 1), 0) FROM mail_outgoingmail"
        )
    return mails, tasks, bodies, int(retries)


def safe_counts(url: str) -> tuple[dict[str, int], dict[str, int], int, int] | None:
    try:
        return counts(url)
    except psycopg.OperationalError:
        return None  # the database is restarting


def test_every_mail_is_delivered_through_kills_restarts_and_slow_relays(cluster, relay, tmp_path):
    started = time.monotonic()
    env = manage_env(cluster, relay, tmp_path)
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "-v0"], ["createcachetable"]):
        subprocess.run(manage + command, env=env, check=True, cwd=ROOT)
    seed = SEED.format(count=MAILS, claims=CLAIMS)
    subprocess.run(manage + ["shell", "-c", seed], env=env, check=True, cwd=ROOT)
    misconfigured = subprocess.run(
        manage + ["run_tasks", "--burst"], env=env | {"MAIL_LEASE": "5"}, capture_output=True
    )
    assert misconfigured.returncode == 1 and b"MAIL_LEASE" in misconfigured.stderr

    relay.reply_to_rcpt(*["451 4.7.1 Greylisted, try again later"] * GREYLISTED)
    logs = [open(tmp_path / f"worker{n}.log", "wb") for n in range(WORKERS)]  # noqa: SIM115
    workers = [
        subprocess.Popen(
            manage + ["run_tasks", "--interval", "0.2"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for log in logs
    ]
    try:
        # 2. kill -9 a worker while the relay holds the reply to a message it already has
        wait_until(lambda: len(relay.messages) >= MAILS // 5, 90, "a fifth of the mails")
        relay.answer_data_late(2.5, 2.5, 2.5)
        wait_until(lambda: bool(relay.late_peers), 30, "a worker waiting for a late reply")
        victim = owner_of(relay.late_peers[0][1], [w.pid for w in workers])
        assert victim is not None
        os.kill(victim, signal.SIGKILL)
        killed = [w for w in workers if w.pid == victim]
        survivors = [w for w in workers if w.pid != victim]

        # 3. the claims validated at once, PostgreSQL restarting while they are signed
        wait_until(lambda: len(relay.messages) >= MAILS * 2 // 5, 90, "two fifths of the mails")
        with psycopg.connect(cluster.url, autocommit=True) as connection:
            connection.execute(VALIDATE_ALL)
        wait_until(lambda: claims(cluster.url)[2] > 0, 30, "the first badges")
        signed_before_restart = claims(cluster.url)[2]
        cluster.ctl("restart", "-m", "fast")

        # 4. a relay whose final reply comes after EMAIL_TIMEOUT
        wait_until(lambda: len(relay.messages) >= MAILS * 3 // 5, 90, "three fifths")
        relay.answer_data_late(*[1.8] * SLOW_REPLIES)

        def settled() -> bool:
            state = safe_counts(cluster.url)
            if state is None:
                return False
            mails, tasks, _bodies, _retries = state
            idle = not tasks.get("RUNNING") and not tasks.get("READY")
            return mails == {"sent": MAILS + CLAIMS} and idle and claims(cluster.url)[1] == 0

        wait_until(settled, DEADLINE - (time.monotonic() - started), "every mail to be sent")
        mails, tasks, bodies, retries = counts(cluster.url)
        validated, waiting, issued = claims(cluster.url)
        assert [w.poll() for w in survivors] == [None] * len(survivors)  # none exited
        assert killed[0].wait(5) == -signal.SIGKILL
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        codes = [worker.wait(30) for worker in workers]
        for log in logs:
            log.close()
    elapsed = time.monotonic() - started

    received = Counter(message["Message-ID"] for message in relay.messages)
    duplicates = sum(n - 1 for n in received.values())
    badge_mails = Counter(
        message["To"] for message in relay.messages if message["To"].startswith("fault-")
    )
    print(
        f"\nfaults: {MAILS} mails and {CLAIMS} claims, {WORKERS} workers, "
        f"{len(relay.messages)} messages received, {len(received)} distinct, "
        f"{duplicates} duplicates (allowed {len(killed)}: one per killed worker), "
        f"{issued} badges ({signed_before_restart} before the restart), {retries} retries, "
        f"{elapsed:.0f} s"
    )
    assert signed_before_restart < CLAIMS  # the restart came while badges were signed
    assert (validated, waiting, issued) == (CLAIMS, 0, CLAIMS)  # each claim one badge
    assert len(badge_mails) == CLAIMS  # each volunteer got the badge mail
    assert len(received) == MAILS + CLAIMS  # 0 lost
    assert mails == {"sent": MAILS + CLAIMS}  # 0 stuck: nothing pending, sending or given up
    assert set(tasks) <= {"SUCCESSFUL"}  # no task row left running by the dead worker
    assert bodies == 0  # every body erased, the recovered ones too
    assert duplicates <= len(killed)
    assert codes == [0 if w in survivors else -signal.SIGKILL for w in workers]
    assert retries >= GREYLISTED  # each 451 cost its mail one more try, nothing more
