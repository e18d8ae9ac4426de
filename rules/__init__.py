"""Rule packs shipped with filinglint.  Each subpackage is a plugin registered through
the ``filinglint`` entry-point group (see pyproject.toml)."""
