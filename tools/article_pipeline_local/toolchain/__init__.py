"""The real build and runtime toolchain: makefiles, the SAM CLI, Docker.

- ``artefacts``: every function and layer built by its makefile, as ``sam build`` does
  (``make layers``), and code run on them as Lambda lays them out;
- ``sam_local``: ``make sam-local``, the functions under ``sam local`` in Docker;
- ``lambda_image``: the python3.13 Lambda base image, built where it cannot be pulled;
- ``docker_daemon``: a Docker daemon started and stopped for the run.

May import: ``article_pipeline``, ``..emulation`` and one another.
"""
