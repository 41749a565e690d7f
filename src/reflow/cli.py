"""The `reflow` command."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from reflow.errors import EXIT_INTERNAL, EXIT_USAGE, ReflowError
from reflow.render import EXT, FORMATS, output_chunks, render  # noqa: F401 - public here too
from reflow.safety import LIMITS

# -o NAME.<suffix> picks the format when --to is not given.
SUFFIX_FORMATS = {
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "chunks",
}
BOTH = ("md", "json")


class UsageError(Exception):
    """A command line that cannot be carried out (exit 2, one line)."""


def _pages(value: str) -> list[int]:
    from reflow.pagespec import parse_pages

    try:
        return parse_pages(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _chunk_size(value: str) -> str:
    from reflow.render.chunks import parse_size

    try:
        parse_size(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    return value


def _add_convert(sub) -> None:
    p = sub.add_parser("convert", help="convert PDFs or extracted text to Markdown / JSON / text")
    p.add_argument("inputs", nargs="+", help="file, directory or glob; '-' reads stdin")
    p.add_argument(
        "-o",
        "--output",
        help="output file, or directory (DIR/ or an existing one: DIR/<name>.<ext>); batch: OUTDIR",
    )
    p.add_argument(
        "--to",
        choices=(*FORMATS, "both"),
        default=None,
        help="output format (md; both = md and json); default from -o's suffix",
    )
    p.add_argument("--pages", type=_pages, help="PDF pages to read, e.g. 1,3-5 (from 1)")
    p.add_argument(
        "--chunk-size",
        type=_chunk_size,
        default=None,
        help="--to chunks: at most N characters a chunk (default 2000), or Nt tokens (500t)",
    )
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
        help="keep everything: no main-content detection, page furniture in place",
    )
    p.add_argument(
        "--keep-furniture",
        action="store_true",
        help="keep running headers, footers and page numbers in place (as furniture blocks)",
    )
    p.add_argument("--password", help="password for encrypted PDFs")
    p.add_argument(
        "--ocr",
        choices=("auto", "force", "off"),
        default=None,
        help="OCR (the [ocr] extra): auto reads pages without a usable text layer (default), "
        "force every page, off none",
    )
    p.add_argument(
        "--lang",
        default=None,
        help="OCR language(s), Tesseract's names: eng, deu, fra, eng+deu (default: detected)",
    )
    p.add_argument(
        "--images",
        nargs="?",
        const="",
        default=None,
        metavar="DIR",
        help="write the figures' images as PNG files (into DIR; default and in batch mode: "
        "beside the output) and link them from the Markdown",
    )
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
    _add_verbosity(p)


def _add_verbosity(p) -> None:
    v = p.add_mutually_exclusive_group()
    v.add_argument(
        "-q", "--quiet", action="store_true", help="errors only: no warnings, no progress"
    )
    v.add_argument("-v", "--verbose", action="store_true", help="a line per document converted")


def _is_batch(args) -> bool:
    if len(args.inputs) > 1 or args.jsonl or args.parquet or args.engine == "ray":
        return True
    src = args.inputs[0]
    return src != "-" and (Path(src).is_dir() or any(c in src for c in "*?["))


def _formats(args) -> list[str]:
    if args.to == "both":
        return list(BOTH)
    if args.to:
        return [args.to]
    if args.output and not _is_dir_target(args.output):
        return [SUFFIX_FORMATS.get(Path(args.output).suffix.lower(), "md")]
    return ["md"]


def _is_dir_target(output: str) -> bool:
    return output.endswith(("/", os.sep)) or Path(output).is_dir()


def single_outputs(src: str, output: str | None, formats: list[str]) -> dict[str, Path] | None:
    """Where one input's outputs go: None for stdout; ``-o DIR/`` (or an existing directory)
    gives DIR/<input stem>.<ext>; ``-o FILE`` with two formats gives FILE's stem with each
    format's suffix (``-o a.md --to both``: a.md and a.json)."""
    if not output:
        if len(formats) > 1:
            raise UsageError("--to both writes two files: give -o FILE or -o DIR/")
        return None
    if _is_dir_target(output):
        stem = "stdin" if src == "-" else Path(src).stem
        outs = {f: Path(output) / (stem + EXT[f]) for f in formats}
    elif len(formats) > 1:
        base = Path(output)
        if base.suffix.lower() in SUFFIX_FORMATS:
            base = base.with_suffix("")
        outs = {f: base.with_name(base.name + EXT[f]) for f in formats}
    else:
        outs = {formats[0]: Path(output)}
    if src != "-":
        for out in outs.values():
            if out.exists() and os.path.realpath(out) == os.path.realpath(src):
                raise UsageError(f"{src}: output {out} would overwrite the input")
    return outs


def convert_kwargs(args) -> dict:
    """The keyword arguments of ``reflow.convert`` that the command line set."""
    from reflow.batch.plan import convert_options

    return convert_options(args)


