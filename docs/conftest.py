"""pytest collects the ``>>>`` examples of the Markdown pages here as doctests.

Only the pages are tests: the Sphinx configuration and the built site are not.
"""

collect_ignore = ["conf.py"]
collect_ignore_glob = ["_build/*"]
