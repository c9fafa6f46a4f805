"""The UTO specimen renderer: the synthetic test world and the simulated reader's pages."""
