"""The background worker: runs added batches and fuses stories whose articles changed, never inside a request."""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsfuse import api
from newsfuse.ingest import ReadOptions

# Seconds between looks at the database for stories to fuse (a job or a poke wakes the worker sooner).
POLL_SECONDS = 2.0
# Finished jobs kept for their progress pages; older ones are forgotten.
KEEP_JOBS = 200
# The worker runs at this niceness (Linux: per thread) so page requests come first on a busy machine.
WORKER_NICENESS = 10


class Worker:
    """One thread with its own database connection: queued add-page jobs first, then fusion of changed stories."""

    def __init__(self, db: str | Path, poll_seconds: float = POLL_SECONDS) -> None:
        self.db = str(db)
        self.poll_seconds = poll_seconds
        self.jobs: dict[str, dict[str, Any]] = {}
        self._queue: list[tuple[str, list[str], ReadOptions, Path | None]] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._seen_version: str | None = None
        self.last_error: str | None = None
        self.failed: dict[str, str] = {}  # story id -> why its fusion failed (until it is fused again)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="newsfuse-worker", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def poke(self) -> None:
        """Look for work now (a page found a story not fused yet)."""
        self._wake.set()

    def submit(self, inputs: list[str], options: ReadOptions, cleanup: Path | None = None) -> str:
        """Queue a batch of inputs (paths, URLs, feeds); its id names its progress page."""
        job_id = uuid.uuid4().hex[:12]
        with self._lock:
            self.jobs[job_id] = {"id": job_id, "inputs": inputs, "state": "queued", "read": 0, "ingested": 0,
                                 "duplicates": 0, "failures": [], "stories": [], "message": ""}
            self._queue.append((job_id, inputs, options, cleanup))
            for old in list(self.jobs)[:-KEEP_JOBS]:
                self.jobs.pop(old, None)
        self._wake.set()
        return job_id

    def submit_watch(self, feeds: list[str], allow_private: bool = False) -> None:
        """Queue one conditional poll of each watched feed (new entries are stored, grouped and fused)."""
        with self._lock:
            if not any(item[0] == "watch" for item in self._queue):  # one poll pending is enough
                self._queue.append(("watch", feeds, ReadOptions(allow_private=allow_private), None))
        self._wake.set()

    def job(self, job_id: str) -> dict[str, Any] | None:
        with self._lock:
            found = self.jobs.get(job_id)
            return {**found, "failures": list(found["failures"]), "stories": list(found["stories"])} if found else None

    def _set(self, job_id: str, **fields: Any) -> None:
        with self._lock:
            if job_id in self.jobs:
                self.jobs[job_id].update(fields)

    def _run(self) -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)
        except (AttributeError, OSError):  # not Linux, or not allowed: run at normal priority
            pass
        while not self._stop.is_set():
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
            try:
                self._drain_jobs()
                self._fuse_changed()
                self.last_error = None
            except Exception as exc:  # the worker must outlive one bad story or a locked database
                self.last_error = f"{type(exc).__name__}: {exc}"

    def _drain_jobs(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                if not self._queue:
                    return
                job_id, inputs, options, cleanup = self._queue.pop(0)
            try:
                if job_id == "watch":
                    with api.open_db(self.db) as store:
                        api.watch(store, inputs, options)
                    continue
                self._run_job(job_id, inputs, options)
            except Exception as exc:
                self._set(job_id, state="failed", message=f"{type(exc).__name__}: {exc}")
            finally:
                if cleanup is not None:
                    shutil.rmtree(cleanup, ignore_errors=True)

    def _run_job(self, job_id: str, inputs: list[str], options: ReadOptions) -> None:
        counter = {"read": 0}

        def tick(_location: str) -> None:
            counter["read"] += 1
            self._set(job_id, read=counter["read"])

        stage: Callable[[str], None] = lambda name: self._set(job_id, state=name)  # noqa: E731
        with api.open_db(self.db) as store:
            stage("reading")
            report = api.ingest(inputs, store, options, on_document=tick)
            self._set(job_id, ingested=len(report.ingested), duplicates=len(report.duplicates),
                      failures=[{"input": f.location, "reason": f.reason} for f in report.failed])
            stage("analysing")
            api.analyse(store)
            stage("grouping")
            changed = api.cluster(store)
            mine = set(report.ingested) | set(report.duplicates)
            stories = [s for s in changed if mine & set(api.get_story(store, s).article_ids)]
            self._set(job_id, stories=stories)
            stage("fusing")
            api.fuse(store, stories, on_error=self._fusion_failed)
            self._seen_version = None
        self._set(job_id, state="done", message=f"{len(report.ingested)} new articles in {len(stories)} stories")

    def _fuse_changed(self) -> None:
        """Group articles stored by others (a CLI ingest, `newsfuse watch`) and fuse every story that changed."""
        with api.open_db(self.db) as store:
            version = api.changes(store)["version"]
            if version == self._seen_version:
                return
            api.cluster(store)
            for story_id in api.fuse(store, on_error=self._fusion_failed):
                self.failed.pop(story_id, None)
            self._seen_version = api.changes(store)["version"]

    def _fusion_failed(self, story_id: str, exc: Exception) -> None:
        self.failed[story_id] = f"{type(exc).__name__}: {exc}"
