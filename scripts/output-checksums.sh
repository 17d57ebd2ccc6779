#!/usr/bin/env bash
# Checksums of the outputs a refactor must leave unchanged to the bit (issue 13): localize's JSON
# over every bundled sample (files in sorted order, output concatenated), one --track CSV, and one
# Jeffress-activity SVG. Usage: scripts/output-checksums.sh [path/to/soundloc]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/soundloc}
SAMPLE=audio-samples/kemar-anechoic_noise_az45.wav
export LC_ALL=C
mapfile -t FILES < <(ls audio-samples/*.wav | sort)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
json=$("$BIN" localize --format json --jobs 1 "${FILES[@]}" | sha256sum | cut -d' ' -f1)
track=$("$BIN" localize --track --format csv "$SAMPLE" | sha256sum | cut -d' ' -f1)
"$BIN" plot activity "$SAMPLE" -o "$TMP/activity.svg" >/dev/null
svg=$(sha256sum < "$TMP/activity.svg" | cut -d' ' -f1)
echo "localize-json-all-samples $json"
echo "track-csv $track"
echo "activity-svg $svg"
