"""Evaluation: metrics (``reflow_eval.metrics``), corpora (``reflow_eval.corpora``) and the
``reflow eval`` command (``reflow_eval.cli``)."""

from reflow_eval.metrics import (
    aeb_corpus,
    aeb_scores,
    furniture_leaks,
    heading_f1,
    link_f1,
    md_blocks,
    md_words,
    metadata_accuracy,
    paragraph_f1,
    reading_order,
    strip_markdown,
    strip_trailer,
    text_similarity,
)

__all__ = [
    "aeb_corpus",
    "aeb_scores",
    "furniture_leaks",
    "heading_f1",
    "link_f1",
    "md_blocks",
    "md_words",
    "metadata_accuracy",
    "paragraph_f1",
    "reading_order",
    "strip_markdown",
    "strip_trailer",
    "text_similarity",
]
