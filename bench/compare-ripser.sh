#!/usr/bin/env bash
# Differential test of `aura ripser` against a golden corpus of Ripser 1.2.1 outputs.
#
# Usage (from the repository root): bench/compare-ripser.sh CORPUS_DIR [AURA_CMD]
#   CORPUS_DIR  made by bench/make-golden-corpus.sh (or aura-cli/src/test/resources/ripser-golden)
#   AURA_CMD    default ./aura; may contain words ("java -jar x.jar"). Run as `AURA_CMD ripser ARGS`.
#
# For each NAME.args (one argv element per line): every element that starts with `inputs/` is a
# path relative to CORPUS_DIR and is prefixed with it; if NAME.stdin exists, the file it names
# (relative to CORPUS_DIR) is fed on standard input. A case passes when stdout is byte-identical
# to NAME.out and the exit status equals NAME.rc. For a failing case one line is printed:
#   FAIL NAME: stdout=<same|order-only|differs> rc=<got>/<expected>
# where order-only means equal after sorting the interval lines inside each
# `persistence intervals in dim k:` section (the "canonical" comparison).
# Last line: `N passed, M failed`. Exit status 1 if any case failed.
# Env: TIMEOUT (seconds per case, default 120), KEEP=DIR keeps the actual outputs of failing cases.
set -uo pipefail

CORPUS=${1:?usage: compare-ripser.sh CORPUS_DIR [AURA_CMD]}
CORPUS=${CORPUS%/}
read -r -a AURA <<< "${2:-./aura}"
TIMEOUT=${TIMEOUT:-120}
KEEP=${KEEP:-}
[[ -d $CORPUS ]] || { echo "no corpus directory $CORPUS" >&2; exit 2; }
[[ -n $KEEP ]] && mkdir -p "$KEEP"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# canonical FILE: sort interval lines within each "persistence intervals in dim k:" section
canonical() {
  awk -v OFS='\t' '
    /^persistence intervals in dim / { sec++; print sec, 0, sprintf("%09d", NR), $0; next }
    { if (sec > 0 && substr($0, 1, 2) == " [") print sec, 1, $0, $0;
      else print sec, 0, sprintf("%09d", NR), $0 }' "$1" |
    LC_ALL=C sort -t $'\t' -k1,1n -k2,2n -k3,3 | cut -f4-
}

pass=0 fail=0
shopt -s nullglob
for argsfile in "$CORPUS"/*.args; do
  name=$(basename "$argsfile" .args)
  args=()
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line == inputs/* ]] && line="$CORPUS/$line"
    args+=("$line")
  done < "$argsfile"
  stdin=/dev/null
  [[ -f $CORPUS/$name.stdin ]] && stdin="$CORPUS/$(head -n1 "$CORPUS/$name.stdin")"
  rc=0
  # the outer subshell keeps bash's "Segmentation fault" job notices off our stderr
  ( timeout "$TIMEOUT" "${AURA[@]}" ripser "${args[@]}" < "$stdin" > "$TMP/out" 2> "$TMP/err"; exit $? ) 2> /dev/null || rc=$?
  want_rc=$(tr -d '[:space:]' < "$CORPUS/$name.rc")
  if cmp -s "$TMP/out" "$CORPUS/$name.out"; then
    verdict=same
  elif canonical "$TMP/out" > "$TMP/got.canon" && canonical "$CORPUS/$name.out" > "$TMP/want.canon" &&
       cmp -s "$TMP/got.canon" "$TMP/want.canon"; then
    verdict=order-only
  else
    verdict=differs
  fi
  if [[ $verdict == same && $rc == "$want_rc" ]]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name: stdout=$verdict rc=$rc/$want_rc"
    if [[ -n $KEEP ]]; then cp "$TMP/out" "$KEEP/$name.out"; cp "$TMP/err" "$KEEP/$name.err"; fi
  fi
done
echo "$pass passed, $fail failed"
((fail == 0))
