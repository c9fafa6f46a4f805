"""MRZ: locate, read, parse and validate machine-readable zones (ICAO 9303)."""

# The reader (scanner.mrz.read) needs cv2 and is imported from its own module on purpose.
from scanner.mrz.parse import Correction, DigitCheck, MrzResult, check_digit, parse_mrz

__all__ = ["Correction", "DigitCheck", "MrzResult", "check_digit", "parse_mrz"]
