"""`make bench`: the load and volume benchmark of issue 9 (`python -m devtools.bench.run`)."""
