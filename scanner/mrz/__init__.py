"""MRZ: locate, read, parse and validate machine-readable zones (ICAO 9303)."""
