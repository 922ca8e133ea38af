"""Onboarding: the walkthrough player and the widget picker that authors its steps."""
