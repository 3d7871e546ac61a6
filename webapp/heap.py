"""Garbage-collector set-up for a long-running server process.

After start-up the process holds hundreds of thousands of long-lived objects (parsed BPMN/DMN
specs, SQLAlchemy mappers, Jinja templates, fonts). Left in the collected generations, every
full collection walks them again; letter rendering allocates enough to trigger such collections
often, and they land inside unrelated requests as latency spikes (bench/repair_scale.py).
Freezing the start-up heap moves it out of the collector's sight; nothing is leaked by it.
"""
from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect once, then exempt everything alive now from future collections; returns the count."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
