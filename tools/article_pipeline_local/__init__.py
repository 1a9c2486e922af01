"""Local tooling: the `article-pipeline` command, playing the AWS side on moto.

``cli`` is the command; the rest is grouped by concern, each package importing only those
listed before it (``emulation.serve`` aside, which mounts the console):

- ``emulation``: the AWS side on moto (the template, resources, functions, mappings);
- ``commands``: the operator's commands (show, search, replay, redrive);
- ``console``: the review console that ``serve`` mounts;
- ``evaluation``: scoring against labelled data;
- ``toolchain``: the makefile builds, the SAM CLI and Docker;
- ``measurement``: the bench, the bill, the scale plan, hostile inputs;
- ``devtools``: generators of checked-in files (schema, sample events).
"""
