"""The AWS side, played on moto: what Lambda and its event source mappings would do.

- ``template``: template.yaml read and resolved (the only description of the wiring);
- ``cloud``: the template's resources created on moto;
- ``runtime``: a function loaded as Lambda loads it (code, layers, environment, context);
- ``mappings``: the SQS event source mappings (batch size, ``batchItemFailures``,
  visibility, ``maxReceiveCount``, ``MaximumConcurrency``);
- ``chain``: the whole chain in process (``article-pipeline run``);
- ``invoke``: one function with one event (``article-pipeline invoke``);
- ``remote``: where the resources are: a running ``serve`` or a deployed stack;
- ``serve``: the resources on a local endpoint with the functions behind it.

May import: ``article_pipeline`` and one another. The one exception is ``serve``, which
mounts the review console (``..console``) on its endpoint.
"""
