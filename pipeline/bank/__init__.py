"""Bank: the question bank built from the published sets: tokens (tokens.py), near-duplicate clusters,
keywords and search (index.py). Never imported by a page's steps.
"""
