"""Fuzz the document structure-tree reader (native/pdfobjs.c) against PDFium.

    .venv/bin/python benchmarks/fuzz_doc_tree.py [--n 2000] [--seed 1] [--asan] [PDF ...]

Mutates tagged PDFs where their structure tree is written (a digit of a reference, so that
elements point at other objects, cycles included; a name; a byte removed or added; the file cut
short) and, for each mutant, compares the page records of the document reader with PDFium's
page trees (benchmarks/doc_tree_check.py): they must agree on every page the reader does not
leave to PDFium. ``--asan``: also runs every mutant through the reader built alone with
AddressSanitizer and UndefinedBehaviorSanitizer (a small C driver; needs gcc or clang), where
any report, crash or time-out is a failure.
"""

from __future__ import annotations

import argparse
import collections
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from doc_tree_check import LINKS, ROOT, SHARED, compare  # noqa: E402

SPOTS = re.compile(
    rb"/(K|P|S|Pg|ParentTree|Nums|Kids|Limits|MCID|StructParents|RoleMap|Annots|Rect|URI|A)\b"
)

DRIVER = r"""
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
typedef struct pdoc pdoc;
pdoc *pd_open(const unsigned char *, int64_t, int32_t);
void pd_close(pdoc *);
int pd_tags(pdoc *, int32_t, int, int, int32_t *, int32_t *, int, int64_t *);
int pd_links_page(pdoc *, int32_t);
void pd_links_done(pdoc *);
int pd_text_annots(pdoc *, int32_t);
void pd_link_fns(void **);
int pc_links(void **, void *, void *, double, double, double *, int32_t *, int, char *, int,
             int32_t *, int, int *);
static double rects[4 * 4096];
static int32_t rect_link[4096], url_off[4097];
static char urls[1 << 20];
int main(int argc, char **argv) {
    for (int a = 1; a + 1 < argc; a += 2) {
        FILE *f = fopen(argv[a], "rb");
        if (!f) return 2;
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        unsigned char *d = malloc(n ? n : 1);
        if (fread(d, 1, n, f) != (size_t)n) return 2;
        fclose(f);
        int pages = atoi(argv[a + 1]);
        pdoc *D = pd_open(d, n, pages);
        static int32_t out[1 << 20];
        for (int k = 0; D && k < 2 * pages; k++) { /* each page, then again backwards */
            int i = k < pages ? k : 2 * pages - 1 - k;
            int32_t next = 1;
            int64_t slots = 0;
            pd_tags(D, i, 20000, 64, &next, out, 1 << 20, &slots);
            void *fn[18] = {0};
            int nr = 0;
            pd_link_fns(fn + 10); /* F_LINKENUM .. F_LINKQUAD in pdfchars.c */
            if (pd_links_page(D, i) == 0)
                pc_links(fn, D, D, 3.0, 800.0, rects, rect_link, 4096, urls, 1 << 20, url_off,
                         4096, &nr);
            pd_links_done(D);
            pd_text_annots(D, i);
        }
        pd_close(D);
        free(d);
    }
    return 0;
}
"""


def mutate(data: bytes, rng: random.Random) -> bytes:
    spots = [m.end() for m in SPOTS.finditer(data)]
    kind = rng.random()
    if kind < 0.03:
        return data[: rng.randrange(len(data))]
    at = rng.choice(spots) if spots else rng.randrange(len(data))
    at = min(len(data) - 1, at + rng.randrange(12))
    b = bytearray(data)
    if kind < 0.6:  # a digit for a digit: references point elsewhere, offsets stay right
        digits = [i for i in range(at, min(len(b), at + 16)) if 48 <= b[i] <= 57]
        if digits:
            i = rng.choice(digits)
            b[i] = 48 + rng.randrange(10)
            return bytes(b)
    if kind < 0.75:
        b[at] = rng.choice(b"0123456789 /[]<>()RP#.-")
    elif kind < 0.87:
        del b[at]
    else:
        b[at:at] = rng.choice([b" 0", b"[", b"]", b"/K", b" 1 0 R", b"(", b"<<", b"#"])
    return bytes(b)


def seeds(args: list[str]) -> list[Path]:
    if args:
        return [Path(a) for a in args]
    out = sorted((SHARED / "aeb-dev" / "pdf").glob("*.pdf"))[:6]
    out += sorted((ROOT / "corpora" / "producers" / "libreoffice").glob("*.pdf"))[:3]
    return [p for p in out if p.is_file()]


def build_asan(tmp: Path) -> Path:
    src = ROOT / "src" / "reflow" / "native"
    drv = tmp / "driver.c"
    drv.write_text(DRIVER)
    exe = tmp / "pdfobjs-asan"
    cmd = ["cc", "-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"]
    cmd += ["-o", str(exe), str(drv), str(src / "pdfobjs.c"), str(src / "pdfchars.c"), "-lm"]
    subprocess.run(cmd, check=True)
    return exe


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--asan", action="store_true")
    a = ap.parse_args()

    from reflow.readers import tagged
    from reflow.readers.pdf import pdfium, sampler

    lib = pdfium()
    samp = sampler(True)
    api = tagged.api(lib.dll)
    rng = random.Random(a.seed)
    bases = [p.read_bytes() for p in seeds(a.paths)]
    tmp = Path(tempfile.mkdtemp(prefix="fuzz-doc-tree-"))
    exe = build_asan(tmp) if a.asan else None
    timing = collections.defaultdict(float)
    states: dict[str, int] = {}
    failures = link_failures = 0
    batch: list[str] = []
    for k in range(a.n):
        data = mutate(rng.choice(bases), rng)
        f = tmp / f"m{k % 64}.pdf"
        f.write_bytes(data)
        state, n, done, bad = compare(f, lib, samp, api, timing)
        key = f"{state}, all pages" if state == "read" and done == n else state
        states[key] = states.get(key, 0) + 1
        if bad or LINKS["differ"] > link_failures:
            link_failures = LINKS["differ"]
            failures += 1
            keep = tmp / f"differs-{k}.pdf"
            keep.write_bytes(data)
            print(f"DIFFERS (tags on pages {bad[:5]}, or links): {keep}")
        if exe is not None:
            batch += [str(tmp / f"a{k % 64}.pdf"), str(n)]
            (tmp / f"a{k % 64}.pdf").write_bytes(data)
            if len(batch) >= 128 or k == a.n - 1:
                r = subprocess.run([str(exe), *batch], capture_output=True, timeout=300)
                if r.returncode != 0:
                    failures += 1
                    print(f"SANITIZER ({r.returncode}): {r.stderr.decode()[-2000:]}")
                batch = []
    print(f"{a.n} mutants: {states}; links {LINKS}; failures {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
