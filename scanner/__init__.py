"""The engine and the appliance service: MRZ, checks, verdicts, CLI."""
