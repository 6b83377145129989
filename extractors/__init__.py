"""pharmadeals extractors: article text in, licensing deal mentions out."""
