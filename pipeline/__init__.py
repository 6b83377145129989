"""pharmadeals pipeline: CLI, configuration, orchestration and normalisation."""
