"""Readers: a source (PDF bytes, extracted text) -> Document with pages of positioned lines."""
