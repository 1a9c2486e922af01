"""Figures about the pipeline (``make bench``, ``make fuzz``): speed, memory, size, the bill.

- ``bench``: throughput, cold start, memory and sizes of the built artefacts;
- ``cost``: the AWS bill per article, counted from the functions' own calls;
- ``scale``: the day simulated second by second (concurrency, the table's capacity);
- ``hostile``: known hostile inputs through the chain, one process each;
- ``corpus``: the articles they read.

May import: ``article_pipeline``, ``..emulation``, ``..toolchain`` and one another.
"""
