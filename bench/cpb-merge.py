#!/usr/bin/env python3
"""Merge the episodes.csv of several `aura bench cpb` runs of one cell into one table.

A long cell (the headline asks for >= 1 000 episodes) is run in chunks of seeds; this script
pools their paired episodes and prints, per arm, the spec's section-6 size and availability
figures with paired bootstrap intervals over seeds (10 000 replicates, resampling seeds, ratio of
means within each replicate, as spec 6.2):

    bench/cpb-merge.py RUN_DIR_OR_CSV[::ARM[=NAME],...]... [--seeds A-B] [--reference b0]
                       [--versus b3 [--versus ARM]...] [--sut aura] [--json FILE]

An input may be followed by `::` and the arms to take from it, each optionally renamed (`::b0,b3,aura=aura-before`
takes b0 and b3 as they are and the run's aura as `aura-before`): a new SUT run can so be paired with the
committed baseline episodes of the same seeds and with the SUT's earlier episodes. `--seeds A-B` keeps only
those seeds.

Checks that every input has the same family, that no (arm, seed) appears twice, and that every
seed has every arm (paired episodes); it stops with a message otherwise. Prediction metrics and
lead times need the risk traces, which episodes.csv does not hold: they are not merged.
Standard library only.
"""
import argparse
import math
import csv
import json
import os
import random
import sys
from collections import defaultdict

REPLICATES = 10_000


def fail(msg):
    print("cpb-merge: " + msg, file=sys.stderr)
    sys.exit(2)


def parse_input(spec):
    """'PATH' or 'PATH::arm,arm=new,...' -> (path, {arm: name} or None for every arm)."""
    if "::" not in spec:
        return spec, None
    path, arms = spec.split("::", 1)
    pick = {}
    for a in arms.split(","):
        old, _, new = a.strip().partition("=")
        if not old:
            fail(f"{spec}: empty arm name after '::'")
        pick[old] = new.strip() or old
    return path, pick


def read(specs, seed_range=None):
    rows = {}
    family = None
    for spec in specs:
        p, pick = parse_input(spec)
        f = os.path.join(p, "episodes.csv") if os.path.isdir(p) else p
        if not os.path.isfile(f):
            fail(f"{f}: no such file")
        with open(f, newline="") as fh:
            reader = csv.DictReader(fh)
            need = {"arm", "seed", "family", "fault", "S", "availability"}
            if not need <= set(reader.fieldnames or []):
                fail(f"{f}: not an episodes.csv of aura bench cpb (needs the columns {', '.join(sorted(need))})")
            for r in reader:
                if pick is not None:
                    if r["arm"] not in pick:
                        continue
                    r = dict(r, arm=pick[r["arm"]])
                if seed_range and not seed_range[0] <= int(r["seed"]) <= seed_range[1]:
                    continue
                if family is None:
                    family = r["family"]
                elif r["family"] != family:
                    fail(f"{f}: family {r['family']} differs from {family}; merge runs of one cell only")
                key = (r["arm"], int(r["seed"]))
                if key in rows:
                    fail(f"{f}: arm {key[0]} seed {key[1]} appears twice (overlapping seed ranges)")
                rows[key] = r
    if not rows:
        fail("no episodes")
    arms = sorted({a for a, _ in rows})
    seeds = sorted({s for _, s in rows})
    for a in arms:
        missing = [s for s in seeds if (a, s) not in rows]
        if missing:
            fail(f"arm {a} lacks seeds {missing[:10]}{' ...' if len(missing) > 10 else ''}: episodes must be paired")
    return family, arms, seeds, rows


def col(rows, arm, seeds, key):
    return [float(rows[(arm, s)][key]) for s in seeds]


def boot(seeds_n, stat, seed):
    rng = random.Random(seed)
    out = []
    for _ in range(REPLICATES):
        idx = [rng.randrange(seeds_n) for _ in range(seeds_n)]
        v = stat(idx)
        if v is not None:
            out.append(v)
    out.sort()
    return out


def pct(sorted_vals, q):
    """Type-7 (linear) percentile, as the Java metrics (io.aura.cascade.metrics) take it."""
    if not sorted_vals:
        return float("nan")
    h = (len(sorted_vals) - 1) * q
    lo = int(math.floor(h))
    hi = min(lo + 1, len(sorted_vals) - 1)
    if math.isinf(sorted_vals[lo]) or math.isinf(sorted_vals[hi]):
        return sorted_vals[lo] if h == lo else sorted_vals[hi]
    return sorted_vals[lo] + (h - lo) * (sorted_vals[hi] - sorted_vals[lo])


