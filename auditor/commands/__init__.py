"""Commands: the typer app (app.py), check's code without typer (check.py), and commands in their own modules that register on `auditor.cli.app` when app.py imports them."""
