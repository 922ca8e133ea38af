"""Who is learning on this computer: the name answers and walkthroughs are recorded under."""

from __future__ import annotations

import getpass

from PySide6.QtCore import QSettings

AGENT_KEY = "onboarding/agent"


def agent_name(settings: QSettings) -> str:
    """The name last typed on the Practice tab, else the login name."""
    stored = settings.value(AGENT_KEY, "")
    return str(stored).strip() or getpass.getuser()


def remember_agent(settings: QSettings, name: str) -> None:
    """Keep ``name`` for the next practice and the next walkthrough."""
    if name.strip():
        settings.setValue(AGENT_KEY, name.strip())
