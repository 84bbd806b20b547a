"""One signed webhook POST over a fresh asyncio connection, closed after the answer (Twilio's
requests are independent anyway)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from load_generator import FORM, HOST
from signed_calls import SignedRequest


@dataclass(frozen=True)
class Answer:
    status: int  # 0 when the connection failed or timed out
    body: bytes
    seconds: float


def request_bytes(request: SignedRequest, port: int) -> bytes:
    body = request.body.encode()
    head = (
        f"POST {request.url} HTTP/1.1\r\n"
        f"Host: {HOST}:{port}\r\n"
        f"Content-Type: {FORM}\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"X-Twilio-Signature: {request.signature}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


def parse_response(raw: bytes) -> tuple[int, bytes]:
    """Status and body of a complete HTTP/1.1 response read until the server closed."""
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].split()
    return (int(status_line[1]) if len(status_line) > 1 else 0), body


async def post(port: int, request: SignedRequest, timeout: float = 10.0) -> Answer:
    started = time.perf_counter()

    async def exchange() -> bytes:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(request_bytes(request, port))
            await writer.drain()
            return await reader.read()
        finally:
            writer.close()

    try:
        raw = await asyncio.wait_for(exchange(), timeout)
    except (OSError, TimeoutError):
        return Answer(0, b"", time.perf_counter() - started)
    status, body = parse_response(raw)
    return Answer(status, body, time.perf_counter() - started)
