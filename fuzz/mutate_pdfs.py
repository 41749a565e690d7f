"""Mutation fuzzing without atheris: N random mutations of good PDFs through ``reflow.convert``
in a worker process (tests/hostile/fuzz_worker.py), with a tally of outcomes. Crashes, hangs and
exceptions other than ReflowError are saved for reproduction and make the exit status 1.

    python fuzz/mutate_pdfs.py -n 5000 [--seed 1] [--save fuzz/findings]
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "hostile" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--save", default="fuzz/findings")
    ap.add_argument("--slow", type=float, default=10.0, help="also save inputs slower than this")
    args = ap.parse_args(argv)
    mc, fw = _load("make_corpus"), _load("fuzz_worker")
    seeds = [("gen2", mc.good_pdf(2)), ("mixed", mc.mixed_image_pdf())]
    seeds += [("extreme", mc.extreme_numbers_pdf()), ("type3", mc.type3_garbage_pdf())]
    seeds += [(p.stem, p.read_bytes()) for p in sorted((ROOT / "tests/fixtures").glob("*/*.pdf"))]
    seeds += [(p.stem[:8], p.read_bytes()) for p in mc.real_fixtures(4)]
    rnd = random.Random(args.seed)
    tally: collections.Counter[str] = collections.Counter()
    bad = 0
    slowest = (0.0, "")
    t0 = time.monotonic()
    with fw.Worker() as w:
        for i in range(args.n):
            tag, base = seeds[i % len(seeds)]
            data = mc.mutate(base, rnd)
            res = w.convert(data)
            status = res["status"]
            tally[status if status != "error" else f"error:{res['kind']}"] += 1
            if res.get("seconds", 0) > slowest[0]:
                slowest = (res["seconds"], f"{tag} #{i}")
            if status not in ("ok", "error") or res.get("seconds", 0) > args.slow:
                bad += status not in ("ok", "error")
                out = Path(args.save)
                out.mkdir(parents=True, exist_ok=True)
                (out / f"{status}-{tag}-{i}.pdf").write_bytes(data)
                print(f"{status}: {tag} #{i}: {res}", file=sys.stderr)
    secs = time.monotonic() - t0
    print(f"{args.n} mutated PDFs from {len(seeds)} seeds in {secs:.0f} s; restarts {w.restarts}")
    for k, v in tally.most_common():
        print(f"  {k:20s} {v}")
    print(f"  slowest: {slowest[1]} {slowest[0]:.2f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
