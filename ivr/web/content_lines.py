"""Which line answers a webhook: the one of the content version its call started with.

Every published version of the content (``ivr.storage.content_versions``) is a line of its own:
its tree, prompts and languages, and a writer whose webhook URLs carry the version (``v=<id>``,
as they carry the language with ``l=``). A new call (``POST /voice``) gets the newest
published version; every later webhook of that call names its version, so a call keeps the
version it started with while an editor publishes another, on whichever worker answers it.
Version 1 (the repository's content, published at the first start) carries no ``v``, as Dutch
carries no ``l``: its URLs are those the line made before it had versions. The web phone's line
(``drafts``) plays a draft the same way: its call starts at ``/voice?v=<draft id>``; the real
line never plays one, whatever URL names it (the newest published version answers).

Each process looks up the newest published version at most every ``CHECK_SECONDS`` (with a
deadline: a database that hangs or fails leaves the line it has), so every worker answers new
calls from a version published within ``CHECK_SECONDS`` plus the time to build its line, without
a restart. Lines are built when first asked for, and a few are kept (``KEPT``): the newest, and
those of the calls still going on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from ivr.core.content_files import version_number
from ivr.core.errors import IvrError, StorageError
from ivr.storage.content_lookup import ContentVersion
from ivr.storage.content_versions import ContentVersions
from ivr.web.deadlines import Deadline
from ivr.web.line import Line

log = logging.getLogger(__name__)
CHECK_SECONDS = 4.0  # new calls hear a new version within this (and the time to build it)
LOOKUP_SECONDS = 1.0  # a lookup's deadline: a new call never waits longer for the database
KEPT = 4  # lines kept per process: the newest and those of calls in progress
FIRST = 1  # the number of the version whose URLs carry no ``v``
LOOKED_AT = 10  # published versions tried, newest first, when the newest makes no line


def url_version(version: ContentVersion) -> int | None:
    """What a version's URLs carry as ``v``: its id; nothing for version 1."""
    return None if version.number == FIRST else version.id


