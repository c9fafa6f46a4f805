"""Tests of the PyQt6 desk against a real daemon."""
