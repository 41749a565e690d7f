"""atheris (libFuzzer) harness: any input through reflow's whole pipeline may give a Document or
a ReflowError, nothing else. Optional; CI does not run it.

    pip install atheris
    python fuzz/fuzz_convert.py --make-seeds fuzz/seeds          # small good PDFs to start from
    python fuzz/fuzz_convert.py -max_total_time=300 -timeout=60 -rss_limit_mb=2048 \
        fuzz/work fuzz/seeds

Inputs that start with "%PDF-" (or that libFuzzer grows from the seed PDFs) go through the PDF
reader; others through the text reader as extracted text. A crash, an uncaught exception or a
hang (-timeout) leaves a reproducer file (crash-*, timeout-*) in the working directory.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def make_seeds(out: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_corpus", HERE.parent / "tests" / "hostile" / "make_corpus.py"
    )
    mc = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = mc
    spec.loader.exec_module(mc)
    out.mkdir(parents=True, exist_ok=True)
    (out / "good.pdf").write_bytes(mc.good_pdf(2))
    (out / "mixed.pdf").write_bytes(mc.mixed_image_pdf())
    (out / "type3.pdf").write_bytes(mc.type3_garbage_pdf())
    (out / "text.txt").write_bytes(("\n".join(mc.article_lines()) + "\n").encode())
    for p in (HERE.parent / "tests" / "fixtures" / "pdf").glob("*.pdf"):
        (out / p.name).write_bytes(p.read_bytes())


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--make-seeds":
        make_seeds(Path(sys.argv[2]))
        return
    import atheris

    with atheris.instrument_imports(include=["reflow"]):
        import reflow
        from reflow.errors import ReflowError

    def one_input(data: bytes) -> None:
        try:
            if data[:1024].find(b"%PDF-") >= 0:
                doc = reflow.convert(data, name="fuzz.pdf")
            else:
                doc = reflow.convert_text(data.decode("utf-8", "replace"))
            doc.markdown, doc.to_json(), doc.text  # noqa: B018 - the renderers must not fail
        except ReflowError:
            pass

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