class ContentLines:
    """The line of each content version, the newest published one for new calls."""

    def __init__(
        self,
        first: Line,
        first_version: int | None,
        build: Callable[[ContentVersion], Line],
        versions: ContentVersions | None,
        check_seconds: float = CHECK_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
        first_id: int | None = None,
        drafts: bool = False,
    ) -> None:
        """``first``: the line of version ``first_version`` (None: the repository's files, the
        database unavailable at start); ``build``: a version's line (raises when its files
        cannot make one); ``versions``: None for a line without stored versions;
        ``first_id``: version 1's id, when known (else looked up when a URL without ``v``
        needs it); ``drafts``: whether a draft plays (the web phone's line)."""
        self.build = build
        self.drafts = drafts
        self.versions = versions
        self.check_seconds = check_seconds
        self.monotonic = monotonic  # seconds, for the lookups' interval (tests move it)
        self._newest: tuple[int | None, Line] = (first_version, first)
        self._kept: OrderedDict[int, Line] = OrderedDict()
        if first_version is not None:
            self._kept[first_version] = first
        self._unusable: set[int] = set()
        self._lock = threading.Lock()  # the kept lines
        self._checking = threading.Lock()  # one lookup at a time; the others use the newest
        self._checked_at = monotonic()
        self._failing = False
        self._settled: int | None = None  # the newest id a lookup decided on
        self._first_id = first_id
        self._deadline = Deadline("content versions", LOOKUP_SECONDS, 2, StorageError)

    @property
    def newest_version(self) -> int | None:
        """The id of the version new calls hear (None: the repository's files)."""
        return self._newest[0]

    def newest_in_urls(self) -> int | None:
        """What the newest version's URLs carry as ``v`` (None: nothing, version 1's), for a
        call that starts past the welcome (the web phone's start at a node)."""
        self.newest()  # looked up as for a new call
        found = self._newest[0]
        return None if found is None or found == self._first_id else found

    def for_request(self, version: str | None, new_call: bool) -> Line:
        """The line for a webhook whose URL carries ``version`` (``v=``, None or ""; a
        ``new_call`` without it: the newest version; any other webhook without it: version 1).
        A version that cannot be had (gone, unusable, the database down) gets the newest line:
        the call goes on, in the newest version."""
        if not version:
            return self.newest() if new_call else self._of_first()
        found = version_number(version)
        if found is None:
            log.warning("webhook with a content version that is no id: the newest answers")
            return self.newest()
        return self.of_version(found)

    def newest(self) -> Line:
        """The newest published version's line; looked up at most every ``check_seconds``."""
        now = self.monotonic()
        if now - self._checked_at >= self.check_seconds and self._checking.acquire(False):
            try:
                self._checked_at = now
                self._look_up()
            finally:
                self._checking.release()
        return self._newest[1]

    def of_version(self, version_id: int) -> Line:
        """The line of a version (a draft too), built when first asked for."""
        with self._lock:
            found = self._kept.get(version_id)
            if found is not None:
                self._kept.move_to_end(version_id)
                return found
        made = self._made(version_id)
        return made if made is not None else self._newest[1]

    def _of_first(self) -> Line:
        """Version 1's line; the newest while its id is not known (the database was down at
        start: the lookups find it, and no webhook waits for it)."""
        if self._first_id is None:
            return self._newest[1]
        return self.of_version(self._first_id)

    def _look_up(self) -> None:
        if self.versions is None:
            return
        try:
            found = self._deadline.call(self.versions.latest_id)
            if self._first_id is None:
                self._first_id = self._deadline.call(self.versions.id_of, FIRST)
        except IvrError as exc:
            if not self._failing:  # once per spell: every new call would say it again
                log.warning("content versions: %s; new calls keep the version they had", exc)
            self._failing = True
            return
        self._failing = False
        if found is None or found in (self._newest[0], self._settled):
            return
        chosen, line = found, self._made(found)
        if line is None and found in self._unusable:  # refused by this code: the last good
            chosen, line = self._last_good()  # one, as a start chooses
            self._settled = found  # (not looked for again until another is published)
        if line is not None and chosen != self._newest[0]:
            self._newest = (chosen, line)
            log.info("content version %s answers new calls", chosen)

    def _last_good(self) -> tuple[int | None, Line | None]:
        """The newest of the last ``LOOKED_AT`` published versions that makes a line (the
        rule of ``ivr.web.content_start.usable``: every worker answers from the same)."""
        assert self.versions is not None
        try:
            ids = [v.id for v in self._deadline.call(self.versions.published, LOOKED_AT)]
        except IvrError as exc:
            log.warning("content versions not read (%s): new calls keep their version", exc)
            return None, None
        for version_id in ids:
            line = self._made(version_id)
            if line is not None:
                return version_id, line
        return None, None

    def _made(self, version_id: int) -> Line | None:
        if self.versions is None or version_id in self._unusable:
            return None
        try:
            version = self._deadline.call(self.versions.get, version_id)
        except IvrError as exc:
            log.warning("content version %s not read: %s", version_id, exc)
            return None
        if version is None:
            self._unusable.add(version_id)
            log.warning("content version %s does not exist: the newest answers", version_id)
            return None
        if version.draft and not self.drafts:
            self._unusable.add(version_id)
            log.warning("content version %s is a draft: the newest answers", version_id)
            return None
        try:
            line = self.build(version)
        except Exception:
            self._unusable.add(version_id)
            log.exception("content version %s makes no line: the newest answers", version_id)
            return None
        with self._lock:
            self._kept[version_id] = line
            while len(self._kept) > KEPT:
                oldest = next(iter(self._kept))
                if oldest == self._newest[0]:
                    self._kept.move_to_end(oldest)
                    oldest = next(iter(self._kept))
                del self._kept[oldest]
        return line
