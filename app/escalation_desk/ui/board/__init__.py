"""The Board screen: escalations in ownership lanes and status columns."""
