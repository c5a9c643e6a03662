"""Writes of the care app: one service per action, one transaction, its audit event inside."""
