#!/usr/bin/env bash
# Build the golden corpus of Ripser 1.2.1 outputs that `aura ripser` must reproduce byte for byte.
#
# Usage: bench/make-golden-corpus.sh RIPSER_BIN_DIR [OUT_DIR]
#   RIPSER_BIN_DIR  directory holding already-built `ripser` (plain, Z/2) and `ripser-coeff`
#                   (the ripser-coeff target). This script only RUNS them; it never builds Ripser.
#   OUT_DIR         default /work/peer/golden (keep it outside the repository).
#
# Layout of OUT_DIR (one case = NAME):
#   NAME.args   argv after `ripser`, one element per line; the last line is the input file path
#               relative to OUT_DIR (run with OUT_DIR as the working directory, or prefix it).
#               Exception: if NAME.stdin exists, NAME.args has no file and NAME.stdin holds the
#               path (relative to OUT_DIR) of the file to feed on standard input.
#   NAME.out    Ripser's exact stdout;  NAME.rc  its exit status;  NAME.err  its stderr (info only).
#   inputs/     the input files (shared by several cases).
#   quirks/     same layout, cases where Ripser crashes or aborts (undefined behaviour, exit 134/139):
#               documented, not part of the pass/fail corpus.
# `ripser-coeff` is used when the arguments contain --modulus, plain `ripser` otherwise.
# Inputs are generated deterministically by bench/make-datasets.py plus small hand-written files.
set -euo pipefail

BIN=$(cd "${1:?usage: make-golden-corpus.sh RIPSER_BIN_DIR [OUT_DIR]}" && pwd)
OUT=${2:-/work/peer/golden}
HERE=$(cd "$(dirname "$0")" && pwd)
DS="python3 $HERE/make-datasets.py"
[[ -x $BIN/ripser && -x $BIN/ripser-coeff ]] || { echo "need $BIN/ripser and $BIN/ripser-coeff" >&2; exit 2; }

rm -rf "$OUT"
mkdir -p "$OUT/inputs" "$OUT/quirks/inputs"
cd "$OUT"
I=inputs
SLOW=()
NCASES=0

# run_case DIR NAME STDIN_FILE ARGS... : run Ripser in DIR, store NAME.{args,out,rc,err[,stdin]}
run_case() {
  local dir=$1 name=$2 stdin=$3; shift 3
  [[ ! -e $dir/$name.args ]] || { echo "duplicate case $name" >&2; exit 2; }
  local exe=$BIN/ripser a
  for a in "$@"; do [[ $a == --modulus ]] && exe=$BIN/ripser-coeff; done
  : > "$dir/$name.args"
  for a in "$@"; do printf '%s\n' "$a" >> "$dir/$name.args"; done
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  if [[ -n $stdin ]]; then
    printf '%s\n' "$stdin" > "$dir/$name.stdin"
    (cd "$dir" && timeout 30 "$exe" "$@" < "$stdin" > "$name.out" 2> "$name.err") || rc=$?
  else
    (cd "$dir" && timeout 30 "$exe" "$@" > "$name.out" 2> "$name.err") || rc=$?
  fi
  t1=$(date +%s.%N)
  echo "$rc" > "$dir/$name.rc"
  if [[ $dir == . ]]; then
    NCASES=$((NCASES + 1))
    [[ $rc == 0 || $rc == 255 ]] || echo "WARNING: $name exited $rc (move it to quirks?)" >&2
  fi
  if awk -v a="$t0" -v b="$t1" 'BEGIN{exit !(b-a>2)}'; then SLOW+=("$name"); fi
}
# c NAME INPUT ARGS...  (input becomes the last argv element)
c() { local name=$1 in=$2; shift 2; run_case . "$name" "" "$@" "$in"; }
# cs NAME INPUT ARGS... (input on stdin)
cs() { local name=$1 in=$2; shift 2; run_case . "$name" "$in" "$@"; }
# q NAME INPUT ARGS...  (quirk: Ripser crashes; stored under quirks/)
q() { local name=$1 in=$2; shift 2; run_case quirks "$name" "" "$@" "$in"; }

crlf() { sed 's/$/\r/' "$1" > "$2"; }

