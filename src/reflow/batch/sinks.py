"""Where batch results go: output files (written atomically), the JSONL sink and the Parquet
sink (both resumable)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from reflow.batch.plan import Task, UsageError

PARQUET_CHUNK = 256  # records per Parquet row group written from the staging file


def write_atomic(path: Path, data) -> None:
    """Write to a temporary file beside the target, fsync, then rename: a reader sees the whole
    file or none, never a partial output. ``data``: a string or an iterator of strings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            for piece in [data] if isinstance(data, str) else data:
                f.write(piece)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def record_line(
    key: str,
    mtime_ns: int,
    *,
    metadata: dict | None = None,
    markdown: str | None = None,
    json_text: str | None = None,
    kind: str | None = None,
    error: str | None = None,
    pages: int = 0,
    seconds: float = 0.0,
    options: str | None = None,
    empty: bool = False,
    lean: bool = False,
) -> str:
    """One JSONL record: path, error (kind + message), metadata, markdown and the document JSON.

    ``json_text`` is the document's compact JSON, spliced in as it is (no re-parse).
    ``options``: the key of the options it was converted with (``plan.options_key``), so a
    re-run with other options redoes it. ``lean``: only what resuming needs (the state log).
    """
    head = {
        "path": key,
        "source_mtime_ns": mtime_ns,
        "options": options,
        "error_kind": kind,
        "error": error,
        "empty": empty,
        "pages": pages,
        "seconds": round(seconds, 4),
    }
    if lean:
        return json.dumps(head, ensure_ascii=False) + "\n"
    head["metadata"] = metadata
    head["markdown"] = markdown
    s = json.dumps(head, ensure_ascii=False)
    return s[:-1] + ', "json": ' + (json_text or "null") + "}\n"


# The Parquet columns: the document's facts as typed columns, beside its Markdown and JSON.
PARQUET_FIELDS = (
    ("path", "string"),
    ("error_kind", "string"),
    ("error", "string"),
    ("empty", "bool_"),  # converted, but nothing was left (reported too)
    ("pages", "int64"),
    ("seconds", "float64"),
    ("title", "string"),
    ("authors", "list<string>"),
    ("date", "string"),  # ISO 8601 as the document gives it (a day, a month or a year)
    ("url", "string"),
    ("language", "string"),
    ("producer", "string"),
    ("web_print", "bool_"),
    ("metadata", "string"),  # JSON text, every metadata field
    ("markdown", "string"),
    ("json", "string"),  # the document's JSON text
    ("source_mtime_ns", "int64"),
    ("options", "string"),
)


def parquet_schema():
    import pyarrow as pa

    def typ(t: str):
        if t == "list<string>":
            return pa.list_(pa.string())
        return getattr(pa, t)()

    return pa.schema([(n, typ(t)) for n, t in PARQUET_FIELDS])


def typed_columns(meta: dict | None) -> dict:
    """The metadata fields that are Parquet columns of their own."""
    meta = meta or {}
    return {
        "title": meta.get("title"),
        "authors": list(meta.get("authors") or []),
        "date": meta.get("date"),
        "url": meta.get("url"),
        "language": meta.get("language"),
        "producer": meta.get("producer"),
        "web_print": bool(meta.get("web_print")),
    }


def parquet_row(rec: dict) -> dict:
    """A JSONL record as a Parquet row: typed metadata columns, and the metadata and document
    JSON as JSON text."""
    meta = rec.get("metadata")
    doc = rec.get("json")
    return {
        "path": rec.get("path"),
        "error_kind": rec.get("error_kind"),
        "error": rec.get("error"),
        "empty": bool(rec.get("empty")),
        "pages": int(rec.get("pages") or 0),
        "seconds": float(rec.get("seconds") or 0.0),
        **typed_columns(meta),
        "metadata": json.dumps(meta, ensure_ascii=False) if meta is not None else None,
        "markdown": rec.get("markdown"),
        "json": json.dumps(doc, ensure_ascii=False) if doc is not None else None,
        "source_mtime_ns": int(rec.get("source_mtime_ns") or 0),
        "options": rec.get("options"),
    }


def _require_pyarrow(what: str):
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise UsageError(
            f"{what} needs pyarrow, which is not installed: pip install pyarrow (reflow's [parquet] extra)"
        ) from None
    return pyarrow


