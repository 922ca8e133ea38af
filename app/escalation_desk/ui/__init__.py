"""The PySide6 user interface: main window, screens, models, dialogs."""
