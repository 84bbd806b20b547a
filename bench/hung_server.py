"""A server on 127.0.0.1 that accepts connections and never answers: a frozen database, a hung
API or HTTPS proxy, as the callers of the line meet them (the tests and ``fault_suite.py``)."""

from __future__ import annotations

import socket
import threading


class HungServer:
    """Accepts TCP connections on 127.0.0.1 (on ``port``, or a free one); ``trickle`` sends an
    endless HTTP status line header by header (a read timeout never fires), else nothing."""

    def __init__(self, trickle: bool = False, port: int = 0) -> None:
        self.trickle = trickle
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        held = []
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            held.append(conn)
            if self.trickle:
                threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()
        for conn in held:
            conn.close()
        self.sock.close()

    def _trickle(self, conn: socket.socket) -> None:
        try:
            conn.sendall(b"HTTP/1.1 201 Created\r\n")
            while not self.stop.wait(0.3):
                conn.sendall(b"X-Wait: 1\r\n")
        except OSError:
            pass

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
