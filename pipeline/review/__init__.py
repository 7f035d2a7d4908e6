"""Review: the editors' side: the review web page (app.py, its words in words.py) and the corrections
it stores, which every later run applies (corrections.py).
"""
