"""Deprecated location of the template model: it moved to :mod:`lint.recognize.templates`
(templates are the recognizer's data).  Kept so third-party packs written against the
old path still import; new code imports from ``lint.recognize.templates``."""

import warnings

from ..recognize.templates import *  # noqa: F401,F403
from ..recognize.templates import (ColumnSpec, PanelSpec, TableSpec, TemplateLibrary,  # noqa: F401
                                   TemplateMatch, TemplateSpec, iter_template_files,
                                   load_template, norm_title, score_template)

warnings.warn("lint.engine.templates moved to lint.recognize.templates", DeprecationWarning, stacklevel=2)
