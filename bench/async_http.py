"""One request over a fresh asyncio connection, closed after the answer: a signed webhook POST
(Twilio's requests are independent anyway) or a GET."""

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


async def exchange(port: int, raw: bytes, timeout: float = 10.0) -> Answer:
    """Send ``raw`` (a whole request asking ``Connection: close``), read until the server closes;
    status 0 when the connection failed or ``timeout`` passed."""
    started = time.perf_counter()

    async def talk() -> bytes:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(raw)
            await writer.drain()
            return await reader.read()
        finally:
            writer.close()

    try:
        answer = await asyncio.wait_for(talk(), timeout)
    except (OSError, TimeoutError):
        return Answer(0, b"", time.perf_counter() - started)
    status, body = parse_response(answer)
    return Answer(status, body, time.perf_counter() - started)


async def post(port: int, request: SignedRequest, timeout: float = 10.0) -> Answer:
    return await exchange(port, request_bytes(request, port), timeout)


async def get(port: int, path: str, timeout: float = 10.0) -> Answer:
    head = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n"
    return await exchange(port, head.encode(), timeout)
