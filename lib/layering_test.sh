#!/usr/bin/env bash
# The layering of lib/ (docs/architecture.md): each subsystem may use only
# the subsystems below it, and another subsystem's internal/ headers never.
# Read from the sources themselves: the #include lines and the Bazel labels of
# every file under lib/, and which subsystem's BUILD file lists each public
# header. A new subsystem is added to LAYERS here and in the document.
set -euo pipefail
exec /usr/bin/python3 - "$@" <<'PY'
import os, re, sys

LAYERS = ["base", "model", "decode", "env", "explain", "check", "c_api"]
rank = {name: i for i, name in enumerate(LAYERS)}
problems = []

files = []
for root, _, names in os.walk("lib", followlinks=True):
    files += [os.path.join(root, n) for n in names]
# Public header -> the subsystem whose BUILD file lists it in hdrs.
owner = {}
for path in files:
    if os.path.basename(path) == "BUILD.bazel":
        sub = path.split("/")[1]
        for header in re.findall(r'"//:include/(svcenv/[\w.]+\.h)"', open(path).read()):
            owner[header] = sub
for path in sorted(files):
    parts = path.split("/")
    if path == "lib/layering_test.sh":
        continue
    if len(parts) < 3 or parts[1] not in rank:
        problems.append(f"{path}: not in a subsystem (one of {', '.join(LAYERS)})")
        continue
    sub = parts[1]
    if path.endswith(".sh"):
        continue
    text = open(path, encoding="utf-8").read()
    used = []
    for m in re.finditer(r'#include "(lib/(\w+)/[^"]+)"', text):
        used.append((m.group(2), m.group(1)))
        if "/internal/" in m.group(1) and m.group(2) != sub:
            problems.append(f"{path}: includes another subsystem's internal header {m.group(1)}")
    for m in re.finditer(r'#include "(svcenv/[\w.]+\.h)"', text):
        if m.group(1) not in owner:
            problems.append(f"{path}: {m.group(1)} is in no library's hdrs")
        else:
            used.append((owner[m.group(1)], m.group(1)))
    for m in re.finditer(r'"//lib/(\w+)[:"]', text):
        used.append((m.group(1), "//lib/" + m.group(1)))
    for other, what in used:
        if other not in rank:
            problems.append(f"{path}: {what}: unknown subsystem {other}")
        elif rank[other] > rank[sub]:
            problems.append(f"{path} ({sub}) uses {what} ({other}), a layer above it")
if len(owner) < 20:
    problems.append(f"only {len(owner)} public headers found: is the data missing?")
for p in problems:
    print(p)
if problems:
    sys.exit(1)
print(f"lib/: {len(files)} files in {len(LAYERS)} layers, {len(owner)} public headers, no upward use")
PY
