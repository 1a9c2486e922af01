"""article-pipeline: the shared library the Lambda functions carry in their layer.

Pure cores (``cleaning``, ``extraction``) take and return the models in ``models``; the
adapters (``storage``, ``messaging``) are the only modules that talk to AWS.
"""

__version__ = "0.2.0"
