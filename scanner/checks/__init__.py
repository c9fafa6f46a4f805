"""The optical and logical checks, one module per check id."""
