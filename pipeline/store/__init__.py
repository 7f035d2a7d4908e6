"""Store: where outputs live and what they were made with: local or fsspec storage, the output folder's
layout, the manifest's entries, and the version fingerprints of each kind of output.
"""
