#!/usr/bin/env python3
"""Whole-process load benchmark: trailscope against its floors (inflate only; inflate and
serde; inflate and the fast reader), single-threaded zcat and zcat | jq, on the same
generated files, in the same run; and phrases after reopening the saved index. Prints
medians, ratios and peak RSS.

Usage: python3 scripts/bench_load.py [DATA_DIR] [RUNS]
  DATA_DIR defaults to bench-data/1m (generated with the synth tool when missing).
"""
import os
import re
import statistics
import subprocess
import sys
import time

data = sys.argv[1] if len(sys.argv) > 1 else "bench-data/1m"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
binary = "target/release/trailscope"

subprocess.run(["cargo", "build", "--release", "-p", "trailscope-synth", "--bin", "synth"], check=True)
subprocess.run(["cargo", "build", "--release", "--example", "floor"], check=True)
if not os.path.isdir(data):
    subprocess.run(["target/release/synth", "1000000", data], check=True)

files = sorted(
    os.path.join(d, f) for d, _, fs in os.walk(data) for f in fs if f.endswith(".gz")
)
list_file = "/tmp/trailscope-bench-files.txt"
with open(list_file, "w") as out:
    out.write("\0".join(files))
json_bytes = int(
    subprocess.run(
        f"xargs -0 cat < {list_file} | zcat | wc -c", shell=True, check=True, capture_output=True, text=True
    ).stdout
)


def timed(command):
    """(seconds, peak RSS in KB, stdout) of one run of a shell command."""
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "bash", "-c", command], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - start
    rss = int(proc.stderr.strip().splitlines()[-1])
    return seconds, rss, proc.stdout.strip()


index_dir = "/tmp/trailscope-bench-index"
subprocess.run(["rm", "-rf", index_dir], check=True)
# The saved index, made once before the timed runs.
subprocess.run(
    f"{binary} query {data} -w name:CreateAccessKey --count --quiet --index-dir {index_dir}",
    shell=True, check=True, capture_output=True,
)
rare_ip = os.environ.get("BENCH_RARE_PHRASE", '"94.99.49.73"')
common = os.environ.get("BENCH_COMMON_PHRASE", '"DescribeLogStreams"')
commands = {
    "trailscope": f"{binary} query {data} -w name:CreateAccessKey --count --quiet --no-index-cache",
    "reopen (index)": f"{binary} query {data} -w name:CreateAccessKey --count --quiet --index-dir {index_dir}",
    "reopen + rare phrase": f"{binary} query {data} -w '{rare_ip}' --count --quiet --index-dir {index_dir}",
    "reopen + phrase": f"{binary} query {data} -w '{common}' --count --quiet --index-dir {index_dir}",
    "floor: inflate": f"target/release/examples/floor {data} inflate",
    "floor: serde": f"target/release/examples/floor {data} serde",
    "floor: fast": f"target/release/examples/floor {data} fast",
    "zcat (1 thread)": f"xargs -0 cat < {list_file} | zcat > /dev/null",
    "zcat | jq": f"xargs -0 cat < {list_file} | zcat | jq -c '.Records[] | select(.eventName == \"CreateAccessKey\")' | wc -l",
}
results = {name: [] for name in commands}
outputs = {}
rss = {}
for i in range(runs):
    for name, command in commands.items():
        if name == "zcat | jq" and i >= max(1, runs // 2):
            continue  # jq takes half a minute a run; fewer runs suffice
        seconds, peak, out = timed(command)
        results[name].append(seconds)
        rss[name] = max(rss.get(name, 0), peak)
        outputs[name] = out
        print(f"run {i + 1}: {name}: {seconds:.2f} s", file=sys.stderr)

print(f"data: {data}: {len(files)} files, {json_bytes / 1e9:.2f} GB of JSON")
print(f"matching events: trailscope {outputs['trailscope']}, jq {outputs['zcat | jq']}")
base = statistics.median(results["zcat (1 thread)"])
for name, times in results.items():
    median = statistics.median(times)
    print(
        f"{name:16} median {median:6.2f} s over {len(times)} runs"
        f"  = {median / base:.2f} x zcat  peak RSS {rss[name] / 1024:.0f} MiB"
    )
ts = rss["trailscope"] * 1024
print(f"trailscope peak RSS / JSON size = {ts / json_bytes:.2f}")
inflate = statistics.median(results["floor: inflate"])
for name in ["trailscope", "reopen (index)", "floor: serde", "floor: fast"]:
    print(f"{name} / inflate only = {statistics.median(results[name]) / inflate:.2f}")
reopen = statistics.median(results["reopen (index)"])
for name in ["reopen + rare phrase", "reopen + phrase"]:
    added = statistics.median(results[name]) - reopen
    print(f"{name}: {added:.3f} s added = {added / inflate:.2f} x inflate only")
