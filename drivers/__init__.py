"""Device I/O: capture folders, readers and the simulated reader; knows nothing above it."""
