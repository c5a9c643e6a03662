"""Writes of counselling and medical records: one service per action, one transaction, audited."""
