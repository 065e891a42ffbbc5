"""altaudit: audit the image descriptions of Bluesky posts and drafts."""

__version__ = "0.1.0"
