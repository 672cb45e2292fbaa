#!/usr/bin/env python3
"""Prints the median of every criterion benchmark under target/criterion, in ms."""
import json
import pathlib

for path in sorted(pathlib.Path("target/criterion").glob("*/*/new/estimates.json")):
    group, name = path.parts[-4], path.parts[-3]
    median_ns = json.loads(path.read_text())["median"]["point_estimate"]
    print(f"{group}/{name}: median {median_ns / 1e6:.3f} ms")
