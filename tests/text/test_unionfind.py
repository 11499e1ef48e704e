"""Union-find with reasons: the evidence users see for each entity link."""

from __future__ import annotations

from newsfuse.text.unionfind import UnionFind


def test_groups_follow_unions_transitively() -> None:
    links = UnionFind(["a", "b", "c", "d"])
    links.union("a", "b")
    links.union("c", "b")
    assert links.find("c") == links.find("a")
    assert sorted(map(sorted, links.groups().values())) == [["a", "b", "c"], ["d"]]


def test_first_reason_is_kept_and_repeat_unions_say_so() -> None:
    links: UnionFind[str] = UnionFind()
    assert links.union("Sergey Lavrov", "Sergei Lavrov", "spelling variant")
    assert not links.union("Sergey Lavrov", "Sergei Lavrov", "same name")
    assert links.why == {"Sergei Lavrov": "spelling variant"}


def test_the_first_argument_keeps_its_root() -> None:
    links = UnionFind([1, 2, 3])
    links.union(3, 1)
    links.union(3, 2)
    assert links.find(1) == links.find(2) == 3
