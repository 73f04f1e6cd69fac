#!/usr/bin/env python3
"""Re-expresses the oracle's expand__*.json vectors as one flat table.

Each upstream expand_test case was transcribed as a pod whose envFrom
ConfigMaps hold the mapping context and whose env OUT holds the input. The
table keeps only what ExpandReferences needs:
  [{"name", "source", "context": {NAME: VALUE}, "input", "expected"}]

Usage: python3 extract_expand_vectors.py VECTOR_DIR > expand_vectors.json
"""
import glob
import json
import os
import sys


def main(argv):
    rows = []
    for path in sorted(glob.glob(os.path.join(argv[1], "expand__*.json"))):
        with open(path, encoding="utf-8") as fh:
            case = json.load(fh)
        inp, exp = case["input"], case["expected"]
        container = inp["pod"]["spec"]["containers"][0]
        context = {}
        for cm in inp.get("configMaps") or []:
            context.update(cm.get("data") or {})
        env = container.get("env") or []
        out = [e for e in env if e["name"] == "OUT"]
        if out:
            rows.append({"name": case["name"], "source": case["source"],
                         "context": context, "input": out[0]["value"],
                         "expected": exp["envSubset"]["OUT"]})
        else:  # TestMapReference: a chain of env entries.
            ctx = {}
            for e in env:
                rows.append({"name": case["name"] + " " + e["name"],
                             "source": case["source"], "context": dict(ctx),
                             "input": e["value"],
                             "expected": exp["env"][e["name"]]})
                ctx[e["name"]] = exp["env"][e["name"]]
    json.dump(rows, sys.stdout, indent=1, sort_keys=True, ensure_ascii=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
