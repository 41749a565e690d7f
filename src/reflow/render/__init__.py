"""Renderers: Document -> Markdown, JSON, plain text."""
