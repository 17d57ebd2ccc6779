#!/usr/bin/env bash
# Regenerates every picture in docs/figures from the model itself (`make figures` runs it).
# Usage: scripts/make-figures.sh [path/to/soundloc]
# Needs sox (to join and mix test sounds). All sounds come from fixed seeds, so the pictures are
# the same on every run. The development-set figure is drawn only where devset/ was built.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
soundloc="${1:-$root/.build/release/soundloc}"
soundloc="$(cd "$(dirname "$soundloc")" && pwd)/$(basename "$soundloc")"
out="$root/docs/figures"
samples="$root/audio-samples"
manifest="$samples/manifest.csv"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
cd "$root"

# The pure-ITD sounds carry the ITDs of Woodworth's spherical head, so they are read with that head.
woodworth=(--head-radius-cm 8.75)

# 1. The Jeffress array at work: broadband noise 45 degrees right (pure ITD, +381 us).
"$soundloc" plot activity audio-samples/pure-itd_noise_az45.wav --true-azimuth 45 "${woodworth[@]}" \
  --title "Jeffress array: noise 45 degrees right" -o "$out/jeffress-activity.svg"
# The same for a harmonic complex (220 Hz) 30 degrees left: its ghosts sit one period away.
"$soundloc" plot activity audio-samples/pure-itd_harmonic_az-30.wav --true-azimuth -30 "${woodworth[@]}" \
  --title "Jeffress array: harmonic complex (220 Hz) 30 degrees left" -o "$out/jeffress-activity-harmonic.svg"
# A noise through the KEMAR dummy head's HRTF, read with the shipped KEMAR calibration (the default).
"$soundloc" plot activity audio-samples/kemar-anechoic_noise_az45.wav --true-azimuth 45 \
  --title "Jeffress array: noise 45 degrees right through KEMAR's HRTF" -o "$out/jeffress-activity-kemar.svg"

# 2. Auditory-nerve spikes of both ears, 75 degrees right (ITD +580 us). 16 instead of 4
#    high-spontaneous-rate fibres per channel, so that the phase locking shows.
"$soundloc" plot raster audio-samples/pure-itd_harmonic_az75.wav "${woodworth[@]}" --high-sr-fibres 16 --duration-ms 12 \
  --raster-hz 300,500,800 --title "Auditory-nerve spikes: harmonic complex 75 degrees right" -o "$out/spike-raster.svg"

# 3. A sound that jumps: noise at -60, -20, 20 and 60 degrees, 0.5 s each, joined end to end.
"$soundloc" synth noise -o "$tmp/noise2s.wav" --duration 0.5 --seed 21 --level -26
parts=()
for az in -60 -20 20 60; do
  "$soundloc" render "$tmp/noise2s.wav" --azimuth "$az" --woodworth -o "$tmp/part$az.wav"
  parts+=("$tmp/part$az.wav")
done
sox -V1 "${parts[@]}" "$tmp/jumps.wav"
"$soundloc" plot track "$tmp/jumps.wav" "${woodworth[@]}" --true-track 0:-60,0.5:-20,1:20,1.5:60 \
  --title "Direction over time: noise jumping -60, -20, 20, 60 degrees" -o "$out/direction-track.svg"

# 4. Temporal against rate code. Estimates: the KEMAR renderings of the sample set (every condition
#    whose name starts with kemar, column 3 of the manifest), with the default settings.
kemar=()
files=()
while IFS=, read -r file _ condition _; do
  case "$condition" in
    kemar*) kemar+=("audio-samples/$file") ;;
    pure-itd) files+=("audio-samples/$file") ;;
  esac
done < <(tail -n +2 "$manifest")
"$soundloc" localize --format csv "${kemar[@]}" > "$tmp/kemar.csv"
"$soundloc" plot estimates "$tmp/kemar.csv" --manifest "$manifest" \
  --title "Estimated against true azimuth (KEMAR samples, 10 ms rate windows)" -o "$out/estimates-vs-true.svg" \
  | sed 's/^/estimates: /'

# The sweeps below use the 12 pure-ITD samples, read with Woodworth's head.

# Error against SNR: each sample plus independent noise at each ear (seeds 101, 102), the noise
# level set relative to the samples' -26 dB FS.
pairs=()
for snr in 20 10 5 0 -5; do
  level=$(awk -v s="$snr" 'BEGIN { print -26 - s }')
  "$soundloc" synth noise -o "$tmp/nl.wav" --duration 1 --seed 101 --level "$level"
  "$soundloc" synth noise -o "$tmp/nr.wav" --duration 1 --seed 102 --level "$level"
  sox -V1 -M "$tmp/nl.wav" "$tmp/nr.wav" "$tmp/noise.wav"
  mkdir -p "$tmp/snr$snr"
  noisy=()
  for f in "${files[@]}"; do
    sox -V1 -m -v 1 "$f" -v 1 "$tmp/noise.wav" -b 32 -e floating-point "$tmp/snr$snr/$(basename "$f")"
    noisy+=("$tmp/snr$snr/$(basename "$f")")
  done
  "$soundloc" localize --format csv "${woodworth[@]}" "${noisy[@]}" > "$tmp/snr$snr.csv"
  pairs+=("$snr=$tmp/snr$snr.csv")
