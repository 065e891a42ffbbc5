"""Kept for older imports: the escaping helper lives in auditor/safe_text.py,
a base module that the model and errors may use without importing reports."""

from ..safe_text import visible

__all__ = ["visible"]
