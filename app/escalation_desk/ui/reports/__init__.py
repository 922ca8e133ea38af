"""The Reports screen: KPI dashboard, manager report and what-if replay."""
