#!/usr/bin/env python3
"""Joins cases and the kubelet's answers into vectors (docs/conformance.md).

  python3 make_vectors.py CASES.jsonl 1.34=OUT34.jsonl ... > vectors.jsonl

Each output line is {"input": <case>, "kubelet": {"1.34": <answer>, ...}};
the answers' own "name" is dropped (it repeats the case's)."""
import json
import sys


def main(argv):
    cases = [json.loads(line) for line in open(argv[1], encoding="utf-8") if line.strip()]
    answers = {}
    for arg in argv[2:]:
        release, path = arg.split("=", 1)
        rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
        if len(rows) != len(cases):
            raise SystemExit("%s: %d answers for %d cases" % (path, len(rows), len(cases)))
        answers[release] = rows
    for i, case in enumerate(cases):
        kubelet = {}
        for release, rows in answers.items():
            row = dict(rows[i])
            if row.pop("name") != case["name"]:
                raise SystemExit("answer %d of %s is not case %s" % (i, release, case["name"]))
            if not row.get("ambiguous"):
                row.pop("ambiguous", None)
            kubelet[release] = row
        sys.stdout.write(json.dumps({"input": case, "kubelet": kubelet}, sort_keys=True,
                                    ensure_ascii=True, separators=(",", ":")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
