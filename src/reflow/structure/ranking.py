"""The small logistic model behind the fitted header scorers (bylines, publication dates, titles):
weights by feature name and a threshold, read from a JSON file shipped in ``reflow/data``."""

from __future__ import annotations

import json
import math
from typing import Protocol

from reflow.datafiles import read_data


class _Row(Protocol):
    def row(self) -> list[float]: ...


class LogisticModel:
    """A logistic model over a fixed feature list; a feature the file does not weigh counts 0."""

    def __init__(self, data: dict, features: tuple[str, ...]) -> None:
        self.weights = [float(data["weights"].get(f, 0.0)) for f in features]
        self.threshold = float(data.get("threshold", 0.5))

    def proba(self, c: _Row) -> float:
        z = sum(w * x for w, x in zip(self.weights, c.row(), strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def read_model(name: str) -> dict | None:
    """The shipped model file ``reflow/data/<name>``, or None where the install lacks it."""
    try:
        raw = read_data(name)
    except (FileNotFoundError, OSError):
        return None
    return json.loads(raw)


def load_model(name: str, features: tuple[str, ...]) -> LogisticModel | None:
    """The shipped model ``reflow/data/<name>`` over ``features``, or None where it is missing."""
    data = read_model(name)
    return None if data is None else LogisticModel(data, features)
