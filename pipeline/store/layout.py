"""The output layout: every path below CLEAN_DIR, named once.

Everything that reads or writes CLEAN_DIR (the run, publishing, the bank, the lock, the CLI and
the flow) takes its paths from here.
"""

from __future__ import annotations

import re

MANIFEST = "manifest.json"  # the run's commit point: one entry per raw page
QUESTIONS = "questions.jsonl"  # every question of every live set, one a line
LOCK = ".ingest.lock"  # held by the run that is writing the folder
MARKER = ".qset-output"  # claims the folder: a run writes (and deletes) only in folders that have it
MARKER_TEXT = b"This folder is written by qset-pipeline's ingest: its outputs are replaced on every run.\n"
SETS = "json"
REMOVALS = "removed.jsonl"  # every live set's removed lines, one set a line (for debugging the cleaner)
OLD_REMOVED = "removed"  # older versions wrote one removed/<set_id>.json a set: read once, then deleted
DOCX = "docx"
BANK = "bank"
RUNS = "runs"
CORRECTIONS = "corrections"  # editors' corrections: input, never written or deleted by a run
BANK_INDEX = f"{BANK}/index.bin"  # one file: metadata and signatures are replaced together
BANK_QUESTIONS = f"{BANK}/questions.jsonl"
BANK_CLUSTERS = f"{BANK}/clusters.json"
OLD_BANK_FILES = (f"{BANK}/index.json", f"{BANK}/signatures.bin")  # the two-file index of older versions
FOLDERS = ("", SETS, OLD_REMOVED, DOCX, BANK, RUNS)  # where a killed run may have left temp files


SET_ID = re.compile(r"[0-9a-f]{16}")  # a set id is a content hash: the only name a set's files take


def is_set_id(text: str) -> bool:
    """A set id, and so a safe file name (no separator, no dots): anything else names no set."""
    return SET_ID.fullmatch(text) is not None


def set_rel(set_id: str) -> str:
    return f"{SETS}/{set_id}.json"


def old_removed_rel(set_id: str) -> str:
    return f"{OLD_REMOVED}/{set_id}.json"


def docx_rels(set_id: str) -> tuple[str, str]:
    """The student edition, then the answer-key edition."""
    return f"{DOCX}/{set_id}.docx", f"{DOCX}/{set_id}.answers.docx"


def page_outputs(set_id: str, docx: bool) -> list[str]:
    """Every file a published page owns (its removed lines are a row of REMOVALS)."""
    return [set_rel(set_id), *(docx_rels(set_id) if docx else ())]


def correction_rel(set_id: str) -> str:
    return f"{CORRECTIONS}/{set_id}.json"


def run_rel(started_at: str) -> str:
    """The run report of the run started at `started_at` (an ISO time): names sort by time."""
    return f"{RUNS}/{started_at.replace(':', '').replace('-', '')}.json"
