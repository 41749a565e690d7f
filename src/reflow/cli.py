"""The `reflow` command."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from reflow.batch.sinks import write_atomic
from reflow.errors import ReflowError
from reflow.render import FORMATS, output_chunks, render  # noqa: F401 - render: public here too
from reflow.safety import LIMITS


def _add_convert(sub) -> None:
    p = sub.add_parser("convert", help="convert PDFs or extracted text to Markdown / JSON / text")
    p.add_argument("inputs", nargs="+", help="file, directory or glob; '-' reads stdin")
    p.add_argument("-o", "--output", help="output file (one input) or directory (batch)")
    p.add_argument("--to", choices=(*FORMATS, "both"), default=None, help="output format (md)")
    p.add_argument("--front-matter", action="store_true", help="YAML front matter in Markdown")
    g = p.add_mutually_exclusive_group()
    g.add_argument(
        "--article",
        dest="article",
        action="store_const",
        const=True,
        help="force main-content detection (drop site chrome)",
    )
    g.add_argument(
        "--all",
        dest="article",
        action="store_const",
        const=False,
        help="keep everything (no main-content detection)",
    )
    p.add_argument("--password", help="password for encrypted PDFs")
    p.add_argument("-j", "--jobs", type=int, default=None, help="batch: parallel workers")
    p.add_argument("--jsonl", help="batch: write one JSON record per document to this file")
    p.add_argument("--parquet", help="batch: write one row per document to this Parquet file")
    p.add_argument("--report", help="batch: failures report (JSONL)")
    p.add_argument("--timeout", type=float, default=LIMITS.timeout, help="seconds per document")
    p.add_argument("--max-memory", type=int, default=2048, help="MiB per worker (batch)")
    p.add_argument(
        "--recycle",
        type=int,
        default=100,
        help="batch: restart each worker after this many documents",
    )
    p.add_argument("--engine", choices=("local", "ray"), default="local")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--force", action="store_true", help="batch: redo documents already converted")


def _is_batch(args) -> bool:
    if len(args.inputs) > 1 or args.jsonl or args.parquet or args.engine == "ray":
        return True
    src = args.inputs[0]
    return src != "-" and (Path(src).is_dir() or any(c in src for c in "*?["))


def cmd_convert(args) -> int:
    if args.engine == "ray":
        from reflow.distributed import run_ray_cli

        return run_ray_cli(args)
    if _is_batch(args):
        from reflow.batch import run_batch_cli

        return run_batch_cli(args)
    import reflow

    src = args.inputs[0]
    fmt = args.to or (Path(args.output).suffix.lstrip(".") if args.output else "md")
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        fmt = "md"
    from reflow.safety import time_limit

    try:
        with time_limit(args.timeout, src, hard_exit=True):  # never hang (safety.py)
            doc = reflow.convert(
                src, password=args.password, article=args.article, front_matter=args.front_matter
            )
    except ReflowError as e:
        print(f"reflow: error: {e}", file=sys.stderr)
        return e.exit_code
    except MemoryError:
        print(f"reflow: error: {src}: out of memory", file=sys.stderr)
        return 8
    except Exception as e:  # noqa: BLE001 - a hostile file must never show a traceback
        print(f"reflow: error: {src}: internal error ({type(e).__name__}: {e})", file=sys.stderr)
        return 2
    for warning in doc.warnings:
        print(f"reflow: warning: {src}: {warning}", file=sys.stderr)
    out = output_chunks(doc, fmt)
    del doc
    try:
        if args.output:
            write_atomic(Path(args.output), out)
        else:
            for piece in out:
                sys.stdout.write(piece)
    except OSError as e:  # an unwritable -o is one error line too, not a traceback
        print(
            f"reflow: error: {args.output or 'stdout'}: cannot write ({e.strerror or e})",
            file=sys.stderr,
        )
        return 1
    except Exception as e:  # noqa: BLE001 - never a traceback
        print(f"reflow: error: {src}: internal error ({type(e).__name__}: {e})", file=sys.stderr)
        return 2
    return 0


def harness_dirs() -> list[Path]:
    """Where ``reflow eval`` / ``reflow bench`` look for the evaluation harness (the
    ``reflow_eval`` package, which is not part of the installed product): ``$REFLOW_BENCHMARKS``,
    then ``benchmarks/`` of the source checkout this package is installed from."""
    import reflow

    dirs = []
    env = os.environ.get("REFLOW_BENCHMARKS")
    if env:
        dirs.append(Path(env))
    dirs.append(Path(reflow.__file__).resolve().parents[2] / "benchmarks")
    return dirs


def load_harness(command: str):
    """The ``main`` of ``reflow_eval.cli`` (eval) or ``reflow_eval.bench`` (bench), or None
    after one error line naming where it looked."""
    import importlib
    import importlib.util

    module = "reflow_eval.cli" if command == "eval" else "reflow_eval.bench"
    for d in harness_dirs():
        if (d / "reflow_eval" / "__init__.py").is_file():
            if str(d) not in sys.path:
                sys.path.insert(0, str(d))
            break
    else:
        if importlib.util.find_spec("reflow_eval") is None:
            looked = ", ".join(str(d) for d in harness_dirs())
            print(
                f"reflow: error: `reflow {command}` needs the evaluation harness (reflow_eval) "
                f"from the source repository; looked in {looked} (set REFLOW_BENCHMARKS to its "
                "benchmarks/ folder)",
                file=sys.stderr,
            )
            return None
    return importlib.import_module(module).main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="reflow", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    _add_convert(sub)
    e = sub.add_parser("eval", help="score reflow against reference corpora")
    e.add_argument("rest", nargs=argparse.REMAINDER)
    b = sub.add_parser("bench", help="side-by-side speed and quality benchmark")
    b.add_argument("rest", nargs=argparse.REMAINDER)
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in ("eval", "bench"):
        # argparse.REMAINDER drops options that come first ("eval --corpus seed"): pass the
        # rest verbatim to the subcommand's own parser.
        args = argparse.Namespace(command=argv[0], rest=argv[1:])
    else:
        args = parser.parse_args(argv)
    try:
        if args.command == "convert":
            return cmd_convert(args)
        if args.command in ("eval", "bench"):
            harness = load_harness(args.command)
            if harness is None:
                return 2
            return harness(args.rest)
    except KeyboardInterrupt:
        print("reflow: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
