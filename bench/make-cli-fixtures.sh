#!/usr/bin/env bash
# Regenerate the committed CLI fixtures aura-cli/src/test/resources/ripser-golden/ from Ripser 1.2.1.
#
# Usage (from the repository root): bench/make-cli-fixtures.sh RIPSER_BIN_DIR [CORPUS_DIR]
#   RIPSER_BIN_DIR  prebuilt `ripser` and `ripser-coeff` (this script never builds Ripser)
#   CORPUS_DIR      scratch corpus to build first (default: a temporary directory)
# Copies the cases listed below (NAME.args/.out/.rc[/.stdin]) and the input files they reference;
# README.md and .gitattributes in the fixture directory are kept.
set -euo pipefail
BIN=${1:?usage: make-cli-fixtures.sh RIPSER_BIN_DIR [CORPUS_DIR]}
HERE=$(cd "$(dirname "$0")" && pwd)
DEST=$HERE/../aura-cli/src/test/resources/ripser-golden
CORPUS=${2:-$(mktemp -d)/golden}
"$HERE/make-golden-corpus.sh" "$BIN" "$CORPUS" > /dev/null 2>&1

CASES=(
  # ties on integer grids
  grid2_3_d1 grid2_4_d2 grid3_3_d2 grid2_5_t1 grid2_5_t1.5 grid2_5_m3_d2 grid2_3_doubled_t1
  # coefficients: RP^2 over Z/2 vs Z/3, random matrix over Z/3
  rp2_50_m2_d2 rp2_50_m3_d2 random20_m3_d3
  # thresholded point clouds (sparse path, no value-range header), infinite dim-1 intervals
  pc_circle40_t1 pc_circle60n_t0.6 pc_header_t0.5 pc_p1_t1 pc_p2_t1
  # sparse format, including the dim-0 threshold quirk
  sparse_quirk_t2 sparse_quirk_t2_d0 sparse_square_t1 sparse_two_triangles sparse_pentagon_comma
  sparse_selfloops sparse_isolated
  # dipha and binary (binary appends a 0 value at EOF)
  dipha_circle25 dipha_grid2_4_d2 dipha_inf dipha_bad_magic
  binary_circle25 binary_tri_positive binary_tri_positive_t10 binary_five_positive_d2 binary_empty
  # ratio, --dim 0, tiny inputs, odd value counts
  pc_circle40_r1.5 pc_circle25_r10_d0 pc_circle25_d0 pc_p2 pc_p2_d3 pc_p2dup ldm_one_value
  ldm_four_values ldm_empty_t1 ldm_exp_notation ldm_threshold_inf
  # other formats and syntax variants
  ldm_random12_d3 ldm_circle25_t0.5 udm_grid2_4_d2 dm_default_circle25 dm_ragged dm_empty_line
  pc_header pc_crlf pc_commaspace pc_trailing pc_tiny_circle_d1 pc_huge_circle_d1
  stdin_random12_ldm
  # errors
  err_format_unknown err_modulus_4 err_dim_trailing err_missing_file err_help
)

mkdir -p "$DEST/inputs"
find "$DEST" -type f ! -name README.md ! -name .gitattributes -delete
for n in "${CASES[@]}"; do
  for ext in args out rc stdin; do
    [[ -f $CORPUS/$n.$ext ]] && cp "$CORPUS/$n.$ext" "$DEST/"
  done
  for f in $(cat "$CORPUS/$n.args" "$CORPUS/$n.stdin" 2>/dev/null | grep '^inputs/' || true); do
    [[ -f $CORPUS/$f ]] && cp "$CORPUS/$f" "$DEST/$f"
  done
done
echo "${#CASES[@]} cases, $(du -sb "$DEST" | cut -f1) bytes in $DEST"
