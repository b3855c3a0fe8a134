"""``make run``: the whole platform on one machine, for a first look.

Prepares the database (migrate, cache table, demo programme), then runs in
the foreground until Ctrl+C: the local SMTP catcher (a thread of this
process), the task worker with the daily invitation run, and the development
web server (two child processes). Children get ``INSIGNE_DEMO=1``, ``DEBUG=0``
(a wrong address shows the site's own 404 page, as in production; the dev
server still serves static files, ``--insecure``) and ``EMAIL_URL`` pointing
at the catcher.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from insigne.demo.catcher import start_catcher

GRACE = 3.0  # seconds for children to stop on their own after Ctrl+C
STOP_TIMEOUT = 10.0  # seconds a child gets after SIGTERM before it is killed

BANNER = """
  Insigne — démo prête / demo ready

  Site / web site ........................ {site}/
  Courriels reçus / demo mailbox ......... {site}/demo/courriels/
  Administration / admin (admin / admin) . {site}/admin/

  Ctrl+C pour arrêter / to stop.
"""


class Command(BaseCommand):
    help = "Lance la démo : base prête, capteur SMTP, travailleur de tâches et serveur web."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Adresse du serveur web.")
        parser.add_argument("--smtp-port", type=int, default=1025, help="Port du capteur SMTP.")

    def handle(self, *args: Any, addr: str, smtp_port: int, **options: Any) -> None:
        self.prepare_database()
        try:
            catcher = start_catcher("127.0.0.1", smtp_port)
        except (OSError, RuntimeError) as error:
            raise CommandError(f"Port SMTP {smtp_port} indisponible : {error}") from error
        children: list[subprocess.Popen[bytes]] = []
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            env = self.child_environment(addr, smtp_port)
            children.append(self.spawn(["run_tasks", "--daily-invitations"], env))
            children.append(self.spawn(["runserver", addr, "--noreload", "--insecure"], env))
            site = f"http://{addr}"
            _wait_for_port(addr, children)
            self.stdout.write(BANNER.format(site=site))
            self.stdout.flush()
            failed = self.wait(children)
        except KeyboardInterrupt:
            failed = None
        finally:
            self.stop(children)
            catcher.stop()
        if failed is not None:
            raise CommandError(f"Un processus de la démo s'est arrêté (code {failed}).")
        self.stdout.write("Démo arrêtée. / Demo stopped.")

    def prepare_database(self) -> None:
        verbosity = {"verbosity": 0}
        call_command("migrate", interactive=False, **verbosity)
        call_command("createcachetable", **verbosity)
        with override_settings(DEMO_MODE=True):
            call_command("load_demo")

    def child_environment(self, addr: str, smtp_port: int) -> dict[str, str]:
        env = dict(os.environ)
        # Links in mails must lead to this server unless told otherwise.
        env.setdefault("SITE_URL", f"http://{addr}")
        env.update(
            INSIGNE_DEMO="1",
            DEBUG="0",
            EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
            DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "insigne.settings"),
            PYTHONUNBUFFERED="1",
        )
        return env

    def spawn(self, arguments: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "django", *arguments]
        return subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)

    def wait(self, children: list[subprocess.Popen[bytes]]) -> int | None:
        """Block until a child exits (then return its code) or Ctrl+C."""
        while True:
            for child in children:
                code = child.poll()
                if code is not None:
                    return code
            time.sleep(0.5)

    def stop(self, children: list[subprocess.Popen[bytes]]) -> None:
        # After Ctrl+C the children got SIGINT too (same process group) and stop
        # by themselves; otherwise (SIGTERM, a child died) they are asked to,
        # and a child that hangs is killed.
        for signum, grace in ((None, GRACE), (signal.SIGTERM, STOP_TIMEOUT)):
            running = [child for child in children if child.poll() is None]
            if signum is not None:
                for child in running:
                    child.send_signal(signum)
            if not _wait_all(running, grace):
                continue
            return
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()


def _wait_all(children: list[subprocess.Popen[bytes]], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return False
    return True


def _wait_for_port(addr: str, children: list[subprocess.Popen[bytes]]) -> None:
    """Return once the web server accepts connections (or a child died, or 60 s passed)."""
    host, _sep, port = addr.rpartition(":")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and all(c.poll() is None for c in children):
        try:
            socket.create_connection((host.strip("[]"), int(port)), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
