"""pharmadeals storage: SQLAlchemy schema, views, migrations and the one write path."""
