"""The imperative shell: files, the terminal and the command line.

Reading and writing ledger files (:mod:`partydev.shell.io`), writing a report
atomically (:mod:`partydev.shell.export`), the built-in exporters and importers,
the ``partydev`` command (:mod:`partydev.shell.cli`) and helpers for testing
plugins (:mod:`partydev.shell.testing`).  Nothing is imported here: each module is
imported where it is used.
"""
