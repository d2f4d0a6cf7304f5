"""The one place the version lives; pyproject.toml and datapackage.json read it from here."""

__version__ = "0.2.0"
