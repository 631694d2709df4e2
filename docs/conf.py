"""Sphinx configuration for the partydev documentation.

Build locally with::

    pip install -e ".[docs]" && sphinx-build -W --keep-going -b html docs docs/_build/html

The build must stay warning-free without network access, so intersphinx links
to Python, attrs and pluggy are only made when ``PARTYDEV_DOCS_INTERSPHINX=1``
is set (a failed inventory fetch is a warning, and ``-W`` turns it into an error).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import partydev

project = "partydev"
author = "partydev developers"
copyright = "partydev developers, MIT licence"
version = partydev.__version__
release = partydev.__version__
language = "en"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "pictures",  # docs/_ext/pictures.py: draws docs/_generated/*.svg at build time
]
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_ext", "_generated", "conftest.py", "Thumbs.db", ".DS_Store"]

# MyST: Markdown pages; autodoc directives go in {eval-rst} blocks.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# autodoc: signatures stay short, types go into the parameter descriptions.
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_member_order = "bysource"
autodoc_preserve_defaults = True
autodoc_default_options: dict[str, Any] = {"show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False

# Unresolved references are not errors: intersphinx is usually off (see above).
nitpicky = False

intersphinx_mapping: dict[str, tuple[str, str | None]] = {}
intersphinx_timeout = 5
if os.environ.get("PARTYDEV_DOCS_INTERSPHINX") == "1":
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "attrs": ("https://www.attrs.org/en/stable/", None),
        "pluggy": ("https://pluggy.readthedocs.io/en/stable/", None),
    }

html_theme = "furo"
html_title = f"partydev {release}"

MONOSPACE_FONTS = (
    '"Noto Sans Mono", "DejaVu Sans Mono", "Cascadia Mono", "Cascadia Code", Consolas, '
    '"Source Code Pro", "Roboto Mono", "Liberation Mono", "Ubuntu Mono", monospace'
)
"""Monospace fonts that all have Vietnamese letters (precomposed ế, ộ, ả …), first to
last; furo's default stack starts with SFMono-Regular and Menlo, which do not, and the
browser then stacks loose accents ("Kêt́", "phô´") in code blocks."""

html_theme_options: dict[str, Any] = {
    "light_css_variables": {"font-stack--monospace": MONOSPACE_FONTS},
    "dark_css_variables": {"font-stack--monospace": MONOSPACE_FONTS},
}
html_static_path: list[str] = []
pygments_style = "friendly"


def _resolve_reexports(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Link ``partydev.numbers.Ratio`` (or ``Ratio`` inside that module) to ``partydev.Ratio``.

    The public names are documented once, where users import them from
    (``partydev.X``); docstrings inside the submodules still refer to them by
    their module-relative names.
    """
    if node.get("refdomain") != "py":
        return None
    target: str = node["reftarget"]
    parts = target.split(".")
    candidates = []
    if parts[0] == "partydev" and len(parts) > 2:
        candidates.append("partydev." + ".".join(parts[2:]))
    if parts[0] != "partydev":
        candidates.append("partydev." + target)
    domain = env.get_domain("py")
    for candidate in candidates:
        resolved = domain.resolve_xref(
            env, node["refdoc"], app.builder, node["reftype"], candidate, node, contnode
        )
        if resolved is not None:
            return resolved
    return None


def setup(app: Any) -> dict[str, Any]:
    """Register the re-export resolver."""
    app.connect("missing-reference", _resolve_reexports)
    return {"parallel_read_safe": True}
