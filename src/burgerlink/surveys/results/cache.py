"""The results area's one in-process cache: a few typed, bounded maps keyed by a wave's state.

Analysing a wave means pivoting every answer into a matrix (``dataset.prepare``) and running the
engine per set of filters (``dataset.wave_analysis``); a page, its charts and its PDF ask for the
same analysis several times. What is kept here is numpy arrays and engine results, which only
make sense inside the process that computed them, so they stay in memory instead of the shared
cache (rendered charts, which are text, go to the shared cache by data version: see
``results/figures.py``). Keys always contain the wave's state (``dataset.WaveState``): a new
response, a changed weighting or other analysis settings make new keys, so nothing is stale;
the bound only limits memory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_CLEARERS: list[Callable[[], None]] = []
_LOCK = threading.Lock()


class Bounded(Generic[K, V]):
    """A thread-safe map that keeps its ``size`` most recently used entries."""

    def __init__(self, name: str, size: int) -> None:
        self.name = name
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        with _LOCK:
            _CLEARERS.append(self.clear)

    def get(self, key: K) -> V | None:
        """The value under ``key`` (marked as recently used), or None."""
        with _LOCK:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` under ``key``, dropping the least recently used beyond the bound."""
        with _LOCK:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The value under ``key``, made (outside the lock) and kept when missing."""
        found = self.get(key)
        return found if found is not None else self.put(key, make())

    def clear(self) -> None:
        """Forget every entry."""
        with _LOCK:
            self._items.clear()

    def __len__(self) -> int:
        """Number of entries kept."""
        return len(self._items)


def clear_all() -> None:
    """Forget every entry of every cache of the results area (tests; after bulk changes)."""
    with _LOCK:
        clearers = list(_CLEARERS)
    for clear in clearers:
        clear()
