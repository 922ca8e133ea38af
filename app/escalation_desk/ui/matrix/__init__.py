"""The Matrix screen: the severity-level grid, its ladder, the linter and versions."""
