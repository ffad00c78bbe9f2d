"""The headless core of tabletop: scenario loading, the SimPy engine, the CLI."""
