"""Union-find over hashable keys, remembering why each key was joined (for evidence shown to users)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class UnionFind(Generic[K]):
    """Disjoint sets with path halving. `union(a, b)` keeps a's root as the root of the joined set."""

    def __init__(self, keys: Iterable[K] = ()) -> None:
        self.parent: dict[K, K] = {key: key for key in keys}
        self.why: dict[K, str] = {}

    def find(self, key: K) -> K:
        parent = self.parent
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(self, a: K, b: K, why: str | None = None) -> bool:
        """Join the sets of a and b; True when they were apart. `why` is kept for b (first reason wins)."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return False
        self.parent[root_b] = root_a
        if why is not None:
            self.why.setdefault(b, why)
        return True

    def groups(self) -> dict[K, list[K]]:
        """Every set as root -> members, members in the order the keys were first seen."""
        out: dict[K, list[K]] = {}
        for key in list(self.parent):
            out.setdefault(self.find(key), []).append(key)
        return out
