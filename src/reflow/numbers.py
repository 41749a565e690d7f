"""Small numeric helpers the stages share, without importing ``statistics`` (which brings
``fractions`` and ``decimal``: milliseconds of a one-page conversion's start-up)."""

from __future__ import annotations


def median(data):
    """``statistics.median``, the same algorithm and so the same value: the middle of the
    sorted values, or the mean of the two middle ones."""
    data = sorted(data)
    n = len(data)
    if n == 0:
        raise ValueError("no median for empty data")
    if n % 2 == 1:
        return data[n // 2]
    i = n // 2
    return (data[i - 1] + data[i]) / 2
