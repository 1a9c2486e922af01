"""moto at the scale of the replay tests (thousands of items) without its quadratic paths."""

from __future__ import annotations

import pytest
from moto.dynamodb.models.table import Table


@pytest.fixture(scope="module")
def partition_queries():
    """Make moto's base-table Query read one partition, as DynamoDB does.

    moto sorts the whole table on every Query; put_record queries the article's own
    partition, so seeding 2,000 records would cost minutes instead of seconds.
    """
    original = Table.query

    def query(self, hash_key, *args, **kwargs):
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        if index_name or hash_key is None or not self.range_key_attr:
            return original(self, hash_key, *args, **kwargs)
        partition = list(self.items.get(hash_key, {}).values())
        self.all_items = lambda: partition  # shadows the method for this one call
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    Table.query = query
    yield
    Table.query = original
