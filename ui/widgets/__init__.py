"""Reusable desk widgets: traffic lights, capture views, charts, the notification area."""
