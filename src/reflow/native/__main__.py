"""``python -m reflow.native build``: compile the native sampler into the cache now."""

from __future__ import annotations

import sys

from reflow.native import NativeUnavailable, build, compiler, library_path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    cmd = args[0] if args else "build"
    if cmd == "build":
        try:
            path = build(force="--force" in args)
        except NativeUnavailable as e:
            print(
                f"reflow.native: {e}; the reader will use its pure-Python sampler", file=sys.stderr
            )
            return 1
        print(path)
        return 0
    if cmd == "path":
        print(library_path())
        return 0
    if cmd == "info":
        print(f"compiler: {compiler()}\nlibrary: {library_path()} exists={library_path().exists()}")
        return 0
    print("usage: python -m reflow.native [build [--force] | path | info]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