def _convert_one(args, src: str, fmts: list[str], outs, *, hard_exit: bool) -> int:
    """Convert one input and write its outputs; the error line and exit code on failure."""
    import reflow
    from reflow.batch.sinks import write_atomic
    from reflow.safety import time_limit

    t0 = time.perf_counter()
    try:
        with time_limit(args.timeout, src, hard_exit=hard_exit):  # never hang (safety.py)
            doc = reflow.convert(src, **convert_kwargs(args))
            if getattr(args, "images", None) is not None:
                _write_images(doc, src, args.images, outs)
    except ReflowError as e:
        _error(str(e))
        return e.exit_code
    except MemoryError:
        _error(f"{src}: out of memory")
        return 8
    except Exception as e:  # noqa: BLE001 - a hostile file must never show a traceback
        _error(f"{src}: internal error ({type(e).__name__}: {e}); please report it with the file")
        return EXIT_INTERNAL
    if not args.quiet:
        for warning in doc.warnings:
            print(f"reflow: warning: {src}: {warning}", file=sys.stderr)
    opts = {"chunk_size": args.chunk_size} if args.chunk_size else {}
    where = "stdout"
    try:
        if outs is None:
            for piece in output_chunks(doc, fmts[0], **opts):
                sys.stdout.write(piece)
            sys.stdout.flush()
        else:
            for fmt, path in outs.items():
                where = str(path)
                write_atomic(path, output_chunks(doc, fmt, **opts))
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        _quiet_stdout()
        return 0
    except OSError as e:  # an unwritable -o is one error line too, not a traceback
        _error(f"{where}: cannot write ({e.strerror or e})")
        return 1
    except MemoryError:  # rendering a large result under a low memory limit
        _error(f"{src}: out of memory writing the output")
        return 8
    except Exception as e:  # noqa: BLE001 - never a traceback
        _error(f"{src}: internal error ({type(e).__name__}: {e}); please report it with the file")
        return EXIT_INTERNAL
    if args.verbose:
        where = ", ".join(str(p) for p in outs.values()) if outs else "stdout"
        print(
            f"reflow: {src}: {len(doc.pages)} pages, {len(doc.blocks)} blocks, "
            f"{len(doc.removed)} removed, {time.perf_counter() - t0:.2f} s -> {where}",
            file=sys.stderr,
        )
    return 0


def _write_images(doc, src: str, directory: str, outs) -> None:
    """``--images``: the figures' PNG files into ``directory`` (or beside the output), linked
    from the Markdown relative to the output's folder."""
    from reflow.readers.images import save_images

    base = Path(next(iter(outs.values()))).parent if outs else Path(".")
    save_images(doc, src, Path(directory) if directory else base, Path(src).stem, base)


def _error(line: str) -> None:
    print(f"reflow: error: {line}", file=sys.stderr, flush=True)


def _quiet_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the interpreter's own flush at exit
    does not print a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def cmd_convert(args, isolate: bool = False) -> int:
    if args.engine == "ray":
        from reflow.distributed import run_ray_cli

        return run_ray_cli(args)
    if _is_batch(args):
        from reflow.batch import run_batch_cli

        return run_batch_cli(args)
    src = args.inputs[0]
    fmts = _formats(args)
    if getattr(args, "images", None) is not None and src == "-":
        _error("--images needs a file to read the images from, not stdin")
        return EXIT_USAGE
    try:
        outs = single_outputs(src, args.output, fmts)
    except UsageError as e:
        _error(str(e))
        return EXIT_USAGE
    if isolate and hasattr(os, "fork"):  # else in-process, with the watchdog thread
        from reflow.isolate import supervise

        return supervise(
            lambda: _convert_one(args, src, fmts, outs, hard_exit=False),
            src,
            args.timeout,
        )
    return _convert_one(args, src, fmts, outs, hard_exit=True)


def version() -> str:
    from importlib import metadata

    import reflow

    try:
        v = metadata.version("reflow-pdf")
    except metadata.PackageNotFoundError:
        v = reflow.__version__
    try:
        pdfium = metadata.version("pypdfium2")
    except metadata.PackageNotFoundError:
        pdfium = "?"
    py = ".".join(map(str, sys.version_info[:3]))
    return f"reflow {v} (pypdfium2 {pdfium}, Python {py})"


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
            _error(
                f"`reflow {command}` needs the evaluation harness (reflow_eval) from the source "
                f"repository; looked in {looked} (set REFLOW_BENCHMARKS to its benchmarks/ folder)"
            )
            return None
    return importlib.import_module(module).main


def _add_serve(sub) -> None:
    p = sub.add_parser("serve", help="an HTTP API: POST /convert, GET /health")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (all cores)")
    p.add_argument("--timeout", type=float, default=LIMITS.timeout, help="seconds per request")
    p.add_argument("--max-memory", type=int, default=2048, help="MiB per worker")
    p.add_argument("--max-upload", type=int, default=100, help="largest upload accepted, MiB (100)")
    _add_verbosity(p)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reflow", description=__doc__)
    parser.add_argument("--version", action="version", version=version())
    sub = parser.add_subparsers(dest="command", required=True)
    _add_convert(sub)
    _add_serve(sub)
    e = sub.add_parser("eval", help="score reflow against reference corpora (source checkout)")
    e.add_argument("rest", nargs=argparse.REMAINDER)
    b = sub.add_parser("bench", help="side-by-side speed and quality benchmark (source checkout)")
    b.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    """The command. Run from the command line (``argv`` None) a single-file conversion runs in a
    child process, so that even a crash or an abort in PDFium (out of memory under a low
    ``ulimit -v``) ends with the one error line; called with ``argv`` it runs in this process."""
    isolate = argv is None
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in ("eval", "bench"):
        # argparse.REMAINDER drops options that come first ("eval --corpus seed"): pass the
        # rest verbatim to the subcommand's own parser.
        args = argparse.Namespace(command=argv[0], rest=argv[1:])
    else:
        args = build_parser().parse_args(argv)
    try:
        if args.command == "convert":
            return cmd_convert(args, isolate=isolate)
        if args.command == "serve":
            from reflow.server import serve_cli

            return serve_cli(args)
        if args.command in ("eval", "bench"):
            harness = load_harness(args.command)
            if harness is None:
                return EXIT_USAGE
            return harness(args.rest)
    except KeyboardInterrupt:
        print("reflow: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
