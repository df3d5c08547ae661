"""Quality of a run's model (between train and publish): fit, style match, memorization, variety."""
