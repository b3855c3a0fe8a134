"""CPU time as Linux counts it, for the scenarios that run several processes.

A rate measured on a busy two-core machine says little by itself; the CPU each
unit of work costs says what the machine can give at best: with ``cores`` cores
and ``c`` seconds of CPU a unit (every process counted, the database's too), no
arrangement of the same work does more than ``cores / c`` units a second. The
scenarios print that ceiling beside the rate they measured.

``Snapshot`` reads the whole machine (``/proc/stat``: every core's busy time,
whoever spent it) and the PostgreSQL server's processes (their own time, plus what
the postmaster collected from the backends that have exited). Both are read on
this machine only: the scenarios' server is local.
"""

from __future__ import annotations

import os
import resource
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")
_PROC = Path("/proc")


def process_seconds(pid: int) -> float:
    """User and system CPU time of one running process."""
    fields = (_PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def family_seconds(pid: int) -> float:
    """CPU time of ``pid`` and of its children still running (a server and its workers)."""
    total = 0
    for number, fields, _name in _stats():
        if number == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / _TICK


def machine_seconds() -> float:
    """Busy time of every core since boot: user, nice, system, interrupts, steal."""
    fields = (_PROC / "stat").read_text().split("\n", 1)[0].split()
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / _TICK


def postgres_seconds() -> float:
    """CPU time of the local PostgreSQL server's processes, the exited backends included."""
    total = 0
    for _pid, fields, name in _stats():
        if name == "postgres":
            # utime, stime, then what the process reaped from its exited children.
            total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
    return total / _TICK


def _stats() -> Iterator[tuple[int, list[str], str]]:
    """Each running process: its id, the fields of its ``stat`` after the name, its name."""
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        name, rest = stat.split("(", 1)[1].rsplit(")", 1)
        yield int(entry.name), rest.split(), name


def own_seconds() -> float:
    """CPU time of this process, every thread (a scenario's clients, its relay)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Snapshot:
    machine: float
    postgres: float
    own: float

    @classmethod
    def now(cls) -> Snapshot:
        return cls(machine_seconds(), postgres_seconds(), own_seconds())

    def since(self, earlier: Snapshot) -> Snapshot:
        return Snapshot(
            self.machine - earlier.machine,
            self.postgres - earlier.postgres,
            self.own - earlier.own,
        )


def cores() -> int:
    return os.cpu_count() or 1
