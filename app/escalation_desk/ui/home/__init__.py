"""The Home screen: the workspace at a glance."""
