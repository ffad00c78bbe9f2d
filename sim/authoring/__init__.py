"""Tools for scenario authors: flow diagrams, lint, simulated coverage, scaffolds, MSEL import."""
