"""Conflict Map's domain package: event model, storage, map layers, import/export.

This package never imports streamlit; the pages in ``pages/`` call into it.
"""
