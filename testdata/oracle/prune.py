#!/usr/bin/env python3
"""Deletes generated cases that use what svcenv deliberately does not model.

  * options.servicesSynced == false: the kubelet's informer state, not input.
  * options.envFromKeyValidation == "relaxed": never shipped in a kubelet.
  * pod.spec.resources with the "strict" envFrom filter: the harness maps
    "strict" to kubelet 1.29, which predates PodLevelResources; the oracle
    applies pod-level limits regardless of version.
  * a pod IP not in net.IP.String() form (upper-case hex, IPv4-mapped) that
    a fieldRef reads: the oracle passes pod IPs through verbatim, the real
    kubelet's sortPodIPs re-stringifies them (found by testdata/conformance).

Usage: python3 prune.py DIR   (prints what it removed and why)
"""
import glob
import json
import os
import sys


def reason(case):
    inp = case["input"]
    opts = inp.get("options") or {}
    if opts.get("servicesSynced") is False:
        return "servicesSynced=false"
    if opts.get("envFromKeyValidation") == "relaxed":
        return "relaxed envFrom key validation"
    if ((inp.get("pod") or {}).get("spec", {}).get("resources")
            and opts.get("envFromKeyValidation") == "strict"):
        return "pod-level resources with a 1.29 key filter"
    ips = list(inp.get("podIPs") or []) + ([inp["podIP"]] if inp.get("podIP") else [])
    if any(ip != ip.lower() or ip.lower().startswith("::ffff:") for ip in ips) and \
            "status.podIP" in json.dumps(inp.get("pod")):
        return "a fieldRef reads a pod IP not in canonical form"
    return None


def main(argv):
    for path in sorted(glob.glob(os.path.join(argv[1], "gen-*.json"))):
        with open(path, encoding="utf-8") as fh:
            why = reason(json.load(fh))
        if why:
            os.remove(path)
            print("removed %s: %s" % (os.path.basename(path), why))


if __name__ == "__main__":
    main(sys.argv)
