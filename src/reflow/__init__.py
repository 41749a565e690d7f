"""reflow: turn paged documents back into the article they were.

>>> import reflow
>>> doc = reflow.convert("article.pdf")
>>> print(doc.markdown)
"""

from reflow.errors import (
    BrokenPDFError,
    EmptyDocumentError,
    EncryptedPDFError,
    LimitExceededError,
    NotAPDFError,
    NoTextLayerError,
    ReflowError,
)
from reflow.model import Block, Document, Metadata
from reflow.pipeline import convert, convert_text

__all__ = [
    "convert",
    "convert_text",
    "Document",
    "Block",
    "Metadata",
    "ReflowError",
    "NotAPDFError",
    "BrokenPDFError",
    "EncryptedPDFError",
    "EmptyDocumentError",
    "NoTextLayerError",
    "LimitExceededError",
]
__version__ = "0.1.0"
