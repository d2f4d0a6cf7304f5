"""``indo-russia-data serve``: Datasette over a freshly exported SQLite database."""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

HOST = "127.0.0.1"  # loopback only: this is a local browser, not a public server


def datasette_command(db: Path, metadata: Path, port: int) -> list[str]:
    # -i: immutable, so Datasette can count rows once and never writes to the file.
    return [sys.executable, "-m", "datasette", "serve", "-i", str(db), "-m", str(metadata),
            "-h", HOST, "-p", str(port)]


def _stop_on_sigterm() -> None:
    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # unwind, so the child is stopped and the temp dir removed

    signal.signal(signal.SIGTERM, handler)


class PortInUse(ValueError):
    pass


def check_port(port: int) -> None:
    """Fail before exporting or printing anything when the port is taken."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            raise PortInUse(f"port {port} on {HOST} is already in use; choose another with --port") from None


def serve(port: int = 8001) -> int:
    """Export to a temporary folder and run Datasette on it until interrupted; returns its exit code."""
    if importlib.util.find_spec("datasette") is None:
        raise ImportError("serve needs datasette: pip install 'indo-russia-data[serve]'")
    from .export import METADATA_NAME, export_sqlite

    check_port(port)
    _stop_on_sigterm()
    with tempfile.TemporaryDirectory(prefix="indo-russia-data-serve-") as tmp:
        db = export_sqlite(tmp)
        print(f"serving {db.name} on http://{HOST}:{port}/ (Ctrl+C to stop)", flush=True)
        proc = subprocess.Popen(datasette_command(db, Path(tmp) / METADATA_NAME, port))
        try:
            return proc.wait()
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
