"""Publish: the outputs of a set and of a run: its JSON files and the manifest (files.py), the DOCX
editions (docx.py and their template), the JSON Schema, and the run's quality by site (quality.py).
"""
