"""Placeholder: written in this milestone."""
