"""Reads of counselling and medical records; each takes the acting user."""
