#!/usr/bin/env python3
"""Deterministic benchmark and test inputs for `aura ripser` (python3 stdlib only).

Usage
-----
  make-datasets.py OUTDIR [--seed S] [--torus-n 400] [--sphere-n 200] [--circle-n 100]
                          [--rp2-n 300] [--matrix-n 100] [--matrices 3] [--grid2 6] [--grid3 4]
  make-datasets.py convert --to FORMAT IN.csv OUT      (point cloud -> distance matrix file)
  make-datasets.py one KIND OUT [--n N] [--seed S] [--noise SD] [--side K] [--dim D] [--scale C]

All randomness comes from one `random.Random(seed)` per data set, seeded with
`seed * 1000 + k` (k fixed per generator), so every file depends only on the seed
and its own parameters, never on which other files were generated.

Number format: every coordinate / distance is written with Python's `repr(float)`,
the shortest decimal string that round-trips to the same IEEE double. Ripser parses
it with `istream >> float` and Java with `Float.parseFloat`; both round that exact
decimal once to the nearest float32, so the float32 value is well defined.

Generators (the math)
---------------------
torus      Noisy torus in R^3 with major radius R = 2, minor radius r = 1. Angles
           theta, phi ~ U[0, 2*pi) independently (uniform in the angles, *not*
           area-uniform), point
             (x, y, z) = ((R + r cos phi) cos theta, (R + r cos phi) sin theta, r sin phi)
           plus i.i.d. Gaussian noise N(0, 0.05^2) on each coordinate. Default N = 400.
           Betti numbers of the torus: b0 = 1, b1 = 2, b2 = 1.
sphere     Uniform sample of S^2 in R^3: g ~ N(0, I_3), x = g / |g| (rotation-invariant
           normalisation). Optional noise N(0, sd^2) per coordinate (default 0).
circle     Noisy unit circle in R^2: theta ~ U[0, 2*pi), (cos theta, sin theta) plus
           N(0, sd^2) per coordinate, default sd = 0.05.
rp2        Real projective plane RP^2 via the Veronese embedding into R^6:
           v = g / |g| with g ~ N(0, I_3) (uniform on S^2), then
             V(x, y, z) = (x^2, y^2, z^2, sqrt2*x*y, sqrt2*x*z, sqrt2*y*z).
           V(v) = V(-v), and |V(u) - V(v)|^2 = 2 - 2 (u.v)^2, so V is an isometric (up to
           scale) embedding of RP^2 = S^2 / {+-1}; its image lies on a sphere in the
           5-dim affine plane x^2+y^2+z^2 = 1. Default N = 300.
           Homology: over Z/2, b1 = b2 = 1; over Z/3, b1 = b2 = 0.
matrix     Random symmetric distance matrix (not a metric): the N(N-1)/2 strict-lower
           entries d(i, j), i > j, are i.i.d. U(0, 1); written in lower-distance format
           (row by row: d(1,0), d(2,0), d(2,1), ...), one row per line, comma separated.
           Default N = 100; `--matrices` of them with consecutive seeds.
uniform    Uniform sample of the cube [0, 1]^D (`one uniform --dim D`), no structure.
grid2/grid3  Integer grid {0..K-1}^2 or {0..K-1}^3 as a point cloud (massive ties in the
           distances: 1, sqrt2, 2, sqrt5, ...).

`convert --to FORMAT` turns a point-cloud CSV into a distance-matrix file; distances are
computed in double and printed with repr (lower-distance, upper-distance, distance, sparse)
or stored as float64 (dipha) / float32 (binary, little endian).
"""

import argparse
import math
import os
import random
import struct
import sys

SQRT2 = math.sqrt(2.0)


def fmt(x):
    """repr-style shortest round-trip decimal for a float; integers print as e.g. '3.0'."""
    return repr(float(x))


