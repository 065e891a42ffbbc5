"""Structural checks and the generic matching machinery that rules name."""
