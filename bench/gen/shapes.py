#!/usr/bin/env python3
"""Writes the adversarial project shapes of issue #13 part 4 (crashes and super-linear paths).

    bench/gen/shapes.py SHAPE N DIR

SHAPE is one of
  imports   a chain of N modules, each importing the next (was: stack overflow)
  services  a chain of N services, each defined as the next (was: stack overflow)
  zones     N zones of one IPv4 /32 each (was: every pair of zones compared)
  v6host    a host with N disjoint IPv6 /128s behind a firewall (was: PacketSet::firstMatch)
  unused    N zones nobody uses (was: N warnings, ~20 write() calls each)
  typos     N long zone names, each used once misspelt (was: unbounded did-you-mean)

DIR receives polc.yaml and the .pol files; time `polc check DIR` (or `polc build DIR -o OUT`
for v6host) with /usr/bin/time. bench/shapes.sh runs every shape at 1k, 10k and 100k.
"""
import os
import sys

HEADER = 'policy shapes "形の試験" version "1";\nlayer basic "基本方針" public;\n'


def write(dir_, files):
    os.makedirs(dir_, exist_ok=True)
    entries = [name for name in files if name.startswith("main")]
    with open(os.path.join(dir_, "polc.yaml"), "w", encoding="utf-8") as f:
        f.write("policy: shapes\nentries: [%s]\nlayers: [basic]\n" % ", ".join(entries))
    for name, text in files.items():
        with open(os.path.join(dir_, name), "w", encoding="utf-8") as f:
            f.write(text)


def v4(i):
    return "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255)


def imports(n):
    files = {"main.pol": HEADER + "import local.m0;\nzone a \"A\" { address 10.0.0.0/24; }\n"
                         "zone b \"B\" { address 10.0.1.0/24; }\nallow a -> b service s0;\n"}
    for i in range(n):
        nxt = "import local.m%d;\n" % (i + 1) if i + 1 < n else ""
        files["m%d.pol" % i] = nxt + 'service s%d "S%d" = tcp/%d;\n' % (i, i, 1 + i % 60000)
    return files


def services(n):
    body = [HEADER, 'zone a "A" { address 10.0.0.0/24; }\nzone b "B" { address 10.0.1.0/24; }\n']
    for i in range(n):
        body.append('service s%d "S" = %s;\n' % (i, "s%d" % (i + 1) if i + 1 < n else "tcp/443"))
    body.append("allow a -> b service s0;\n")
    return {"main.pol": "".join(body)}


def zones(n):
    body = [HEADER]
    for i in range(n):
        body.append('zone z%d "Z" { address %s/32; }\n' % (i, v4(i)))
    # No rule uses them: n W0601 warnings, capped (the `unused` shape times those alone).
    return {"main.pol": "".join(body)}


def v6host(n):
    addresses = ", ".join("2001:db8::%x:%x" % (2 * i >> 16, 2 * i & 0xFFFF) for i in range(n))
    return {"main.pol": HEADER + (
        'zone inside "内部" { address 2001:db8::/48; }\n'
        'zone outside "外部" { address 2001:db9::/48; }\n'
        'host h "多数のアドレス" in inside { address %s; }\n'
        "allow h -> outside service tcp/443;\n"
        # The zone-wide deny is cut by every one of the host's addresses.
        "deny inside -> outside;\n"
        'firewall fw "境界" platform nftables {\n  interface eth0 zone inside;\n'
        "  interface eth1 zone outside;\n}\n" % addresses)}


def unused(n):
    return {"main.pol": HEADER + "".join('zone z%d "Z";\n' % i for i in range(n))}


def typos(n):
    # Long names that share most of their text, as generated inventories do; each use drops
    # one letter in the middle, so every lookup needs a suggestion.
    stem = "municipal_office_network_segment_for_the_department_of_"
    names = ["%s%08d_zone" % (stem, i) for i in range(n)]
    body = [HEADER]
    body += ['zone %s "Z";\n' % name for name in names]
    for i, name in enumerate(names):
        cut = len(name) // 2
        body.append("allow %s -> %s;\n" % (name[:cut] + name[cut + 1:], names[(i + 1) % n]))
    return {"main.pol": "".join(body)}


SHAPES = {"imports": imports, "services": services, "zones": zones, "v6host": v6host,
          "unused": unused, "typos": typos}

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in SHAPES:
        sys.exit(__doc__)
    write(sys.argv[3], SHAPES[sys.argv[1]](int(sys.argv[2])))