# ---------------------------------------------------------------- generated inputs
$DS one circle  $I/circle25.csv  --n 25  --seed 3
$DS one circle  $I/circle40.csv  --n 40  --seed 1
$DS one circle  $I/circle60n.csv --n 60  --seed 2 --noise 0.1
$DS one torus   $I/torus60.csv   --n 60  --seed 1
$DS one torus   $I/torus100.csv  --n 100 --seed 2
$DS one torus   $I/torus150.csv  --n 150 --seed 3
$DS one sphere  $I/sphere40.csv  --n 40  --seed 1
$DS one sphere  $I/sphere80.csv  --n 80  --seed 2 --noise 0.02
$DS one rp2     $I/rp2_50.csv    --n 50  --seed 1
$DS one rp2     $I/rp2_80.csv    --n 80  --seed 2
$DS one rp2     $I/rp2_120.csv   --n 120 --seed 3
$DS one grid2   $I/grid2_3.csv   --side 3
$DS one grid2   $I/grid2_4.csv   --side 4
$DS one grid2   $I/grid2_5.csv   --side 5
$DS one grid2   $I/grid2_7.csv   --side 7
$DS one grid3   $I/grid3_3.csv   --side 3
$DS one uniform $I/unif8d_30.csv --n 30 --seed 1 --dim 8
$DS one uniform $I/unif2d_20.csv --n 20 --seed 2 --dim 2
$DS one circle  $I/circle20_tiny.csv  --n 20 --seed 4 --scale 1e-4
$DS one circle  $I/circle20_huge.csv  --n 20 --seed 5 --scale 1e6
$DS one uniform $I/unif3d_tiny.csv --n 15 --seed 3 --dim 3 --scale 3e-6
$DS one matrix  $I/random12.ldm  --n 12 --seed 1
$DS one matrix  $I/random20.ldm  --n 20 --seed 2
$DS one matrix  $I/random30.ldm  --n 30 --seed 3
$DS one matrix  $I/random45.ldm  --n 45 --seed 4
$DS one matrix  $I/random60.ldm  --n 60 --seed 5

for base in circle25 grid2_4 rp2_50 torus60 sphere40; do
  $DS convert --to lower-distance "$I/$base.csv" "$I/$base.ldm"
  $DS convert --to upper-distance "$I/$base.csv" "$I/$base.udm"
  $DS convert --to distance       "$I/$base.csv" "$I/$base.dm"
  $DS convert --to sparse         "$I/$base.csv" "$I/$base.sparse"
  $DS convert --to dipha          "$I/$base.csv" "$I/$base.dipha"
  $DS convert --to binary         "$I/$base.csv" "$I/$base.bin"
done

# ---------------------------------------------------------------- hand-written inputs
printf '1.5,2\n' > $I/p1.csv
printf '0,0\n3,4\n' > $I/p2.csv
printf '1,1,1\n1,1,1\n' > $I/p2dup.csv
printf '0,0\n1,0\n0,1\n' > $I/p3.csv
printf '0\n1\n3\n4.5\n7\n11\n' > $I/line1d.csv
printf '1\n' > $I/one.ldm
printf '2\n' > $I/two_points.dm_lower                       # lower-distance, n = 2
printf '1,2,3\n' > $I/tri.ldm
printf '1,2,3,4\n' > $I/four_values.ldm                      # not triangular: n = 3, 4th value dangles
printf '1,2,3,4,5\n' > $I/five_values.ldm                      # not triangular: n = 3
printf '1,2,3,4,5,6,7,8\n' > $I/eight_values.ldm             # not triangular: n = 4
printf '1,\n1.41421356,1,\n1,1.41421356,1,\n' > $I/square.ldm  # 4-cycle with diagonals
printf '1\n2 1\n2 2 1\n1 2 2 1\n' > $I/pentagon_space.ldm    # 5-cycle, space separated
printf '1e0;2.5E-1\n+3.0;.5;0.75;1e+0\n' > $I/exp_notation.ldm
printf '0,1,2,2\n1,0,2,2\n2,2,0,1\n2,2,1,0\n' > $I/two_clusters.dm
printf '0\n1\n2,3\n4,5,6\n' > $I/ragged.dm                     # distance format, lower part only
printf '0\n\n2,3\n4,5,6\n' > $I/empty_line.dm                  # an empty line still counts as a row
printf '0,9,9\n1,0,9,9,9\n2,3,0,9\n4,5,6,0,99\n' > $I/extra_cols.dm
printf '0 1 1\n1 2 5\n' > $I/quirk.sparse                      # the dim-0 threshold quirk
printf '0 1 1\n1 2 1\n2 3 1\n3 0 1\n0 2 1.5\n' > $I/square.sparse
printf '0 1 1\n1 2 1\n2 0 1\n3 4 2\n4 5 2\n5 3 2\n' > $I/two_triangles.sparse   # disconnected
printf '0 0 7\n0 1 1\n1 1 3\n1 2 2\n2 0 2.5\n' > $I/selfloops.sparse
printf '0,1,1\n1,2,1\n2,3,1\n3,4,1\n4,0,1\n' > $I/pentagon_comma.sparse
printf '0 1 1\n2 3 1\n' > $I/gap.sparse                        # index 4.. absent, n = 4
printf '0 6 1\n' > $I/isolated.sparse                          # points 1..5 isolated
printf '0 0 1\n' > $I/selfonly.sparse                          # 0 points

