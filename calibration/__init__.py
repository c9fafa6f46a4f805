"""Calibration references, per-device profiles and device health."""
