"""Batch throughput with 1 and N workers (and Ray) on a folder of PDFs.

    .venv/bin/python benchmarks/batch_scaling.py [../shared/corpora/aeb-dev/pdf] [--jobs 1 2] [--ray]

Prints wall time, documents/s, pages/s, the workers' peak RSS, the CPU seconds the workers spent
converting and the parallel efficiency (worker CPU / (wall x jobs)). On a machine shared with other
work the wall-clock speed-up is noisy: the load average is printed beside each run, and
"pages per worker CPU-second" is the figure that does not depend on the neighbours.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", nargs="?", default="../shared/corpora/aeb-dev/pdf")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--ray", action="store_true", help="also run the Ray engine (local Ray)")
    args = ap.parse_args(argv)

    from reflow.batch import run_batch

    rows = []
    for jobs in args.jobs:
        with tempfile.TemporaryDirectory() as out:
            load = os.getloadavg()[0]
            st = run_batch([args.corpus], outdir=out, jobs=jobs, progress=False, force=True)
            eff = st.cpu_seconds / (st.seconds * jobs) if st.seconds else 0.0
            rows.append(
                (
                    f"local -j{jobs}",
                    st.converted,
                    st.failed,
                    st.seconds,
                    st.docs_per_s,
                    st.pages_per_s,
                    st.pages / st.cpu_seconds if st.cpu_seconds else 0.0,
                    st.peak_rss_kb / 1024,
                    eff,
                    load,
                )
            )
    if args.ray:
        import ray

        from reflow.distributed import run_ray

        jobs = max(args.jobs)
        t0 = time.monotonic()
        ray.init(num_cpus=jobs, include_dashboard=False, log_to_driver=False)
        init_s = time.monotonic() - t0
        with tempfile.TemporaryDirectory() as out:
            load = os.getloadavg()[0]
            r = run_ray([args.corpus], os.path.join(out, "ds"), jobs=jobs, progress=False)
            rows.append(
                (
                    f"ray -j{jobs} (+{init_s:.0f}s init)",
                    r["documents"] - r["failed"],
                    r["failed"],
                    r["seconds"],
                    r["documents"] / r["seconds"],
                    r["pages"] / r["seconds"],
                    0.0,
                    0.0,
                    0.0,
                    load,
                )
            )
        ray.shutdown()

    head = (
        "engine",
        "docs",
        "failed",
        "wall s",
        "docs/s",
        "pages/s",
        "pages/cpu-s",
        "peak RSS MiB",
    )
    head += ("efficiency", "load avg")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        cells = [r[0], str(r[1]), str(r[2])] + [f"{v:.2f}" for v in r[3:]]
        print("| " + " | ".join(cells) + " |")
    base = rows[0][5] if rows else 0
    for r in rows[1:]:
        if base:
            print(f"{r[0]}: {r[5] / base:.2f}x the pages/s of {rows[0][0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