# format variants of circle25
awk 'BEGIN{print "x,y"} {print}' $I/circle25.csv > $I/circle25_header.csv
crlf $I/circle25.csv $I/circle25_crlf.csv
sed 's/,/, /g' $I/circle25.csv > $I/circle25_commaspace.csv
sed 's/$/,/' $I/circle25.csv > $I/circle25_trailing.csv
sed 's/,/ /g' $I/circle25.csv > $I/circle25_space.csv
sed 's/,/\t/g' $I/circle25.csv > $I/circle25_tab.csv
awk '{print} NR%5==0{print ""}' $I/circle25.csv > $I/circle25_blanklines.csv
crlf $I/circle25.ldm $I/circle25_crlf.ldm
crlf $I/circle25.dm $I/circle25_crlf.dm
crlf $I/circle25.sparse $I/circle25_crlf.sparse
crlf $I/grid2_4.udm $I/grid2_4_crlf.udm
sed 's/,/, /g' $I/grid2_4.ldm > $I/grid2_4_commaspace.ldm
tr '\n' ',' < $I/grid2_4.ldm > $I/grid2_4_oneline.ldm          # one line, trailing commas
sed 's/,/ /g' $I/grid2_4.dm > $I/grid2_4_space.dm
sed 's/,/, /g; s/$/,/' $I/rp2_50.csv > $I/rp2_50_commaspace_trailing.csv
# duplicate points: circle25 with its first 6 points repeated, grid with every point twice
cat $I/circle25.csv > $I/circle25_dups.csv; head -6 $I/circle25.csv >> $I/circle25_dups.csv
awk '{print; print}' $I/grid2_3.csv > $I/grid2_3_doubled.csv
# binary whose values are all > 0 (README finding (a)) and a dipha file with +inf entries
python3 - "$I" <<'EOF'
import struct, sys
d = sys.argv[1]
open(d + "/tri_positive.bin", "wb").write(struct.pack("<3f", 1, 2, 3))
open(d + "/five_positive.bin", "wb").write(struct.pack("<5f", 1, 2, 3, 4, 5))  # + EOF zero = 6 = n 4
open(d + "/six_positive.bin", "wb").write(struct.pack("<6f", 1.5, 2, 2.5, 3, 3.5, 4))
inf = float("inf")
m = [[0, 1, inf, 4], [1, 0, 2, inf], [inf, 2, 0, 3], [4, inf, 3, 0]]
with open(d + "/inf4.dipha", "wb") as f:
    f.write(struct.pack("<qqq", 8067171840, 7, 4))
    for r in m:
        f.write(struct.pack("<4d", *r))
with open(d + "/bad_magic.dipha", "wb") as f:
    f.write(struct.pack("<qqq", 1234, 7, 2) + struct.pack("<4d", 0, 1, 1, 0))
with open(d + "/bad_type.dipha", "wb") as f:
    f.write(struct.pack("<qqq", 8067171840, 6, 2) + struct.pack("<4d", 0, 1, 1, 0))
EOF
: > $I/empty.txt

