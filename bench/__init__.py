"""`make bench`: the load and volume benchmark of issue 9 (see run.py)."""
