"""JSON Schemas shipped with the package (draft front matter, JSON report)."""