# ================================================================ cases
# --- point clouds, dense path (value range + enclosing radius)
c pc_circle25_d1            $I/circle25.csv   --format point-cloud
c pc_circle25_d0            $I/circle25.csv   --format point-cloud --dim 0
c pc_circle25_d2            $I/circle25.csv   --format point-cloud --dim 2
c pc_circle40_d1            $I/circle40.csv   --format point-cloud --dim 1
c pc_circle40_d2            $I/circle40.csv   --format point-cloud --dim 2
c pc_circle60n_d2           $I/circle60n.csv  --format point-cloud --dim 2
c pc_torus60_d1             $I/torus60.csv    --format point-cloud
c pc_torus60_d2             $I/torus60.csv    --format point-cloud --dim 2
c pc_torus100_d2            $I/torus100.csv   --format point-cloud --dim 2
c pc_torus150_d1            $I/torus150.csv   --format point-cloud --dim 1
c pc_sphere40_d2            $I/sphere40.csv   --format point-cloud --dim 2
c pc_sphere40_d3            $I/sphere40.csv   --format point-cloud --dim 3
c pc_sphere80_d2            $I/sphere80.csv   --format point-cloud --dim 2
c pc_rp2_50_d2              $I/rp2_50.csv     --format point-cloud --dim 2
c pc_rp2_80_d2              $I/rp2_80.csv     --format point-cloud --dim 2
c pc_rp2_120_d2             $I/rp2_120.csv    --format point-cloud --dim 2
c pc_unif8d_30_d3           $I/unif8d_30.csv  --format point-cloud --dim 3
c pc_unif2d_20_d2           $I/unif2d_20.csv  --format point-cloud --dim 2
c pc_tiny_circle_d1         $I/circle20_tiny.csv --format point-cloud
c pc_huge_circle_d1         $I/circle20_huge.csv --format point-cloud
c pc_tiny_unif3d_d2         $I/unif3d_tiny.csv   --format point-cloud --dim 2
c pc_line1d_d1              $I/line1d.csv     --format point-cloud
c pc_p2                     $I/p2.csv         --format point-cloud
c pc_p2_d0                  $I/p2.csv         --format point-cloud --dim 0
c pc_p2_d3                  $I/p2.csv         --format point-cloud --dim 3
c pc_p2dup                  $I/p2dup.csv      --format point-cloud
c pc_p3_d2                  $I/p3.csv         --format point-cloud --dim 2
# --- integer grids: massive ties
c grid2_3_d1                $I/grid2_3.csv    --format point-cloud
c grid2_4_d1                $I/grid2_4.csv    --format point-cloud
c grid2_4_d2                $I/grid2_4.csv    --format point-cloud --dim 2
c grid2_5_d2                $I/grid2_5.csv    --format point-cloud --dim 2
c grid2_7_d1                $I/grid2_7.csv    --format point-cloud --dim 1
c grid2_7_d2                $I/grid2_7.csv    --format point-cloud --dim 2
c grid3_3_d1                $I/grid3_3.csv    --format point-cloud --dim 1
c grid3_3_d2                $I/grid3_3.csv    --format point-cloud --dim 2
c grid3_3_d3                $I/grid3_3.csv    --format point-cloud --dim 3
c grid2_5_t1                $I/grid2_5.csv    --format point-cloud --dim 2 --threshold 1
c grid2_5_t1.5              $I/grid2_5.csv    --format point-cloud --dim 2 --threshold 1.5
c grid2_7_t1.4142135        $I/grid2_7.csv    --format point-cloud --dim 2 --threshold 1.4142135
c grid2_7_t2                $I/grid2_7.csv    --format point-cloud --dim 2 --threshold 2
c grid3_3_t1.5_d3           $I/grid3_3.csv    --format point-cloud --dim 3 --threshold 1.5
c grid3_3_t1_d2             $I/grid3_3.csv    --format point-cloud --dim 2 --threshold 1
c grid2_5_m3_d2             $I/grid2_5.csv    --format point-cloud --dim 2 --modulus 3
c grid3_3_m5_d2             $I/grid3_3.csv    --format point-cloud --dim 2 --modulus 5
c grid2_5_r1.2              $I/grid2_5.csv    --format point-cloud --ratio 1.2
c grid2_3_doubled_d2        $I/grid2_3_doubled.csv --format point-cloud --dim 2
c grid2_3_doubled_t1        $I/grid2_3_doubled.csv --format point-cloud --dim 1 --threshold 1
c grid2_4_ldm_d2            $I/grid2_4.ldm    --format lower-distance --dim 2
# --- thresholds on point clouds: sparse path, no value-range header; infinite intervals in dim >= 1
c pc_circle40_t0.3          $I/circle40.csv   --format point-cloud --threshold 0.3
c pc_circle40_t0.5          $I/circle40.csv   --format point-cloud --threshold 0.5
c pc_circle40_t0.5_d2       $I/circle40.csv   --format point-cloud --threshold 0.5 --dim 2
c pc_circle40_t1            $I/circle40.csv   --format point-cloud --threshold 1
c pc_circle40_t3            $I/circle40.csv   --format point-cloud --threshold 3
c pc_circle60n_t0.6         $I/circle60n.csv  --format point-cloud --threshold 0.6
c pc_circle25_t0            $I/circle25.csv   --format point-cloud --threshold 0
c pc_torus60_t0.8_d2        $I/torus60.csv    --format point-cloud --threshold 0.8 --dim 2
c pc_torus100_t1_d2         $I/torus100.csv   --format point-cloud --threshold 1 --dim 2
c pc_torus100_t1.3_d2       $I/torus100.csv   --format point-cloud --threshold 1.3 --dim 2
c pc_torus150_t1.2_d2       $I/torus150.csv   --format point-cloud --threshold 1.2 --dim 2
c pc_torus150_t0.9_d1       $I/torus150.csv   --format point-cloud --threshold 0.9
c pc_sphere80_t0.7_d2       $I/sphere80.csv   --format point-cloud --threshold 0.7 --dim 2
c pc_rp2_80_t0.8_d2         $I/rp2_80.csv     --format point-cloud --threshold 0.8 --dim 2
c pc_unif8d_30_t1_d2        $I/unif8d_30.csv  --format point-cloud --threshold 1 --dim 2
c pc_p1_t1                  $I/p1.csv         --format point-cloud --threshold 1
c pc_p2_t1                  $I/p2.csv         --format point-cloud --threshold 1
c pc_p2_t5                  $I/p2.csv         --format point-cloud --threshold 5
c pc_tiny_circle_t2e-5      $I/circle20_tiny.csv --format point-cloud --threshold 2e-5
c pc_threshold_exp          $I/circle40.csv   --format point-cloud --threshold 5e-1
# --- ratio
c pc_circle40_r1.5          $I/circle40.csv   --format point-cloud --ratio 1.5
c pc_circle40_r3_d2         $I/circle40.csv   --format point-cloud --ratio 3 --dim 2
c pc_torus100_r1.3_d2       $I/torus100.csv   --format point-cloud --ratio 1.3 --dim 2
c pc_torus100_r2_t1.3       $I/torus100.csv   --format point-cloud --ratio 2 --threshold 1.3 --dim 2
c pc_circle25_r0.5          $I/circle25.csv   --format point-cloud --ratio 0.5
c pc_circle25_r10_d0        $I/circle25.csv   --format point-cloud --ratio 10 --dim 0
c ldm_random30_r1.1_d2      $I/random30.ldm   --format lower-distance --ratio 1.1 --dim 2
# --- coefficients: RP^2 over Z/2, Z/3, Z/5 and others
c rp2_50_m2_d2              $I/rp2_50.csv     --format point-cloud --dim 2 --modulus 2
c rp2_50_m3_d2              $I/rp2_50.csv     --format point-cloud --dim 2 --modulus 3
c rp2_50_m5_d2              $I/rp2_50.csv     --format point-cloud --dim 2 --modulus 5
c rp2_80_m3_d2              $I/rp2_80.csv     --format point-cloud --dim 2 --modulus 3
c rp2_120_m3_d2             $I/rp2_120.csv    --format point-cloud --dim 2 --modulus 3
c rp2_120_m5_d2             $I/rp2_120.csv    --format point-cloud --dim 2 --modulus 5
c rp2_80_m3_t0.8_d2         $I/rp2_80.csv     --format point-cloud --dim 2 --modulus 3 --threshold 0.8
c rp2_50_ldm_m3_d2          $I/rp2_50.ldm     --format lower-distance --dim 2 --modulus 3
c rp2_50_dipha_m3_d2        $I/rp2_50.dipha   --format dipha --dim 2 --modulus 3
c torus60_m3_d2             $I/torus60.csv    --format point-cloud --dim 2 --modulus 3
c torus100_m5_t1.3_d2       $I/torus100.csv   --format point-cloud --dim 2 --modulus 5 --threshold 1.3
c circle40_m3_r1.5          $I/circle40.csv   --format point-cloud --modulus 3 --ratio 1.5
c sphere40_m7_d2            $I/sphere40.csv   --format point-cloud --dim 2 --modulus 7
c random20_m3_d3            $I/random20.ldm   --format lower-distance --dim 3 --modulus 3
c random30_m251_d2          $I/random30.ldm   --format lower-distance --dim 2 --modulus 251
c quirk_sparse_m3           $I/quirk.sparse   --format sparse --threshold 2 --modulus 3
c square_sparse_m5          $I/square.sparse  --format sparse --modulus 5
# --- lower-distance
c ldm_random12_d1           $I/random12.ldm   --format lower-distance
c ldm_random12_d3           $I/random12.ldm   --format lower-distance --dim 3
c ldm_random20_d2           $I/random20.ldm   --format lower-distance --dim 2
c ldm_random30_d2           $I/random30.ldm   --format lower-distance --dim 2
c ldm_random45_d2           $I/random45.ldm   --format lower-distance --dim 2
c ldm_random60_d1           $I/random60.ldm   --format lower-distance --dim 1
c ldm_random20_t0.4_d2      $I/random20.ldm   --format lower-distance --dim 2 --threshold 0.4
c ldm_random45_t0.3_d2      $I/random45.ldm   --format lower-distance --dim 2 --threshold 0.3
c ldm_circle25_d1           $I/circle25.ldm   --format lower-distance
c ldm_circle25_t0.5         $I/circle25.ldm   --format lower-distance --threshold 0.5
c ldm_torus60_d2            $I/torus60.ldm    --format lower-distance --dim 2
c ldm_torus60_t1_d2         $I/torus60.ldm    --format lower-distance --dim 2 --threshold 1
c ldm_sphere40_d2           $I/sphere40.ldm   --format lower-distance --dim 2
c ldm_one_value             $I/one.ldm        --format lower-distance
c ldm_two_points_d0         $I/two_points.dm_lower --format lower-distance --dim 0
c ldm_tri                   $I/tri.ldm        --format lower-distance --dim 2
c ldm_four_values           $I/four_values.ldm  --format lower-distance
c ldm_four_values_t10       $I/four_values.ldm  --format lower-distance --threshold 10
c ldm_five_values_d2        $I/five_values.ldm  --format lower-distance --dim 2
c ldm_eight_values_d2       $I/eight_values.ldm --format lower-distance --dim 2
c ldm_square                $I/square.ldm     --format lower-distance
c ldm_square_t1             $I/square.ldm     --format lower-distance --threshold 1
c ldm_pentagon_space        $I/pentagon_space.ldm --format lower-distance --dim 2
c ldm_exp_notation          $I/exp_notation.ldm --format lower-distance --dim 2
c ldm_circle25_crlf         $I/circle25_crlf.ldm --format lower-distance
c ldm_grid2_4_commaspace    $I/grid2_4_commaspace.ldm --format lower-distance --dim 2
c ldm_grid2_4_oneline       $I/grid2_4_oneline.ldm --format lower-distance --dim 2
c ldm_threshold_inf         $I/random12.ldm   --format lower-distance --threshold inf
c ldm_format_lowerxyz       $I/random12.ldm   --format lowerxyz
c ldm_format_lower          $I/random12.ldm   --format lower --dim 2
c ldm_empty_t1              $I/empty.txt      --format lower-distance --threshold 1
# --- upper-distance
c udm_circle25              $I/circle25.udm   --format upper-distance
c udm_grid2_4_d2            $I/grid2_4.udm    --format upper-distance --dim 2
c udm_rp2_50_d2             $I/rp2_50.udm     --format upper-distance --dim 2
c udm_torus60_t1_d2         $I/torus60.udm    --format upper-distance --threshold 1 --dim 2
c udm_sphere40_d2           $I/sphere40.udm   --format upper-distance --dim 2
c udm_grid2_4_crlf          $I/grid2_4_crlf.udm --format upper-distance
c udm_random12_as_upper     $I/random12.ldm   --format upper --dim 2
c udm_four_values           $I/four_values.ldm --format upper-distance
# --- distance (full matrix, the default format)
c dm_default_circle25       $I/circle25.dm
c dm_circle25_explicit      $I/circle25.dm    --format distance --dim 2
c dm_grid2_4_d2             $I/grid2_4.dm     --format dist --dim 2
c dm_rp2_50_d2              $I/rp2_50.dm      --dim 2
c dm_torus60_t1.1_d2        $I/torus60.dm     --dim 2 --threshold 1.1
c dm_sphere40_d2            $I/sphere40.dm    --format distance --dim 2
c dm_two_clusters           $I/two_clusters.dm
c dm_two_clusters_t1.5      $I/two_clusters.dm --threshold 1.5
c dm_ragged                 $I/ragged.dm      --dim 2
c dm_empty_line             $I/empty_line.dm
c dm_extra_cols             $I/extra_cols.dm  --dim 2
c dm_circle25_crlf          $I/circle25_crlf.dm
c dm_grid2_4_space          $I/grid2_4_space.dm --dim 2
# --- point-cloud syntax variants
c pc_header                 $I/circle25_header.csv     --format point-cloud
c pc_header_t0.5            $I/circle25_header.csv     --format point-cloud --threshold 0.5
c pc_crlf                   $I/circle25_crlf.csv       --format point-cloud
c pc_commaspace             $I/circle25_commaspace.csv --format point-cloud
c pc_trailing               $I/circle25_trailing.csv   --format point-cloud
c pc_space                  $I/circle25_space.csv      --format point-cloud
c pc_tab                    $I/circle25_tab.csv        --format point-cloud
c pc_blanklines             $I/circle25_blanklines.csv --format point-cloud
c pc_dups                   $I/circle25_dups.csv       --format point-cloud
c pc_dups_d2_t1             $I/circle25_dups.csv       --format point-cloud --dim 2 --threshold 1
c pc_rp2_commaspace_trailing $I/rp2_50_commaspace_trailing.csv --format point-cloud --dim 2
c pc_format_point           $I/circle25.csv            --format point
c pc_format_pointcloudx     $I/circle25.csv            --format pointcloudx --dim 0
# --- sparse
c sparse_quirk_t2           $I/quirk.sparse   --format sparse --threshold 2
c sparse_quirk_t2_d0        $I/quirk.sparse   --format sparse --threshold 2 --dim 0
c sparse_quirk              $I/quirk.sparse   --format sparse
c sparse_square             $I/square.sparse  --format sparse
c sparse_square_t1          $I/square.sparse  --format sparse --threshold 1
c sparse_square_d2          $I/square.sparse  --format sparse --dim 2
c sparse_two_triangles      $I/two_triangles.sparse --format sparse --dim 2
c sparse_two_triangles_t1.5 $I/two_triangles.sparse --format sparse --threshold 1.5
c sparse_selfloops          $I/selfloops.sparse --format sparse
c sparse_pentagon_comma     $I/pentagon_comma.sparse --format sparse --dim 2
c sparse_gap                $I/gap.sparse     --format sparse
c sparse_isolated           $I/isolated.sparse --format sparse
c sparse_selfonly           $I/selfonly.sparse --format sparse
c sparse_empty              $I/empty.txt      --format sparse
c sparse_circle25           $I/circle25.sparse --format sparse
c sparse_circle25_t0.5      $I/circle25.sparse --format sparse --threshold 0.5
c sparse_circle25_crlf      $I/circle25_crlf.sparse --format sparse
c sparse_grid2_4_d2         $I/grid2_4.sparse --format sparse --dim 2
c sparse_grid2_4_t1_d2      $I/grid2_4.sparse --format sparse --dim 2 --threshold 1
c sparse_torus60_t1_d2      $I/torus60.sparse --format sparse --dim 2 --threshold 1
c sparse_rp2_50_t0.9_d2     $I/rp2_50.sparse  --format sparse --dim 2 --threshold 0.9
c sparse_sphere40_d2_r1.2   $I/sphere40.sparse --format sparse --dim 2 --ratio 1.2
# --- dipha
c dipha_circle25            $I/circle25.dipha --format dipha
c dipha_grid2_4_d2          $I/grid2_4.dipha  --format dipha --dim 2
c dipha_rp2_50_d2           $I/rp2_50.dipha   --format dipha --dim 2
c dipha_torus60_t1_d2       $I/torus60.dipha  --format dipha --dim 2 --threshold 1
c dipha_sphere40_d2         $I/sphere40.dipha --format dipha --dim 2
c dipha_inf                 $I/inf4.dipha     --format dipha --dim 2
c dipha_inf_t2.5            $I/inf4.dipha     --format dipha --threshold 2.5
c dipha_bad_magic           $I/bad_magic.dipha --format dipha
c dipha_bad_type            $I/bad_type.dipha  --format dipha
c dipha_empty               $I/empty.txt      --format dipha
# --- binary (note: Ripser's reader appends one extra 0 value at EOF)
c binary_circle25           $I/circle25.bin   --format binary
c binary_grid2_4_d2         $I/grid2_4.bin    --format binary --dim 2
c binary_rp2_50_d2          $I/rp2_50.bin     --format binary --dim 2
c binary_torus60_t1_d2      $I/torus60.bin    --format binary --dim 2 --threshold 1
c binary_sphere40_d2        $I/sphere40.bin   --format binary --dim 2
c binary_tri_positive       $I/tri_positive.bin --format binary
c binary_tri_positive_t10   $I/tri_positive.bin --format binary --threshold 10
c binary_five_positive_d2   $I/five_positive.bin --format binary --dim 2
c binary_six_positive_d2    $I/six_positive.bin --format binary --dim 2
c binary_empty              $I/empty.txt      --format binary
# --- stdin
cs stdin_circle25_pc        $I/circle25.csv   --format point-cloud
cs stdin_random12_ldm       $I/random12.ldm   --format lower-distance --dim 2
cs stdin_quirk_sparse       $I/quirk.sparse   --format sparse --threshold 2
# --- option order and parsing
run_case . opt_file_first "" $I/circle25.csv --dim 2 --format point-cloud
run_case . opt_file_middle "" --format point-cloud $I/circle25.csv --threshold 0.8
c opt_dim_repeated          $I/circle25.csv   --format point-cloud --dim 2 --dim 0
c opt_format_repeated       $I/circle25.csv   --format lower --format point-cloud
c opt_threshold_int         $I/grid2_4.csv    --format point-cloud --threshold 1 --dim 2
c opt_dim_plus              $I/grid2_4.csv    --format point-cloud --dim +2
c opt_dim_leading_space     $I/grid2_4.csv    --format point-cloud --dim " 2"
c opt_threshold_hex         $I/grid2_4.csv    --format point-cloud --threshold 0x1p0
c opt_ratio_exp             $I/circle40.csv   --format point-cloud --ratio 1.5e0
c opt_dim_large             $I/p3.csv         --format point-cloud --dim 7
# --- errors (stdout empty, exit 255)
c err_format_unknown        $I/circle25.csv   --format csv
c err_format_dipha_prefix   $I/circle25.csv   --format diph
c err_dim_trailing          $I/circle25.csv   --format point-cloud --dim 2x
c err_dim_float             $I/circle25.csv   --format point-cloud --dim 1.5
c err_threshold_trailing    $I/circle25.csv   --format point-cloud --threshold 1.5x
c err_ratio_trailing        $I/circle25.csv   --format point-cloud --ratio 2,
c err_modulus_4             $I/circle25.csv   --format point-cloud --modulus 4
c err_modulus_1             $I/circle25.csv   --format point-cloud --modulus 1
c err_modulus_0             $I/circle25.csv   --format point-cloud --modulus 0
c err_two_files             $I/circle25.csv   --format point-cloud $I/circle40.csv
c err_missing_file          $I/does_not_exist.csv --format point-cloud
c err_help                  $I/circle25.csv   --help
c err_help_first            $I/circle25.csv   --help --format csv

# ---------------------------------------------------------------- quirks (crashes: not to be replicated)
cp $I/empty.txt $I/p1.csv $I/random12.ldm quirks/inputs/
q empty_lower        inputs/empty.txt     --format lower-distance
q empty_distance     inputs/empty.txt     --format distance
q empty_upper        inputs/empty.txt     --format upper-distance
q empty_point_cloud  inputs/empty.txt     --format point-cloud
q one_point_dense    inputs/p1.csv        --format point-cloud
q dim_negative       inputs/random12.ldm  --format lower-distance --dim -1
q dim_not_a_number   inputs/random12.ldm  --format lower-distance --dim abc
q threshold_nan_text inputs/random12.ldm  --format lower-distance --threshold abc
q ratio_not_a_number inputs/random12.ldm  --format lower-distance --ratio x

echo "$NCASES cases in $OUT ($(ls quirks/*.args | wc -l) quirks); size $(du -sh . | cut -f1)"
if ((${#SLOW[@]})); then echo "cases slower than 2 s: ${SLOW[*]}" >&2; fi
