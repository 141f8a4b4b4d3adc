from transport.dask import connect  # noqa: F401  (search/cluster.py's import until the engine's transport replaces it)
