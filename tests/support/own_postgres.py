"""A throwaway PostgreSQL cluster of its own (initdb + pg_ctl on a free port), for tests that stop and start the
database: the suite's shared server is never touched. As root, the cluster runs as the postgres user (initdb
refuses root), in a directory that user owns.

    cluster = OwnPostgres(); cluster.start(); cluster.url   # postgresql+psycopg://...
    cluster.stop()          # at once, as a crash would (pg_ctl -m immediate)
    cluster.start()         # and back on the same port and data
    cluster.remove()
"""

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from shop.payments.local_server import free_port
from tests.support import databases


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class OwnPostgres:
    def __init__(self, *, archive: bool = False, data_from: Path | None = None) -> None:
        """A new cluster (initdb), or one made from a base backup (`data_from`); with `archive`, every finished
        WAL segment is copied to `self.archive` (archive_mode), as the README's backups prescribe."""
        bin_dir = binaries()
        if bin_dir is None:
            message = "PostgreSQL's server binaries (initdb, pg_ctl) are not installed"
            if databases.IN_CI:
                pytest.fail(message + " (CI=true: PostgreSQL is required)", pytrace=False)
            pytest.skip(message)
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="shop-own-pg-"))
        self.data, self.port, self.archive = self.root / "data", free_port(), self.root / "wal-archive"
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self._settings, self._started = ["-c", "fsync=off"], False
        if archive:
            self.archive.mkdir()
            self._settings += ["-c", "archive_mode=on", "-c", f"archive_command=cp %p {self.archive}/%f"]
        if data_from is not None:
            shutil.copytree(data_from, self.data)
        if self._as:
            for path in [self.root, *self.root.rglob("*")]:
                shutil.chown(path, "postgres", "postgres")
        if data_from is None:
            self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        self.data.chmod(0o700)
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/shop"

    @classmethod
    def restore_from(cls, base: Path, *, archive: Path) -> "OwnPostgres":
        """A new server from a base backup that replays the archived WAL to its end, then opens."""
        restored = cls(data_from=base)
        with (restored.data / "postgresql.auto.conf").open("a") as conf:
            conf.write(f"restore_command = 'cp {archive}/%f %p'\n")
        (restored.data / "recovery.signal").touch()
        if restored._as:
            for path in (restored.data / "postgresql.auto.conf", restored.data / "recovery.signal"):
                shutil.chown(path, "postgres", "postgres")
        return restored

    def run(self, tool: str, *args: str) -> None:
        subprocess.run([*self._as, str(self.bin / tool), *args], check=True, capture_output=True, timeout=120)

    def start(self, tries: int = 3) -> None:
        """Start it on its port; on a first start, a port another process took meanwhile is swapped for a
        free one (a restart keeps its port: the shop's connections point there)."""
        log = self.root / "server.log"
        for attempt in range(tries):
            options = " ".join([f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1",
                                *(f"'{part}'" if " " in part else part for part in self._settings)])
            try:
                self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(log), "-w", "start")
                self._started = True
                return
            except subprocess.CalledProcessError as error:
                said = log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
                if "already in use" in said and not self._started and attempt < tries - 1:
                    self.port = free_port()
                    self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/shop"
                    continue
                raise RuntimeError(f"PostgreSQL did not start on port {self.port}:\n{said}") from error

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def create_database(self) -> None:
        self.run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-c", "CREATE DATABASE shop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
