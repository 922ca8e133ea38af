"""The Closure screen: loops awaiting closure, follow-ups and repeat incidents."""
