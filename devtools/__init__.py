"""Development tools: the benchmark harness (`make bench`) and the fictional data generators.

Installed only when DEBUG is on or BENCH=1 (promise_portal/settings.py), never in production
by default: its commands (generate_national, generate_activities, bench_import, bench_report)
write invented data in bulk or time the running code. Nothing else imports from it.
"""
