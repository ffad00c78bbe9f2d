"""Sessions: a facilitated exercise saved as its scenario, seed and command log (SQLite)."""
