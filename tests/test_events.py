"""The event log: interleaved blocks give the same rows as adding them one at a time."""

import numpy as np

from sim.events import EventLog


def test_interleaved_blocks_equal_adding_block_by_block():
    """``add_interleaved`` (one chunk) gives the same table as ``add`` per block and stream,
    including empty blocks, which add nothing."""
    rng = np.random.default_rng(3)
    counts = np.column_stack([rng.integers(0, 4, 7), rng.integers(0, 3, 7), np.ones(7, np.int64)])
    counts[2, :2] = 0
    streams = [
        (
            "group_leave",
            rng.integers(0, 50, counts[:, 0].sum()),
            rng.integers(0, 9, counts[:, 0].sum()),
        ),
        (
            "group_leave",
            rng.integers(50, 90, counts[:, 1].sum()),
            rng.integers(0, 9, counts[:, 1].sum()),
        ),
        ("group_dissolved", np.full(7, -1), np.arange(7)),
    ]
    one, each = EventLog(), EventLog()
    for log in (one, each):
        log.week = 4
        log.add("lapse", np.array([3, 5]))
    one.add_interleaved(streams, counts)
    start = np.zeros(3, np.int64)
    for k in range(7):
        for j, (kind, person, group) in enumerate(streams):
            each.add(
                kind,
                person[start[j] : start[j] + counts[k, j]],
                group[start[j] : start[j] + counts[k, j]],
            )
            start[j] += counts[k, j]
    assert len(one._chunks) == 2 and len(each._chunks) > 10
    a, b = one.frame(50), each.frame(50)
    assert len(a) == counts.sum() + 2
    assert a.equals(b)
