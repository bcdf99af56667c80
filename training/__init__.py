"""Background training of livebot's models: jobs, workers, checkpoints, registry."""
