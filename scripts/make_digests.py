#!/usr/bin/env python3
"""Writes CloudTrail digest files for a trail that has none (the generated benchmark set), so
`trailscope verify` can be timed on it: per account and region, one digest per hour of
delivery, chained by the SHA-256 of the previous digest, as CloudTrail writes them (the
format of "CloudTrail digest file structure"). Unsigned: the benchmark times hashing and the
chain, which is where the work is.

    python3 scripts/make_digests.py bench-data/1m
    trailscope verify bench-data/1m
"""
import gzip
import hashlib
import json
import os
import re
import sys
from collections import defaultdict

root = sys.argv[1]
stamp = re.compile(r"_(\d{8}T\d{4})Z_")
hours = defaultdict(list)
for folder, _, names in os.walk(root):
    for name in names:
        path = os.path.join(folder, name)
        rel = path.replace(os.sep, "/")
        at = rel.find("AWSLogs/")
        found = stamp.search(name)
        if at < 0 or "/CloudTrail/" not in rel or not found:
            continue
        key = rel[at:]
        parts = key.split("/")
        account, region = parts[1], parts[3]
        hours[(account, region, found.group(1)[:11])].append((key, path))

previous = {}
for (account, region, hour) in sorted(hours):
    end = f"{hour[0:4]}-{hour[4:6]}-{hour[6:8]}T{hour[9:11]}:59:59Z"
    stamp_end = f"{hour}5959Z"
    key = (f"AWSLogs/{account}/CloudTrail-Digest/{region}/{hour[0:4]}/{hour[4:6]}/{hour[6:8]}/"
           f"{account}_CloudTrail-Digest_{region}_bench-trail_{region}_{stamp_end}.json.gz")
    files = []
    for log_key, path in sorted(hours[(account, region, hour)]):
        with gzip.open(path, "rb") as f:
            files.append({"s3Bucket": "bench-bucket", "s3Object": log_key,
                          "hashValue": hashlib.sha256(f.read()).hexdigest(),
                          "hashAlgorithm": "SHA-256"})
    prev = previous.get((account, region))
    digest = {
        "awsAccountId": account, "digestEndTime": end, "digestS3Bucket": "bench-bucket",
        "digestS3Object": key, "digestSignatureAlgorithm": "SHA256withRSA",
        "previousDigestS3Object": prev[0] if prev else None,
        "previousDigestHashValue": prev[1] if prev else None,
        "logFiles": files,
    }
    content = json.dumps(digest).encode()
    out = os.path.join(root, key)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "wb") as f:
        f.write(gzip.compress(content))
    previous[(account, region)] = (key, hashlib.sha256(content).hexdigest())
print(f"{len(hours)} digests for {sum(len(v) for v in hours.values())} log files")