def torus(n, seed, big_r=2.0, small_r=1.0, noise=0.05):
    rng = random.Random(seed * 1000 + 1)
    pts = []
    for _ in range(n):
        theta = rng.uniform(0.0, 2.0 * math.pi)
        phi = rng.uniform(0.0, 2.0 * math.pi)
        w = big_r + small_r * math.cos(phi)
        p = (w * math.cos(theta), w * math.sin(theta), small_r * math.sin(phi))
        pts.append(tuple(c + rng.gauss(0.0, noise) for c in p))
    return pts


def unit_vector(rng, d=3):
    while True:
        g = [rng.gauss(0.0, 1.0) for _ in range(d)]
        norm = math.sqrt(sum(c * c for c in g))
        if norm > 1e-12:
            return [c / norm for c in g]


def sphere(n, seed, noise=0.0):
    rng = random.Random(seed * 1000 + 2)
    pts = []
    for _ in range(n):
        v = unit_vector(rng)
        if noise:
            v = [c + rng.gauss(0.0, noise) for c in v]
        pts.append(tuple(v))
    return pts


def circle(n, seed, noise=0.05):
    rng = random.Random(seed * 1000 + 3)
    pts = []
    for _ in range(n):
        t = rng.uniform(0.0, 2.0 * math.pi)
        pts.append((math.cos(t) + rng.gauss(0.0, noise), math.sin(t) + rng.gauss(0.0, noise)))
    return pts


def rp2(n, seed):
    rng = random.Random(seed * 1000 + 4)
    pts = []
    for _ in range(n):
        x, y, z = unit_vector(rng)
        pts.append((x * x, y * y, z * z, SQRT2 * x * y, SQRT2 * x * z, SQRT2 * y * z))
    return pts


def random_matrix(n, seed):
    """Strict lower triangle rows: rows[i] = [d(i,0), ..., d(i,i-1)], i = 1..n-1."""
    rng = random.Random(seed * 1000 + 5)
    return [[rng.random() for _ in range(i)] for i in range(1, n)]


def uniform(n, seed, dim):
    rng = random.Random(seed * 1000 + 6)
    return [tuple(rng.random() for _ in range(dim)) for _ in range(n)]


def grid(side, dim):
    pts = [()]
    for _ in range(dim):
        pts = [p + (float(k),) for p in pts for k in range(side)]
    return pts


def write_points(path, pts, sep=","):
    with open(path, "w", newline="\n") as f:
        for p in pts:
            f.write(sep.join(fmt(c) for c in p) + "\n")


def write_lower_rows(path, rows):
    with open(path, "w", newline="\n") as f:
        for r in rows:
            f.write(",".join(fmt(c) for c in r) + "\n")


def read_points(path):
    pts = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                pts.append(tuple(float(t) for t in line.replace(",", " ").split()))
            except ValueError:
                continue  # header line
    return pts


def dist(p, q):
    return math.sqrt(sum((a - b) * (a - b) for a, b in zip(p, q)))


def convert(pts, fmt_name, out):
    n = len(pts)
    d = [[dist(pts[i], pts[j]) for j in range(n)] for i in range(n)]
    if fmt_name == "lower-distance":
        write_lower_rows(out, [[d[i][j] for j in range(i)] for i in range(1, n)])
    elif fmt_name == "upper-distance":
        with open(out, "w", newline="\n") as f:
            for i in range(n - 1):
                f.write(",".join(fmt(d[i][j]) for j in range(i + 1, n)) + "\n")
    elif fmt_name == "distance":
        with open(out, "w", newline="\n") as f:
            for i in range(n):
                f.write(",".join(fmt(d[i][j]) for j in range(n)) + "\n")
    elif fmt_name == "sparse":
        with open(out, "w", newline="\n") as f:
            for i in range(n):
                for j in range(i + 1, n):
                    f.write("%d %d %s\n" % (i, j, fmt(d[i][j])))
    elif fmt_name == "dipha":
        with open(out, "wb") as f:
            f.write(struct.pack("<qqq", 8067171840, 7, n))
            for i in range(n):
                f.write(struct.pack("<%dd" % n, *d[i]))
    elif fmt_name == "binary":
        with open(out, "wb") as f:
            for i in range(1, n):
                f.write(struct.pack("<%df" % i, *[d[i][j] for j in range(i)]))
    else:
        raise SystemExit("unknown format " + fmt_name)