class JsonlSink:
    """Append-only JSONL of one record per document, resumable.

    On open (unless ``force``) the file is read back: records of successful conversions whose
    input is unchanged and that were made with the same options (``options``, a key of
    ``plan.options_key``) are kept and their paths reported as done; failed, stale, other-option,
    duplicate and torn records are dropped (the file is rewritten atomically only if something
    was dropped). Records are appended with one ``write`` each on an O_APPEND descriptor.
    """

    def __init__(self, path: Path, force: bool = False, options: str | None = None):
        self.path = path
        self.force = force
        self.options = options
        self.fd: int | None = None
        self.written = 0
        self.kept = 0

    def open(self, tasks: list[Task]) -> set[str]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        done: set[str] = set()
        if self.force or not self.path.exists():
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        else:
            done = self._compact({t.key: t.mtime_ns for t in tasks})
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        self.fd = os.open(self.path, flags | os.O_APPEND, 0o644)
        return done

    def _compact(self, mtimes: dict[str, int]) -> set[str]:
        done: set[str] = set()
        dropped = 0
        keep_offsets: list[tuple[int, int]] = []
        with open(self.path, "rb") as f:
            pos = 0
            for raw in f:
                start, pos = pos, pos + len(raw)
                try:
                    if not raw.endswith(b"\n"):
                        raise ValueError("torn record")
                    rec = json.loads(raw)
                    key = rec["path"]
                except (ValueError, KeyError, TypeError):
                    dropped += 1
                    continue
                ok = rec.get("error") is None and rec.get("error_kind") is None
                fresh = key not in mtimes or rec.get("source_mtime_ns") == mtimes[key]
                fresh = fresh and rec.get("options") == self.options
                if not ok or not fresh or key in done:
                    dropped += 1
                    continue
                done.add(key)
                keep_offsets.append((start, pos))
        self.kept = len(done)
        if dropped:
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            try:
                with open(self.path, "rb") as src, open(tmp, "wb") as dst:
                    for start, end in keep_offsets:
                        src.seek(start)
                        dst.write(src.read(end - start))
                    dst.flush()
                    os.fsync(dst.fileno())
                os.replace(tmp, self.path)
            finally:
                if tmp.exists():
                    tmp.unlink()
        return done

    def append(self, line: str) -> None:
        assert self.fd is not None
        data = line.encode("utf-8")
        view = memoryview(data)
        while view:
            n = os.write(self.fd, view)
            view = view[n:]
        self.written += 1

    def close(self) -> None:
        if self.fd is not None:
            try:
                os.fsync(self.fd)
            finally:
                os.close(self.fd)
                self.fd = None


class ParquetSink(JsonlSink):
    """Parquet file written at the end from a staging JSONL beside it (resumable the same way)."""

    def __init__(self, path: Path, force: bool = False, options: str | None = None):
        _require_pyarrow("--parquet")
        self.target = path
        super().__init__(path.with_name(f".{path.name}.parts.jsonl"), force, options)

    def open(self, tasks: list[Task]) -> set[str]:
        if not self.force and not self.path.exists() and self.target.exists():
            self._seed_from_parquet()
        return super().open(tasks)

    def _seed_from_parquet(self) -> None:
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(self.target)
        except Exception:  # noqa: BLE001 - an unreadable old file is simply redone
            return
        tmp = self.path.with_name(self.path.name + ".seed.tmp")
        with open(tmp, "w", encoding="utf-8") as out:
            for batch in pf.iter_batches(batch_size=PARQUET_CHUNK):
                for row in batch.to_pylist():
                    meta = json.loads(row["metadata"]) if row.get("metadata") else None
                    out.write(
                        record_line(
                            row["path"],
                            row.get("source_mtime_ns") or 0,
                            metadata=meta,
                            markdown=row.get("markdown"),
                            json_text=row.get("json"),
                            kind=row.get("error_kind"),
                            error=row.get("error"),
                            pages=row.get("pages") or 0,
                            seconds=row.get("seconds") or 0.0,
                            options=row.get("options"),
                            empty=bool(row.get("empty")),
                        )
                    )
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.path)

    def finish(self) -> None:
        """Write the Parquet file from the staging records, atomically, then drop the staging."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.close()
        schema = parquet_schema()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.target.with_name(f".{self.target.name}.{os.getpid()}.tmp")
        try:
            with pq.ParquetWriter(tmp, schema) as writer, open(self.path, "rb") as f:
                rows: list[dict] = []
                for raw in f:
                    if not raw.endswith(b"\n"):
                        continue
                    rows.append(parquet_row(json.loads(raw)))
                    if len(rows) >= PARQUET_CHUNK:
                        writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                        rows = []
                if rows:
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            os.replace(tmp, self.target)
        finally:
            if tmp.exists():
                tmp.unlink()
        self.path.unlink()


class Report:
    """The batch report (JSONL, one line per document that failed or came out empty:
    ``path, kind, message``), kept across resumed runs.

    On open, the lines of an earlier run are kept except those of documents this run skips as
    done (they converted since) and of inputs that no longer exist; lines are appended as this run's documents finish, and on close
    the file is rewritten with the earlier lines of documents this run did not redo followed by
    this run's lines. A run killed halfway leaves every earlier line of a document it had not
    reached (and possibly an older line beside a newer one for the same path: the last counts).
    """

    def __init__(self, path: Path):
        self.path = path
        self.old: list[dict] = []
        self.new: list[dict] = []
        self.redone: set[str] = set()
        self.fd: int | None = None

    def open(self, skipped: set[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(self.path, "rb") as f:
                for raw in f:
                    try:
                        rec = json.loads(raw)
                        if raw.endswith(b"\n") and isinstance(rec.get("path"), str):
                            self.old.append(rec)
                    except ValueError:
                        continue
        except OSError:
            pass
        # documents converted since, and inputs that are gone, leave the report
        self.old = [r for r in self.old if r["path"] not in skipped and os.path.exists(r["path"])]
        self._rewrite(self.old)
        self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def add(self, path: str, kind: str, message: str) -> None:
        rec = {"path": path, "kind": kind, "message": message}
        self.new.append(rec)
        if self.fd is not None:
            os.write(self.fd, (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))

    def done(self, path: str) -> None:
        """``path`` was converted in this run: its earlier lines go at close."""
        self.redone.add(path)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
            redone = self.redone | {r["path"] for r in self.new}
            self._rewrite([r for r in self.old if r["path"] not in redone] + self.new)

    def _rewrite(self, records: list[dict]) -> None:
        write_atomic(self.path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
