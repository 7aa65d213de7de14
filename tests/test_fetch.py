"""Fetching a background image: public https only by default, sizes capped, redirects checked."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from avatarsynth.errors import FetchError, InvalidRequest
from avatarsynth.fetch import FetchPolicy, check_source, fetch

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
TRUSTED = FetchPolicy(allow_http=True, allow_private=True, max_bytes=10_000)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/big.png":
            self._send(200, b"\x00" * 20_000)
        elif self.path == "/lying.png":  # no Content-Length, more bytes than allowed
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"\x00" * 20_000)
        elif self.path == "/hop":
            self.send_response(302)
            self.send_header("Location", "/a.png")
            self.end_headers()
        elif self.path == "/away":
            self.send_response(302)
            self.send_header("Location", "ftp://example.com/a.png")
            self.end_headers()
        elif self.path == "/a.png":
            self._send(200, PNG)
        else:
            self._send(404, b"")

    def _send(self, status: int, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_trusted_policy_fetches_and_follows_a_redirect(server: str) -> None:
    assert fetch(f"{server}/a.png", TRUSTED) == PNG
    assert fetch(f"{server}/hop", TRUSTED) == PNG


def test_the_default_policy_never_reaches_loopback_or_plain_http(server: str) -> None:
    with pytest.raises(InvalidRequest, match="https"):
        check_source(f"{server}/a.png", FetchPolicy())
    with pytest.raises(FetchError, match="private or local"):
        fetch(f"{server}/a.png", FetchPolicy(allow_http=True))
    with pytest.raises(FetchError, match="private or local"):
        fetch("https://localhost/a.png", FetchPolicy())


def test_sizes_are_capped_whatever_the_server_says(server: str) -> None:
    with pytest.raises(FetchError, match="limit"):
        fetch(f"{server}/big.png", TRUSTED)
    with pytest.raises(FetchError, match="limit"):
        fetch(f"{server}/lying.png", TRUSTED)


def test_errors_and_redirects_elsewhere_are_fetch_errors(server: str) -> None:
    with pytest.raises(FetchError, match="404"):
        fetch(f"{server}/missing.png", TRUSTED)
    with pytest.raises(FetchError, match="Redirected"):
        fetch(f"{server}/away", TRUSTED)


def test_credentials_in_urls_are_refused() -> None:
    with pytest.raises(InvalidRequest, match="credentials"):
        check_source("https://user:secret@example.com/a.png", FetchPolicy())


def test_a_local_name_is_read_from_the_folder_only(tmp_path: Path) -> None:
    (tmp_path / "office.png").write_bytes(PNG)
    (tmp_path / "inner").mkdir()
    policy = FetchPolicy(local_dir=tmp_path / "inner")
    (tmp_path / "inner" / "ok.png").write_bytes(PNG)
    assert fetch("ok.png", policy) == PNG
    for trick in ("../office.png", "/etc/passwd", "a/../../office.png"):
        with pytest.raises(FetchError):
            fetch(trick, policy)
    with pytest.raises(FetchError, match="not in the background folder"):
        fetch("missing.png", policy)