def ratio_of_means(a, b):
    def stat(idx):
        # as SizeReduction: x/0 is +inf (kept), 0/0 undefined (dropped)
        num = sum(a[i] for i in idx)
        den = sum(b[i] for i in idx)
        if den == 0:
            return None if num == 0 else float("inf")
        return num / den
    return stat


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs", nargs="+", help="run directories (with episodes.csv) or episodes.csv files")
    ap.add_argument("--reference", default="b0", help="the no-protection arm (default b0)")
    ap.add_argument("--seeds", help="keep only the seeds A-B (inclusive)")
    ap.add_argument("--versus", action="append", help="an arm the SUT is compared with (repeatable; default b3)")
    ap.add_argument("--sut", default="aura", help="the system under test (default aura)")
    ap.add_argument("--json", help="also write the numbers as JSON to this file")
    o = ap.parse_args()
    seed_range = None
    if o.seeds:
        a, _, b = o.seeds.partition("-")
        try:
            seed_range = (int(a), int(b or a))
        except ValueError:
            fail(f"--seeds {o.seeds}: expected A-B")
    family, arms, seeds, rows = read(o.runs, seed_range)
    for a in (o.reference, o.sut):
        if a not in arms:
            fail(f"arm {a} not in the runs (have {', '.join(arms)})")
    n = len(seeds)
    S = {a: col(rows, a, seeds, "S") for a in arms}
    A = {a: col(rows, a, seeds, "availability") for a in arms}
    ref = S[o.reference]
    ref_casc = sum(1 for x in ref if x > 0.1)
    out = {"family": family, "episodes_per_arm": n, "seeds": [seeds[0], seeds[-1]], "replicates": REPLICATES, "arms": {}}
    print(f"family {family}, {n} paired seeds ({seeds[0]}-{seeds[-1]}), arms {', '.join(arms)}")
    w = max(8, max(len(a) for a in arms))
    print(f"{'arm':<{w}} {'mean S':>8} {'P(S>10%)':>12} {'R_size':>8} {'[lower 95%]':>12} {'PCR_10%':>8} {'harm':>6} {'mean A':>8}")
    for i, a in enumerate(arms):
        s = S[a]
        d = {"mean_S": sum(s) / n, "cascades_10pct": sum(1 for x in s if x > 0.1), "mean_A": sum(A[a]) / n}
        line = f"{a:<{w}} {d['mean_S']:8.4f} {d['cascades_10pct']:>5}/{n:<6}"
        if a != o.reference:
            r = sum(ref) / sum(s) if sum(s) > 0 else (float("inf") if sum(ref) > 0 else float("nan"))
            b = boot(n, ratio_of_means(ref, s), 1 + i)
            d["R_size"] = r
            d["R_size_lower95"] = pct(b, 0.05)
            c = sum(1 for x in s if x > 0.1)
            d["PCR_10pct"] = 1 - c / ref_casc if ref_casc else None
            d["harm_rate"] = sum(1 for x, y in zip(s, ref) if x - y > 0.05 + 1e-12) / n  # exactly +0.05 is not harm
            pcr = "n/a" if d["PCR_10pct"] is None else f"{d['PCR_10pct']:.3f}"
            line += f" {r:8.3f} {d['R_size_lower95']:12.3f} {pcr:>8} {d['harm_rate']:6.3f}"
        else:
            line += f" {'':>8} {'':>12} {'':>8} {'':>6}"
        print(line + f" {d['mean_A']:8.4f}")
        out["arms"][a] = d
    versus = [x for x in (o.versus or ["b3"]) if x in arms and x != o.sut]
    for vs in versus:
        v, u = S[vs], S[o.sut]
        b = boot(n, ratio_of_means(v, u), 101)
        r = sum(v) / sum(u)
        da = [x - y for x, y in zip(A[o.sut], A[vs])]
        bd = boot(n, lambda idx: sum(da[i] for i in idx) / len(idx), 102)
        d = {"arm": vs, "ratio_S": r, "ratio_S_ci95": [pct(b, 0.025), pct(b, 0.975)],
             "delta_A": sum(da) / n, "delta_A_ci95": [pct(bd, 0.025), pct(bd, 0.975)]}
        if vs == versus[0]:
            out["versus"] = d
        out.setdefault("versus_all", []).append(d)
        print(f"E[S_{vs}] / E[S_{o.sut}] = {r:.3f} [95% CI {pct(b, 0.025):.3f}, {pct(b, 0.975):.3f}]"
              f"  (> 1: {o.sut} smaller)")
        print(f"A_{o.sut} - A_{vs} = {100 * sum(da) / n:+.2f} points [95% CI {100 * pct(bd, 0.025):+.2f},"
              f" {100 * pct(bd, 0.975):+.2f}]")
    lost_rows = {a: [rows[(a, s)].get("entry_lost_protection") for s in seeds] for a in arms}
    tracked = [a for a in arms if all(x not in (None, "") for x in lost_rows[a])]
    if tracked:
        print("loss charged to the protection (entry requests failed with a refused call in their tree / offered; spec T4):")
        out["protection_loss"] = {}
        for a in tracked:
            lost = sum(int(x) for x in lost_rows[a])
            offered = sum(int(rows[(a, s)]["entry_offered"]) for s in seeds)
            out["protection_loss"][a] = {"lost": lost, "offered": offered, "fraction": lost / offered if offered else None}
            share = f"{100 * lost / offered:.3f}%" if offered else "n/a"
            print(f"  {a:<{w}} {lost} / {offered} = {share}")
    untracked = [a for a in arms if a not in tracked]
    if tracked and untracked:
        print(f"  (not in every episode of {', '.join(untracked)}: runs from before the column, or D3-fluid)")
    faults = defaultdict(list)
    for k, s in enumerate(seeds):
        faults[rows[(o.reference, s)]["fault"]].append(k)
    print("by fault (mean S; episodes with S > 10%):")
    out["by_fault"] = {}
    for f in sorted(faults):
        ks = faults[f]
        parts = []
        out["by_fault"][f] = {"episodes": len(ks)}
        for a in arms:
            m = sum(S[a][k] for k in ks) / len(ks)
            c = sum(1 for k in ks if S[a][k] > 0.1)
            out["by_fault"][f][a] = {"mean_S": m, "cascades_10pct": c}
            parts.append(f"{a} {m:.4f} ({c})")
        print(f"  {f:<14} n={len(ks):<4} " + ", ".join(parts))
    if o.json:
        with open(o.json, "w") as fh:
            json.dump(out, fh, indent=2)
            fh.write("\n")


if __name__ == "__main__":
    main()
