"""Pure-Python domain: matrix, triggers, routing, durations, lifecycle, closure rules."""
