"""Batch conversion: many documents in parallel, with progress, resume and a failure report.

    reflow convert DIR|GLOB|FILE... -o OUTDIR [--to md|json|txt|both] [--jsonl F] [--parquet F]

The parent process finds the inputs, decides what is already done (``plan``), hands documents to
a pool of worker processes (``pool``) and writes what comes back (``sinks``), showing progress
(``progress``); ``run`` ties them together. Each worker converts one document at a time under a
memory limit (``RLIMIT_AS``) and returns only the rendered strings; the parent writes them
atomically and forgets them, so memory stays flat however many documents there are.

Isolation: a worker that hangs is killed at ``--timeout``; a worker that dies (a crash in PDFium,
an out-of-memory kill, a signal) costs only its document, recorded with kind ``timeout`` /
``crash`` / ``memory``; a fresh worker takes its place. Workers are recycled after ``--recycle``
documents.

Resume: outputs are written to a temporary file beside the target, fsynced and renamed, so a
killed batch leaves whole files or none. A re-run skips documents whose outputs all exist and are
not older than the input (``--force`` redoes them). The JSONL sink is read back on a re-run: the
records of documents converted from an unchanged input are kept, failed, stale, duplicate and
torn (half-written) records are dropped, and new records are appended. The Parquet sink collects
records in a hidden staging JSONL beside it (``.NAME.parts.jsonl``, resumed the same way) and
writes the Parquet file from it at the end, atomically; a re-run over a complete Parquet file
reads its rows back first.
"""

from reflow.batch.plan import UsageError, collect_inputs, convert_options
from reflow.batch.pool import Pool, convert_task
from reflow.batch.run import BatchStats, run_batch, run_batch_cli, summary
from reflow.batch.sinks import PARQUET_FIELDS, write_atomic

__all__ = [
    "PARQUET_FIELDS",
    "BatchStats",
    "Pool",
    "UsageError",
    "collect_inputs",
    "convert_options",
    "convert_task",
    "run_batch",
    "run_batch_cli",
    "summary",
    "write_atomic",
]
