"""The base of each stage's settings group (``reflow.settings``)."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any


class Group:
    """Base of one stage's settings: the ``__init__``, ``__repr__``, ``__eq__`` and ``__hash__``
    a dataclass would generate, written once here. Generating them for each of the groups'
    ~260 fields cost ~25 ms of every start-up (compiling the generated code); these do the same
    (keyword or positional arguments in field order, the same repr, equal when of one class
    with equal values) for the few settings objects a run makes. ``fields()``, ``asdict()``,
    ``replace()``, frozenness and pickling stay the dataclass's."""

    __slots__ = ()

    def __init__(self, *args: Any, **values: Any) -> None:
        names = _defaults(type(self))
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__}() takes at most {len(names)} arguments")
        for (name, _), value in zip(names, args, strict=False):
            if name in values:
                raise TypeError(f"{type(self).__name__}() got multiple values for {name!r}")
            values[name] = value
        init = object.__setattr__
        for name, default in names:
            init(self, name, values.pop(name, default))
        if values:
            raise TypeError(
                f"{type(self).__name__}() got an unexpected keyword argument {next(iter(values))!r}"
            )

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name, _ in _defaults(type(self)))

    def __repr__(self) -> str:
        body = ", ".join(f"{n}={getattr(self, n)!r}" for n, _ in _defaults(type(self)))
        return f"{type(self).__qualname__}({body})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())


_DEFAULTS: dict[type, tuple[tuple[str, Any], ...]] = {}


def _defaults(cls: type) -> tuple[tuple[str, Any], ...]:
    """A group's fields and their defaults, in order (looked up once per class)."""
    got = _DEFAULTS.get(cls)
    if got is None:
        got = _DEFAULTS[cls] = tuple((f.name, f.default) for f in fields(cls))
        assert all(d is not MISSING for _, d in got), f"{cls.__name__}: a setting without default"
    return got
