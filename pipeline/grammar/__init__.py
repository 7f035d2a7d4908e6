"""Grammar: the label vocabulary (labels.py), jieba words, the whole-page reading and the line parser, and
the assembly of their drafts into the published records. Never imports clean, check or anything after.
"""
