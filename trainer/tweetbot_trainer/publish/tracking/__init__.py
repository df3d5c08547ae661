"""Experiment tracking (MLflow, W&B): every run with its data, hyperparameters, metrics and model, as huggingtweets
logged its runs to W&B. Optional: without a tracker configured nothing here imports a client, and a tracker that
is down never fails a run (tracking.py: each call guarded, the run's summary says `degraded`)."""