done
# "--" ends the options, so that a pair like -5=... is not read as one.
"$soundloc" plot errors --manifest "$manifest" --x-label "signal-to-noise ratio (dB)" \
  --title "Error against SNR (pure-ITD samples, independent noise at each ear)" -o "$out/error-vs-snr.svg" -- "${pairs[@]}" | sed 's/^/snr: /'

# Error against the rate code's window width (the temporal code does not use it).
pairs=()
for ms in 0.05 0.1 0.2 0.5 1 2 5 10 20; do
  "$soundloc" localize --format csv "${woodworth[@]}" --rate-window-ms "$ms" "${files[@]}" > "$tmp/window$ms.csv"
  pairs+=("$ms=$tmp/window$ms.csv")
done
"$soundloc" plot errors "${pairs[@]}" --manifest "$manifest" --x-label "rate code window width (ms)" --log-x \
  --title "Error against the rate code's window width (pure-ITD samples)" -o "$out/error-vs-window.svg" | sed 's/^/window: /'

# 5. The same sweep on real sounds: the development set (`make devset`; git-ignored, so this runs only
#    where it was built). The rate code is re-trained for each window: `compare` trains the read-outs
#    it lacks into rate-models/ (git-ignored; about 3 minutes the first time) and `localize` reads the
#    same ones, so both score the same rate answers. Files the manifest marks as a microphone pair
#    are localised with --mics, as `compare` reads them (the rate read-out ignores it).
if [[ -f devset/manifest.csv ]]; then
  windows=(0.05 0.1 0.2 0.5 1 2 5 10 20 50)
  "$soundloc" compare devset --jobs 2 --reference gcc-phat --format csv --rate-model-cache rate-models \
    --rate-window "$(IFS=,; echo "${windows[*]}")" > "$tmp/devset-compare.csv"
  # The manifest's file, receiver and mic_spacing_m columns, found by name.
  awk -F, -v dir=devset 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { print dir "/" $col["file"] "," $col["receiver"] "," $col["mic_spacing_m"] }' devset/manifest.csv \
    > "$tmp/devset-files.csv"
  heads=()
  mapfile -t heads < <(awk -F, '$2 != "mics" { print $1 }' "$tmp/devset-files.csv")
  spacings=()
  mapfile -t spacings < <(awk -F, '$2 == "mics" { print $3 }' "$tmp/devset-files.csv" | sort -u)
  pairs=()
  for ms in "${windows[@]}"; do
    model=(--rate-window-ms "$ms")
    # 10 ms is the shipped read-out's window; every other one comes from the cache.
    # Its name carries the rate channels (64 per fibre group), so take the one compare has just written.
    [[ "$ms" == 10 ]] || model+=(--rate-model "$(ls -t rate-models/rate-model-"${ms}"ms-*ch-seed1.json | head -n 1)")
    csv="$tmp/devset-window$ms.csv"
    "$soundloc" localize --format csv --jobs 2 --reference gcc-phat "${model[@]}" "${heads[@]}" > "$csv"
    for d in "${spacings[@]}"; do
      mics=()
      mapfile -t mics < <(awk -F, -v d="$d" '$2 == "mics" && $3 == d { print $1 }' "$tmp/devset-files.csv")
      "$soundloc" localize --format csv --jobs 2 --reference gcc-phat --mics "$d" "${model[@]}" "${mics[@]}" \
        | tail -n +2 >> "$csv"
    done
    pairs+=("$ms=$csv")
  done
  "$soundloc" plot errors "${pairs[@]}" --manifest devset/manifest.csv --x-label "rate code window width (ms)" \
    --log-x --title "Error against the rate code's window width (development set, 360 real sounds)" \
    -o "$out/error-vs-window-devset.svg" | sed 's/^/devset window: /'
  # compare's figures for the same files, to check against the line above.
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } $col["condition"] == "all" {
    print "devset window (compare): " $col["rate_window_ms"] "," $col["temporal_mae_deg"] "," \
      $col["rate_mae_deg"] "," $col["gccphat_mae_deg"] }' "$tmp/devset-compare.csv"
fi

echo "wrote $(ls "$out"/*.svg | wc -l) figures in docs/figures"
