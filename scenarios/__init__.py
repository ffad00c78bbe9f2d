"""Bundled scenarios and playbooks (YAML files shipped as package data)."""
