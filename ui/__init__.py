"""The PyQt6 desk application; talks to the daemon over HTTP only."""
