"""Structure stages: healing, block roles, metadata, article selection, links."""
