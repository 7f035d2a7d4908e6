"""Clean: normalise, fold width and script for matching, strip site chrome (the site profiles in sites/),
drop a duplicated copy, find the title, split run-on lines, join lines broken at a fixed width.
"""
