"""filinglint: a linter for Chinese public-sector fiscal disclosures.

Pipeline: reader (file -> Document) -> recognizer (Tables, Claims) -> engine (rules)
-> Findings -> formatters.  See README.md and docs/."""

__version__ = "0.1.0"
