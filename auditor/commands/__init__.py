"""Commands that live in their own modules and register on `auditor.cli.app` when imported."""
