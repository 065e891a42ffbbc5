"""Report renderers: the rich terminal report and the machine-readable formats."""
