"""Escalation Desk: the escalation matrix, board and closure loop for support leads."""

__version__ = "0.1.0"
