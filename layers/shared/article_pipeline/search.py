"""Search by entity: every article about the identity a name stands for.

Each record indexes its entities under their search keys (``identity.search_keys``): a
place under its public id, anything else under each of its names, a person under the
surname too. A name asked for is resolved over what those items say, never over state of
its own, so the answer is exactly what the current records say:

1. The name's key (and the public id of the place it names, where the gazetteer knows it;
   and for an acronym, the organisations whose initials it writes) finds the identities
   that use it: those whose own name it is (``person:blair``, an
   article that only says "Mr Blair") and those that have it as a shorter name
   (``person:tony-blair``, whose article also says "Blair").
2. An identity known only by a short name joins the identity the archive most often uses
   that short name for: "Mr Blair" is Tony Blair when the archive's Blairs are mostly Tony,
   "U.N." is the United Nations when the articles that write both say so. Two full
   identities sharing the short name ("Gordon Brown", "Nick Brown") stay apart: the
   answer groups the articles by identity, the most frequent first.
3. Each identity found brings all its articles, whatever name each uses: those under its
   own name, and those of short-name identities that join it.

``lookup(key)`` is the one way to the table (a Query per key; ``records.find_by_key``), so
the resolution is a pure function over its answers and is tested without DynamoDB.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .identity import is_acronym, is_place_id, kind, name_key, primary_key, query_name

Item = dict[str, Any]
Lookup = Callable[[str], list[Item]]

#: How many keys one search may ask for (each a Query): a name shared by many identities
#: stops there rather than fanning out over the archive.
MAX_LOOKUPS = 60


@dataclass
class IdentityGroup:
    """One identity's articles: ``hits`` by article id (the entity item that found each)."""

    id: str
    hits: dict[str, Item] = field(default_factory=dict)
    #: the names its articles give it, most used first
    names: list[str] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return len(self.hits)


class _Index:
    """The items under each key asked so far, asked at most once each."""

    def __init__(self, lookup: Lookup, limit: int) -> None:
        self.lookup, self.limit = lookup, limit
        self.asked: dict[str, list[Item]] = {}

    def items(self, key: str) -> list[Item]:
        if key not in self.asked:
            if len(self.asked) >= self.limit:
                return []
            self.asked[key] = self.lookup(key)
        return self.asked[key]


def _by_identity(items: Iterable[Item]) -> dict[str, dict[str, Item]]:
    found: dict[str, dict[str, Item]] = {}
    for item in items:
        found.setdefault(item["id"], {}).setdefault(item["article_id"], item)
    return found


def _compatible(short_id: str, full_id: str) -> bool:
    """A short name's identity may join a fuller one of its kind (a person's surname joins a
    person; a label the model got wrong, such as ``product:``, joins any)."""
    if is_place_id(full_id) or is_place_id(short_id):
        return False
    short_kind, full_kind = short_id.split(":", 1)[0], full_id.split(":", 1)[0]
    return short_kind == full_kind or short_kind not in (kind("PERSON"), kind("ORG"), "place")


def _joins(key: str, found: dict[str, dict[str, Item]]) -> dict[str, str]:
    """Under ``key``: each identity whose own name it is -> the fuller identity it joins."""
    own = [identity for identity in found if primary_key(identity) == key]
    # a body of the organisation ("United Nations General Assembly" under "united nations")
    # is no fuller name of it: it stays an identity of its own
    fuller = [
        identity for identity, hits in found.items()
        if primary_key(identity) != key and not is_place_id(identity) and not any(item.get("part_of") == key for item in hits.values())
    ]
    joins = {}
    for short in own:
        candidates = [full for full in fuller if _compatible(short, full)]
        if candidates:
            joins[short] = max(candidates, key=lambda full: (len(found[full]), full))
    return joins


def _articles_of(identity: str, index: _Index) -> dict[str, Item]:
    """Every article of ``identity``: under its own key, and those of the short-name
    identities that join it under its other keys."""
    own = primary_key(identity)
    found = dict(_by_identity(index.items(own if own is not None else identity)).get(identity, {}))
    other_keys = sorted({key for item in found.values() for key in item.get("keys") or () if key != own})
    for key in other_keys:
        under = _by_identity(index.items(key))
        for short, full in _joins(key, under).items():
            if full == identity:
                for article, item in under[short].items():
                    found.setdefault(article, item)
    return found


def search(
    name: str,
    lookup: Lookup,
    place_ids: Callable[[str], Iterable[str]] = lambda name: (),
    *,
    label: str | None = None,
    identity: str | None = None,
    shorter: Iterable[str] = (),
    by_initials: Lookup | None = None,
    limit: int = MAX_LOOKUPS,
) -> list[IdentityGroup]:
    """The identities ``name`` stands for, each with all its articles, the most frequent first.

    ``place_ids(name)`` gives the public ids of the places the name may be (the gazetteer's);
    ``shorter`` the keys of an organisation's shorter names (``identity.shorter_names``),
    under which organisations known by that name alone are found too; ``by_initials(letters)``
    the items of the names of two words or more with those initials, which a name written as
    an acronym ("UN") may stand for; ``label`` keeps the items of that label only;
    ``identity`` keeps that identity only.
    """
    key = name_key(query_name(name))  # "Mr Blair" asks for Blair, as Extract names him
    if not key:
        return []
    index = _Index(lookup, limit)
    found = _by_identity(index.items(key))
    for place in place_ids(name):
        found.update(_by_identity(index.items(place)))
    if by_initials is not None and is_acronym(name):
        # the organisations the acronym may stand for, as fuller names of it
        for expansion, hits in _by_identity(by_initials(key)).items():
            if expansion.startswith(f"{kind('ORG')}:"):
                found.setdefault(expansion, hits)
    joins = _joins(key, found)
    for short_key in shorter:
        under = _by_identity(index.items(short_key))
        own = {i: hits for i, hits in under.items() if primary_key(i) == short_key and i.startswith(f"{kind('ORG')}:")}
        for short, full in _joins(short_key, under).items():
            if short in own and not is_place_id(full):
                joins.setdefault(short, full)
                found.setdefault(full, under[full])
        for short, hits in own.items():
            found.setdefault(short, hits)
    roots = [identity_ for identity_ in found if identity_ not in joins]
    groups: list[IdentityGroup] = []
    for root in roots:
        hits = _articles_of(root, index)
        for short, full in joins.items():
            if full == root:
                for article, item in found[short].items():
                    hits.setdefault(article, item)
        if label is not None:
            hits = {article: item for article, item in hits.items() if item.get("label") == label}
        if hits:
            groups.append(IdentityGroup(root, hits, _names(hits.values())))
    if identity is not None:
        groups = [group for group in groups if group.id == identity]
    groups.sort(key=lambda group: (-group.articles, group.id))
    return groups


def _names(items: Iterable[Item]) -> list[str]:
    """Every name its articles give it, by how many articles use it (the entity's own name
    first where equal)."""
    counts: dict[str, int] = {}
    own: set[str] = set()
    for item in items:
        own.add(item["name"])
        for name in {item["name"], *(item.get("aliases") or ())}:
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name not in own, name))


def articles_of(identity: str, lookup: Lookup, *, limit: int = MAX_LOOKUPS) -> IdentityGroup:
    """One identity's articles (the console's entity page): as :func:`search` finds them."""
    hits = _articles_of(identity, _Index(lookup, limit))
    return IdentityGroup(identity, hits, _names(hits.values()))
