"""The package's data files (``reflow/data``): read from the folder beside this module when it
is one (an install or a checkout), else through importlib.resources (a zipped install), whose
import (tempfile, shutil, zipfile) costs a one-page conversion's start-up milliseconds."""

from __future__ import annotations

from pathlib import Path


def read_data(name: str) -> str:
    """The text of ``reflow/data/<name>``; FileNotFoundError or OSError where it is missing."""
    path = Path(__file__).with_name("data") / name
    if path.is_file():
        return path.read_text("utf-8")
    from importlib import resources

    return resources.files("reflow").joinpath(f"data/{name}").read_text("utf-8")
