#!/usr/bin/env bash
# Rebuilds the labelled sample set in this folder with soundloc itself.
# Usage: audio-samples/make-samples.sh [path/to/soundloc]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
soundloc="${1:-$here/../.build/release/soundloc}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Mono sources, synthesised from fixed seeds (no recordings, so no licences to track).
"$soundloc" synth noise -o "$tmp/noise.wav" --duration 1 --seed 11 --level -26
"$soundloc" synth harmonic -o "$tmp/harmonic.wav" --duration 1 --f0 220 --seed 12 --level -26

manifest="$here/manifest.csv"
echo "file,azimuth_deg,condition,itd_us,source" > "$manifest"
# Pure ITD: the azimuth's ITD on Woodworth's spherical head (a = 8.75 cm, c = 343 m/s), no level difference.
for source in noise harmonic; do
  for az in -60 -30 0 20 45 75; do
    name="pure-itd_${source}_az${az}.wav"
    "$soundloc" render "$tmp/$source.wav" --azimuth "$az" --woodworth --sample-format pcm16 -o "$here/$name"
    itd=$(python3 -c "import math; t=math.radians($az); print(round(0.0875/343*(t+math.sin(t))*1e6, 1))")
    echo "$name,$az,pure-itd,$itd,$source" >> "$manifest"
  done
done
echo "wrote $(($(wc -l < "$manifest") - 1)) files and $manifest"
