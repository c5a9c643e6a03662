"""Reads of the care app; each takes the acting user and reaches rows through `scope`."""
