"""Reading a finished (or running) exercise's records: what caused what, how values moved."""
