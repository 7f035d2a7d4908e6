"""Read: a raw page's bytes to text (encodings, HTML, DOCX), or a rejection that says why.
The first step of a page; imports nothing of the pipeline but its errors.
"""
