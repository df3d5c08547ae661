"""Running the operator: health, peering, metrics, the poller."""
