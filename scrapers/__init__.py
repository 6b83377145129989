"""pharmadeals scrapers: discover and fetch pages from news sources and disclosure platforms."""
