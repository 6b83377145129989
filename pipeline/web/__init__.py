"""`pharmadeals serve`: the review queue, deal pages, trends and SQL explorer as a local web app."""
