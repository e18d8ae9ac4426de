"""Rule packs shipped with filinglint.  Each subpackage is a plugin registered through
the ``filinglint`` entry-point group (see pyproject.toml) as ``lint.rules.<pack>``: the
wheel installs this directory inside filinglint's namespace, and from a checkout
``lint/rules/__init__.py`` reaches it here.  Import packs as ``lint.rules.<pack>``."""
