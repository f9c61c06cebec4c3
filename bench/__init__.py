"""Benchmarks for Barker: `python -m bench.http_bench` (see bench/README.md)."""
