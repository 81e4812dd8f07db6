#!/usr/bin/env python3
# Run from the project root after ./mvnw -q package -DskipTests:
#   python3 docs/zeek-history-check.py
# Uses ../shared/tools/zeek_compare.py (the workplace checker) for parsing and matching.
# History agreement with Zeek's baselines: for each baseline TCP row with a 4-tuple, is its history
# among our histories for the same endpoint pair? (multiset matching per pair)
import sys, subprocess, json, collections
import os
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'tools'))
import zeek_compare as z
corpus = os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'corpus', 'zeek')
total = agree = 0
mism = []
for e in z.read_manifest(corpus):
    fmt, rows = z.load_baseline(corpus, e)
    trace = f"{corpus}/{e['trace']}"
    out = subprocess.run(['java','-jar','target/tcpstate.jar','connections','--format','ndjson','--checksums',
                          e['checksum_mode'], trace], capture_output=True, text=True).stdout
    ours = collections.defaultdict(list)
    for line in out.splitlines():
        o = json.loads(line)
        r = z.ConnRow(orig_h=z.norm_ip(o['id.orig_h']), orig_p=z.norm_port(o['id.orig_p']),
                      resp_h=z.norm_ip(o['id.resp_h']), resp_p=z.norm_port(o['id.resp_p']))
        ours[r.pair_key()].append(o.get('history', '-'))
    for row in rows:
        if not row.is_tcp() or not row.has_tuple() or row.tunneled():
            continue
        total += 1
        pool = ours.get(row.pair_key(), [])
        h = row.history if row.history not in (None, '') else '-'
        if h in pool:
            pool.remove(h); agree += 1
        else:
            mism.append((e['id'], row.orig_p, row.resp_p, h, list(pool)))
print(f"history agreement (non-tunnel TCP rows): {agree}/{total}")
for m in mism: print("  ", m)
