#!/usr/bin/env python3
"""polc's iptables output against the real iptables-restore, inside fresh network namespaces
(`unshare -n`: the host's firewall is never touched). Needs root and iptables-legacy; the
nf_tables-based iptables-nft is checked too when it is installed (--variants).

Random devices (the round-trip test's, hostile comments included, with varied zone and interface
names) are written by the test-only tool emit_dump_firewalls. Every file must

  1. pass `iptables-legacy-restore --test` (ip6tables-legacy-restore for .v6.rules), and
  2. load for real into an empty namespace, after which iptables-save must show the same chains
     and policies, and per chain the same number of rules carrying the same comments in the same
     order: nothing split, merged or cut by the parser, no comment escaping its quotes.

usage: check_iptables.py EMIT_DUMP_FIREWALLS [--count N] [--seed S] [--variants legacy,nft]
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

def tools(suffix, variant):
    prefix = "iptables" if suffix == ".v4.rules" else "ip6tables"
    return f"{prefix}-{variant}-restore", f"{prefix}-{variant}-save"

COMMENT = re.compile(r'--comment ("(?:[^"\\]|\\.)*"|\S+)')


def unquote(word):
    if word.startswith('"'):
        return re.sub(r'\\(.)', r'\1', word[1:-1])
    return word


def table_of(text):
    """Chains with their policies, and per chain the comments of its rules in order."""
    policies, comments = {}, {}
    for line in text.splitlines():
        if line.startswith(":"):
            name, policy = line[1:].split()[:2]
            policies[name] = policy
            comments.setdefault(name, [])
        elif line.startswith("-A "):
            chain = line.split()[1]
            found = COMMENT.findall(line)
            comments.setdefault(chain, []).append(unquote(found[0]) if len(found) == 1 else None)
    return policies, comments


def check(path, suffix, variant="legacy"):
    restore, save = tools(suffix, variant)
    problems = []
    test = subprocess.run(["unshare", "-n", restore, "--test", str(path)], capture_output=True, text=True)
    if test.returncode != 0:
        problems.append(f"{restore} --test failed: {test.stderr.strip()}")
    load = subprocess.run(["unshare", "-n", "sh", "-c", f'{restore} "$1" && {save} -t filter', "sh", str(path)],
                          capture_output=True, text=True)
    if load.returncode != 0:
        problems.append(f"{restore} failed: {load.stderr.strip()}")
        return problems, 0
    ours, theirs = table_of(path.read_text(encoding="utf-8")), table_of(load.stdout)
    if ours[0] != theirs[0]:
        problems.append(f"chains or policies differ: {ours[0]} vs {theirs[0]}")
    for chain, comments in ours[1].items():
        loaded = theirs[1].get(chain, [])
        if comments != loaded:
            problems.append(f"chain {chain}: {len(comments)} rules written, {len(loaded)} loaded, "
                            f"first difference: {next((a, b) for a, b in zip(comments + [None], loaded + [None]) if a != b)}")
    return problems, sum(len(c) for c in ours[1].values())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dump_tool")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--variants", default="legacy,nft",
                        help="iptables variants to check; those not installed are skipped (legacy is required)")
    args = parser.parse_args()
    variants = [v for v in args.variants.split(",") if v == "legacy" or shutil.which(f"iptables-{v}-restore")]
    if "legacy" in args.variants.split(",") and not shutil.which("iptables-legacy-restore"):
        print("iptables-legacy-restore is not installed")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([args.dump_tool, "iptables", str(args.count), str(args.seed), tmp], check=True)
        files = sorted(pathlib.Path(tmp).rglob("*.rules"))
        failures, rules = 0, 0
        for path in files:
            suffix = "".join(path.suffixes[-2:])
            for variant in variants:
                problems, n = check(path, suffix, variant)
                rules += n if variant == variants[0] else 0
                if problems:
                    failures += 1
                    print(f"FAIL ({variant}) {path.relative_to(tmp)}")
                    for p in problems:
                        print(f"  {p}")
        print(f"{len(files) * len(variants) - failures}/{len(files) * len(variants)} checks passed "
              f"({len(files)} files, {rules} rules, {args.count} devices, seed {args.seed}, "
              f"iptables-{'/'.join(variants)})")
        return 1 if failures or not files else 0


if __name__ == "__main__":
    sys.exit(main())
