"""Source adapters, one module each, listed in the registry in scrapers.sources.registry."""
