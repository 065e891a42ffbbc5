"""Rule definitions as data: one TOML file a rule, and the word lists they use.

Installed as the package ``auditor.rules``; nothing here is Python code.
"""
