"""The JSON Schemas in src/reflow/schema/, as validators the tests share."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

import reflow

SCHEMAS = Path(reflow.__file__).resolve().parent / "schema"


@cache
def validator(name: str):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema (dev extra) not installed")
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def check(name: str, data) -> None:
    """Fail with every violation listed when ``data`` does not match the schema ``name``."""
    errors = sorted(validator(name).iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def check_document(data) -> None:
    check("document", data)


def check_chunk(data) -> None:
    check("chunk", data)
