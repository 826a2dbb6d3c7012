"""A server of our own on loopback, for the scripts that start one (api_check, screenshots)."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, who: str, seconds: float = 60) -> None:
    """Return once `url` answers; exit naming `who` if the server stops or never answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"{who}: the server stopped (exit {server.returncode}) before answering")
        try:
            with urllib.request.urlopen(url, timeout=10):  # noqa: S310 (our own loopback URL)
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    sys.exit(f"{who}: nothing answered at {url} within {seconds} s")
