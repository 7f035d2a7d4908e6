"""Check: what the assembled set says about itself: declared counts and totals, gaps, cut previews
(validate.py), and how sure the parser is of each question and of the set (confidence.py).
"""
