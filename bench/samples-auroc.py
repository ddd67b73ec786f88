#!/usr/bin/env python3
"""Pooled AUROC of one column of `aura bench cpb --feature-scores` samples.csv files, over chosen seeds.

    bench/samples-auroc.py COLUMN FILE[:SEEDS] [FILE[:SEEDS] ...]

COLUMN is any column of samples.csv (risk, baseline_ii, retry_cycle_h1, ...). SEEDS is a comma list
(e.g. runs/ba5/samples.csv:1,2,7); without it every row of the file counts. The samples of all files
are pooled and scored as bench cpb scores them: the Mann-Whitney statistic with ties counting one half.
Used to put paired seeds from separate runs side by side (docs/predictor.md, T9). Python 3 stdlib only.
"""
import csv
import sys


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__.strip())
    col = argv[1]
    scored = []  # (value, label)
    for spec in argv[2:]:
        path, _, seeds = spec.partition(':')
        keep = {int(s) for s in seeds.split(',')} if seeds else None
        with open(path, newline='') as f:
            for r in csv.DictReader(f):
                if col not in r:
                    sys.exit(f"samples-auroc: {path} has no column '{col}'")
                if keep is None or int(r['seed']) in keep:
                    scored.append((float(r[col]), r['label'] == '1'))
    pos = sum(1 for _, y in scored if y)
    neg = len(scored) - pos
    if pos == 0 or neg == 0:
        sys.exit(f"samples-auroc: {len(scored)} samples, {pos} positive: AUROC needs both classes")
    scored.sort(key=lambda t: t[0])
    rank_sum, i = 0.0, 0
    while i < len(scored):
        j = i
        while j < len(scored) and scored[j][0] == scored[i][0]:
            j += 1
        avg = (i + 1 + j) / 2  # average rank of the tie group
        rank_sum += avg * sum(1 for k in range(i, j) if scored[k][1])
        i = j
    auroc = (rank_sum - pos * (pos + 1) / 2) / (pos * neg)
    print(f"{col}: AUROC {auroc:.3f} over {len(scored)} samples, {pos} positive")


if __name__ == '__main__':
    main(sys.argv)
