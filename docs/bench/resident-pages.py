#!/usr/bin/env python3
"""Which pages of a running portal's executable are resident, by section
and by package (docs/benchmarks.md, "Resident memory, page by page").

Usage (as root, for /proc/PID/pagemap): resident-pages.py PID TWIN [ROWS]

TWIN is the same tree built without -s -w (CGO_ENABLED=0 go build
-trimpath): -s -w drop the symbol table and DWARF, which are not loaded,
so the loaded sections of both have the same addresses and contents, and
TWIN's symbols name the stripped binary's pages. A page counts when it is
present in PID's page tables (/proc/PID/pagemap); the kernel maps a file's
pages 64 KB at a time around each fault (fault-around), so a function
makes its whole 64 KB window resident. The function table (.gopclntab) is
attributed per function: its _func record, its pc-value tables (pctab,
from its pcsp offset to the next function's) and its name.
"""
import bisect
import collections
import re
import struct
import subprocess
import sys

pid, twin = sys.argv[1], sys.argv[2]
rows = int(sys.argv[3]) if len(sys.argv) > 3 else 20

exe = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")[0].decode()
exe = subprocess.run(["readlink", "-f", f"/proc/{pid}/exe"], capture_output=True, text=True).stdout.strip() or exe
pages = set()
with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/pagemap", "rb") as pm:
    for line in maps:
        f = line.split(None, 5)
        if len(f) < 6 or f[5].strip() != exe:
            continue
        lo, hi = (int(x, 16) for x in f[0].split("-"))
        pm.seek(lo // 4096 * 8)
        b = pm.read((hi - lo) // 4096 * 8)
        for i in range(len(b) // 8):
            if struct.unpack_from("<Q", b, i * 8)[0] >> 63:
                pages.add(lo + i * 4096)

secs = {}
for line in subprocess.run(["readelf", "-SW", twin], capture_output=True, text=True).stdout.splitlines():
    m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
    if m and int(m.group(2), 16):
        secs[m.group(1)] = tuple(int(x, 16) for x in m.groups()[1:])


def resident(lo, hi):
    n, x = 0, lo
    while x < hi:
        pg = x // 4096 * 4096
        e = min(hi, pg + 4096)
        if pg in pages:
            n += e - x
        x = e
    return n


print(f"resident pages of {exe}: {len(pages) * 4} KB")
print(f"{'section':14}{'size KB':>9}{'resident KB':>13}")
for name in (".text", ".rodata", ".gopclntab", ".noptrdata", ".data"):
    addr, _, size = secs[name]
    print(f"{name:14}{size >> 10:9}{resident(addr, addr + size) >> 10:13}")

GROUPS = ("modernc.org/sqlite", "modernc.org/libc", "modernc.org/", "github.com/jackc/", "github.com/prometheus/",
          "google.golang.org/protobuf", "golang.org/x/text", "golang.org/x/net", "golang.org/x/crypto",
          "github.com/labstack/", "github.com/go-webauthn", "crypto/", "net/http",
          "github.com/infopatient/infopatient/internal/sandbox", "github.com/infopatient/infopatient/views",
          "github.com/infopatient/infopatient/", "runtime", "internal/", "vendor/")


def group(sym):
    sym = re.sub(r"^(type:\.?|go:|\*)", "", sym)
    i = sym.rfind("/")
    j = sym.find(".", i + 1)
    p = sym[:j] if j > 0 else sym
    for g in GROUPS:
        if p.startswith(g):
            return g.rstrip("/")
    return p


syms = []
nm = subprocess.run(["go", "tool", "nm", "-size", "-sort", "address", twin], capture_output=True, text=True).stdout
text_lo, _, text_size = secs[".text"]
for line in nm.splitlines():
    f = line.split(None, 3)
    if len(f) == 4 and f[2] in "Tt" and int(f[1]) > 0:
        syms.append((int(f[0], 16), int(f[1]), f[3]))
addrs = [s[0] for s in syms]
R = collections.defaultdict(lambda: [0, 0, 0, 0])
T = collections.defaultdict(lambda: [0, 0, 0, 0])
for a, s, n in syms:
    if text_lo <= a < text_lo + text_size:
        g = group(n)
        R[g][0] += resident(a, a + s)
        T[g][0] += s

paddr, poff, psize = secs[".gopclntab"]
with open(twin, "rb") as f:
    f.seek(poff)
    pcl = f.read(psize)
nfunc, _, _, name_off, cu_off, _, pctab_off, func_off = struct.unpack_from("<QQQQQQQQ", pcl, 8)
funcs = []  # group, _func offset, name offset, pcsp offset
for i in range(nfunc):
    entry, fo = struct.unpack_from("<II", pcl, func_off + 8 * i)
    _, nameoff, _, _, pcsp = struct.unpack_from("<IiiII", pcl, func_off + fo)
    k = bisect.bisect_right(addrs, text_lo + entry) - 1
    funcs.append((group(syms[k][2]) if k >= 0 else "?", func_off + fo, nameoff, pcsp))
for col, idx, base, end in ((1, 1, 0, psize), (2, 3, pctab_off, func_off), (3, 2, name_off, cu_off)):
    order = sorted((f[idx], f[0]) for f in funcs if col != 2 or f[3] > 0)
    for j, (off, g) in enumerate(order):
        nxt = order[j + 1][0] if j + 1 < len(order) else end - base
        if col == 1 and j + 1 == len(order):
            g = "(rest of the function table)"
        R[g][col] += resident(paddr + base + off, paddr + base + nxt)
        T[g][col] += nxt - off

print(f"\nresident KB / linked KB{'':29}{'.text':>13}{'_func':>13}{'pctab':>13}{'names':>13}{'all':>7}")
for g, v in sorted(R.items(), key=lambda kv: -sum(kv[1]))[:rows]:
    print(f"{g:52}" + "".join(f"{v[c] >> 10:6} /{T[g][c] >> 10:5}" for c in range(4)) + f"{sum(v) >> 10:7}")
tot = [sum(v[c] for v in R.values()) for c in range(4)]
print(f"{'all':52}" + "".join(f"{tot[c] >> 10:6} /{sum(t[c] for t in T.values()) >> 10:5}" for c in range(4)) + f"{sum(tot) >> 10:7}")
