"""PDFium functions with their ctypes types, bound once per library.

Each reader module declares the functions it calls as ``{name: (restype, argtypes)}``; ``bind``
sets those types and hangs the functions on an object, and ``Api`` is such an object for one
library, made once per library and module (``functools.cache`` on the module's ``api``)."""

from __future__ import annotations

Prototypes = dict[str, tuple[object, list]]


def bind(target: object, dll, protos: Prototypes) -> None:
    """``protos``'s functions of ``dll`` as attributes of ``target``, typed. An AttributeError
    says the library lacks one of them (an older libpdfium)."""
    for name, (res, args) in protos.items():
        fn = getattr(dll, name)
        fn.restype = res
        fn.argtypes = args
        setattr(target, name, fn)


class Api:
    """The functions of ``protos`` in ``dll``, as attributes."""

    def __init__(self, dll, protos: Prototypes) -> None:
        bind(self, dll, protos)
