"""From report text to events: places, dates, actors, figures and claims, with provenance.

The pipeline is rule-based and offline; :func:`geo.extract.pipeline.extract` runs it.
"""
