"""The instrument definition language (FORMAT.md): its in-memory model, parsing and checking, canonical form and
screens. Pure Python: no Flask, no SQLAlchemy, no WTForms; `scoring` depends on it and on nothing above it."""
