"""How the web server (``ivr.web.server``) treats connections: waitress's own, with a deadline
for a whole request, room made when every connection is taken, and a stop that sends every
answer in progress.

**A request must be whole within ``REQUEST_SECONDS`` of its first byte.** waitress's idle
timeout (``channel_timeout``) starts again with every byte, so clients sending a byte every few
seconds would hold their connections forever. ``LineServer.maintenance`` (every second) closes
each connection whose request line, headers and body are not all in ``REQUEST_SECONDS`` after
the first byte. Twilio and browsers send a whole request in milliseconds.

**Room when every connection is taken.** Beyond the connection limit further clients wait in
the kernel's listen queue, in order: behind hundreds of trickling clients a call would wait for
the deadline to close the ones ahead of it (calls answered after 6 s at the median, 10 s at
worst, with 2,000 of them). So when every connection is taken, ``make_room`` closes the tenth
that have held theirs longest (at least ``ROOM_AGE``) without a whole request, and
``handle_accept`` takes every waiting client at once (waitress took one per pass of its loop):
a call gets in within about a second (bench/README.md).

**SIGTERM lets the answers in progress finish** (the platform sends it at every deploy and
restart, and SIGKILL 30 s later). The signal only sets a flag; the event loop then closes the
listening socket (new clients are refused, so the router sends them elsewhere) and the idle
connections, and keeps running until every request already read is answered and its answer
sent, for at most ``STOP_SECONDS`` (the count left unanswered is logged). Then ``run`` returns
and the process exits normally, so exit handlers run (``ivr.web.event_queue`` writes the call
events' last batch). waitress's own stop (``SystemExit`` out of its loop) waited 5 s for the
threads' current answers but cancelled the requests queued behind them, and its listening
socket kept taking connections that nobody answered.
"""

from __future__ import annotations

import heapq
import logging
import time

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

log = logging.getLogger(__name__)

REQUEST_SECONDS = 10  # a request's line, headers and body all in within this of its first byte
ROOM_SHARE = 10  # when every connection is taken, one in this many is closed for room
ROOM_AGE = 1.0  # seconds a connection must have held its place to be closed for room
STOP_SECONDS = 10  # after SIGTERM, for the answers in progress (the platform's SIGKILL: 30 s)


class LineChannel(HTTPChannel):
    """waitress's connection, noting when the request it is reading began."""

    # time.time() of that request's first byte (waitress's clock for ``last_activity``)
    reading_since: float | None = None

    def received(self, data: bytes) -> bool:
        # waitress keeps the request being read in ``self.request`` (None between requests)
        before = self.request
        kept = bool(super().received(data))
        if self.request is None:
            self.reading_since = None
        elif self.request is not before:  # a new request began in these bytes
            self.reading_since = time.time()
        return kept

    @property
    def busy(self) -> bool:
        """A request read whole is waiting or being answered, or its answer is not all sent."""
        return bool(self.requests) or self.total_outbufs_len > 0

    def held_since(self) -> float | None:
        """Since when this connection has held its place without a whole request: its request's
        first byte, else its last activity (new, or idle after an answer); None while a request
        is answered or the connection is closing."""
        if self.busy or self.will_close or self.close_when_flushed:
            return None
        return self.reading_since if self.reading_since is not None else self.last_activity


class LineServer(TcpWSGIServer):
    """waitress's TCP server with the request deadline, room when full and the stop on SIGTERM
    (the module's docstring). Built directly, as ``waitress.create_server`` builds it for one
    address (``LineServer(app, **options)``)."""

    channel_class = LineChannel
    stopping = False
    # since the last maintenance: every connection was taken, connections closed for room
    full = False
    made_room = 0

    def readable(self) -> bool:
        """Called by the loop on every pass, first of all: waitress's own, with room made when
        full, and without its log line at every change between full and not."""
        now = time.time()
        if now >= self.next_channel_cleanup:
            self.next_channel_cleanup = now + self.adj.cleanup_interval
            self.maintenance(now)
        if not self.accepting:
            return False
        if len(self._map) < self.adj.connection_limit:
            return True
        self.full = True
        self.make_room(now)  # closed in this pass, accepted from in the next
        return False

    def make_room(self, now: float) -> None:
        """Every connection taken: close the tenth that have held theirs longest (``ROOM_AGE``
        at least) without a whole request, so that new clients (a call among them) get in now,
        not after the clients that trickle ahead of them in the kernel's queue."""
        held = [
            (since, channel)
            for channel in self.active_channels.values()
            if (since := channel.held_since()) is not None and since < now - ROOM_AGE
        ]
        room = max(1, self.adj.connection_limit // ROOM_SHARE)
        for _, channel in heapq.nsmallest(room, held, key=lambda pair: pair[0]):
            channel.will_close = True  # closed in this same pass of the loop
            self.made_room += 1

    def handle_accept(self) -> None:
        # waitress accepts one connection per pass of its loop, and a pass visits every open
        # one: take all that wait, up to the limit, so a call is not left in the kernel's queue
        while len(self._map) < self.adj.connection_limit:
            before = len(self._map)
            super().handle_accept()
            if len(self._map) == before:  # none waiting (or a failed accept, logged)
                break

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # idle connections (IDLE_SECONDS)
        late = [
            channel
            for channel in self.active_channels.values()
            if (since := channel.held_since()) is not None
            and channel.reading_since is not None
            and since < now - REQUEST_SECONDS
        ]
        for channel in late:
            channel.will_close = True  # closed by the loop's next pass
        if late:
            log.warning(
                "closed %d connections whose request was not whole within %d s",
                len(late),
                REQUEST_SECONDS,
            )
        if self.full:
            log.warning(
                "all %d connections taken: closed %d held longest without a whole request",
                self.adj.connection_limit,
                self.made_room,
            )
        self.full, self.made_room = False, 0

    def stop(self, signum: int, frame: object) -> None:
        """SIGTERM or SIGINT: runs in the loop's thread between two statements, so it only sets
        a flag and wakes the loop (a write to waitress's pipe, no lock taken)."""
        self.stopping = True
        self.pull_trigger()

    def run(self) -> None:
        """Serve until ``stop``, then let the answers in progress finish."""
        while not self.stopping:
            wasyncore.poll2(self.adj.asyncore_loop_timeout, self._map)
        self.finish_answers()

    def finish_answers(self) -> None:
        wasyncore.dispatcher.close(self)  # the listening socket: new clients are refused
        channels = self.active_channels  # the open connections, closed ones leave it
        for channel in list(channels.values()):
            if not channel.busy and channel.request is None:
                channel.will_close = True  # idle between requests
        until = time.monotonic() + STOP_SECONDS
        # A thread that finishes an answer wakes the loop (waitress's trigger) to send it.
        while (busy := sum(c.busy for c in channels.values())) and time.monotonic() < until:
            wasyncore.poll2(0.1, self._map)
        if busy:
            log.warning("stopped with %d requests unanswered after %d s", busy, STOP_SECONDS)
        self.task_dispatcher.shutdown(timeout=1)  # its threads are idle now, or given up on
        wasyncore.close_all(self._map)  # the connections left and the trigger
