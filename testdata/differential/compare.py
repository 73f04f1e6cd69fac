"""Compares the two sides' output (see run.sh): exits 1 on a difference that
known_differences.txt does not list, or on a listed one that went away."""
import json
import sys


def load(path):
    files, name = {}, None
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("== "):
                name = line[3:]
                files[name] = []
            else:
                files[name].append(line)
    return files


def number(text):
    """An integer beyond float64's exact range compares as the float it is:
    Go's encoding/json writes 2.2222222222222223e+20 as 222222222222222230000."""
    value = int(text)
    return value if abs(value) < 2**53 else float(text)


def verdict(lines):
    """('refused', message), ('skipped', '') or ('ok', [documents])."""
    docs = []
    for line in lines:
        if line.startswith("ERROR: "):
            return ("refused", line[7:])
        if line == "SKIP json":
            return ("skipped", "")
        docs.append(json.loads(line, parse_int=number))
    return ("ok", docs)


def main(kubectl_out, svcenv_out, known_path):
    kubectl, svcenv = load(kubectl_out), load(svcenv_out)
    known = {}
    with open(known_path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, reason = line.partition(": ")
                known[name] = reason
    failures = compared = skipped = 0
    for name in kubectl:
        want, got = verdict(kubectl[name]), verdict(svcenv.get(name, []))
        if want[0] == "skipped" and got[0] == "skipped":
            skipped += 1
            continue
        compared += 1
        same = want[0] == got[0] and (want[0] == "refused" or want[1] == got[1])
        if same and name in known:
            print(f"STALE  {name}: listed in known_differences.txt but agrees")
            failures += 1
        elif not same and name in known:
            print(f"KNOWN  {name}: {known[name]}")
        elif not same:
            failures += 1
            print(f"DIFFER {name}")
            print(f"  kubectl: {want[0]} {json.dumps(want[1], ensure_ascii=False)[:400]}")
            print(f"  svcenv:  {got[0]} {json.dumps(got[1], ensure_ascii=False)[:400]}")
    for name in known:
        if name not in kubectl:
            print(f"STALE  {name}: listed in known_differences.txt, not in the corpus")
            failures += 1
    print(f"{compared} files compared ({skipped} JSON streams skipped), "
          f"{failures} unexpected difference(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
