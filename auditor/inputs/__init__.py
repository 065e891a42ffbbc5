"""Readers that turn drafts, post records and plain text into posts and images."""
