"""Live tests: real PostgreSQL servers, Redis and gunicorn processes that the tests start."""
