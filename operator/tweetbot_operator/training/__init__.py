"""Training runs: pure builders and status derivation, and the writes they need."""
