"""Run: the run around the steps: the steps and their frame (steps.py), a page and a batch as a worker runs
them (batch.py), the run itself (ingest.py), its options, report, lock, worker processes and explain.
"""