def make_one(kind, out, n, seed, noise, side, dim=3, scale=1.0):
    if scale != 1.0:
        tmp = out + ".unscaled"
        make_one(kind, tmp, n, seed, noise, side, dim)
        write_points(out, [tuple(c * scale for c in p) for p in read_points(tmp)])
        os.remove(tmp)
    elif kind == "uniform":
        write_points(out, uniform(n, seed, dim))
    elif kind == "torus":
        write_points(out, torus(n, seed, noise=0.05 if noise is None else noise))
    elif kind == "sphere":
        write_points(out, sphere(n, seed, noise=0.0 if noise is None else noise))
    elif kind == "circle":
        write_points(out, circle(n, seed, noise=0.05 if noise is None else noise))
    elif kind == "rp2":
        write_points(out, rp2(n, seed))
    elif kind == "matrix":
        write_lower_rows(out, random_matrix(n, seed))
    elif kind == "grid2":
        write_points(out, grid(side, 2))
    elif kind == "grid3":
        write_points(out, grid(side, 3))
    else:
        raise SystemExit("unknown kind " + kind)


def main(argv):
    if argv and argv[0] == "convert":
        ap = argparse.ArgumentParser(prog="make-datasets.py convert")
        ap.add_argument("--to", required=True,
                        choices=["lower-distance", "upper-distance", "distance", "sparse", "dipha", "binary"])
        ap.add_argument("input")
        ap.add_argument("output")
        a = ap.parse_args(argv[1:])
        convert(read_points(a.input), a.to, a.output)
        return
    if argv and argv[0] == "one":
        ap = argparse.ArgumentParser(prog="make-datasets.py one")
        ap.add_argument("kind", choices=["torus", "sphere", "circle", "rp2", "matrix", "grid2", "grid3", "uniform"])
        ap.add_argument("output")
        ap.add_argument("--n", type=int, default=100)
        ap.add_argument("--seed", type=int, default=1)
        ap.add_argument("--noise", type=float, default=None)
        ap.add_argument("--side", type=int, default=5)
        ap.add_argument("--dim", type=int, default=3, help="ambient dimension for `uniform`")
        ap.add_argument("--scale", type=float, default=1.0, help="multiply all coordinates")
        a = ap.parse_args(argv[1:])
        make_one(a.kind, a.output, a.n, a.seed, a.noise, a.side, a.dim, a.scale)
        return

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--torus-n", type=int, default=400)
    ap.add_argument("--sphere-n", type=int, default=200)
    ap.add_argument("--circle-n", type=int, default=100)
    ap.add_argument("--rp2-n", type=int, default=300)
    ap.add_argument("--matrix-n", type=int, default=100)
    ap.add_argument("--matrices", type=int, default=3)
    ap.add_argument("--grid2", type=int, default=6, help="side of the 2-d integer grid")
    ap.add_argument("--grid3", type=int, default=4, help="side of the 3-d integer grid")
    a = ap.parse_args(argv)
    os.makedirs(a.outdir, exist_ok=True)
    s = a.seed
    files = []

    def out(name):
        p = os.path.join(a.outdir, name)
        files.append(p)
        return p

    write_points(out("torus_%d.csv" % a.torus_n), torus(a.torus_n, s))
    write_points(out("sphere_%d.csv" % a.sphere_n), sphere(a.sphere_n, s))
    write_points(out("circle_%d.csv" % a.circle_n), circle(a.circle_n, s))
    write_points(out("rp2_%d.csv" % a.rp2_n), rp2(a.rp2_n, s))
    for k in range(a.matrices):
        write_lower_rows(out("random_%d_s%d.lower_distance_matrix" % (a.matrix_n, s + k)),
                         random_matrix(a.matrix_n, s + k))
    write_points(out("grid2_%d.csv" % a.grid2), grid(a.grid2, 2))
    write_points(out("grid3_%d.csv" % a.grid3), grid(a.grid3, 3))
    for p in files:
        print(p)


if __name__ == "__main__":
    main(sys.argv[1:])
