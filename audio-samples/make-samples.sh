#!/usr/bin/env bash
# Rebuilds the labelled sample set in this folder with soundloc itself.
# Usage: audio-samples/make-samples.sh [path/to/soundloc]
# Seeds here (11-12, 21-24 for the sources, 1000+ for added noise) are kept apart from those
# `soundloc calibrate` uses (9000+), so the calibration never sees these sounds.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
soundloc="${1:-$here/../.build/release/soundloc}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Mono sources, synthesised from fixed seeds (the recorded ones come last, below).
"$soundloc" synth noise -o "$tmp/noise.wav" --duration 1 --seed 11 --level -26
"$soundloc" synth harmonic -o "$tmp/harmonic.wav" --duration 1 --f0 220 --seed 12 --level -26
# Shorter sources for the KEMAR renderings (0.5 s keeps the folder under 10 MB).
"$soundloc" synth noise -o "$tmp/k-noise.wav" --duration 0.5 --seed 21 --level -26
"$soundloc" synth harmonic -o "$tmp/k-harmonic.wav" --duration 0.5 --f0 150 --seed 22 --level -26
"$soundloc" synth clicks -o "$tmp/k-clicks.wav" --duration 0.5 --f0 100 --seed 23 --level -26
"$soundloc" synth speechlike -o "$tmp/k-speechlike.wav" --duration 0.5 --f0 120 --seed 24 --level -26

rm -f "$here"/*.wav
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

# KEMAR: convolved with the MIT KEMAR head-related impulse responses (the default --hrtf) at
# elevation 0, then (for kemar-20db and kemar-0db) independent Gaussian noise in each ear at that
# per-ear signal-to-noise ratio. The ITD is whatever the head makes, so itd_us is left empty.
noise_seed=1000
kemar() { # source condition azimuths...
  local source="$1" condition="$2"; shift 2
  local snr_args=()
  case "$condition" in
    kemar-anechoic) ;;
    kemar-20db) snr_args=(--snr 20) ;;
    kemar-0db) snr_args=(--snr 0) ;;
  esac
  for az in "$@"; do
    noise_seed=$((noise_seed + 1))
    name="${condition}_${source}_az${az}.wav"
    "$soundloc" render "$tmp/k-$source.wav" --azimuth "$az" ${snr_args[@]+"${snr_args[@]}"} --seed "$noise_seed" \
      --sample-format pcm16 -o "$here/$name"
    echo "$name,$az,$condition,,$source" >> "$manifest"
  done
}
every15="-90 -75 -60 -45 -30 -15 0 15 30 45 60 75 90"
every30="-90 -60 -30 0 30 60 90"
for condition in kemar-anechoic kemar-20db kemar-0db; do kemar noise "$condition" $every15; done
for condition in kemar-anechoic kemar-0db; do kemar harmonic "$condition" $every30; done
kemar clicks kemar-20db $every30
for condition in kemar-20db kemar-0db; do kemar speechlike "$condition" $every30; done

# Real sounds (issue 14): a recorded voice and a recorded alarm tone from Debian's
# sound-theme-freedesktop (licences in README.md), through KEMAR anechoic and in a room. sox cuts
# them as scripts/make-devset.sh does (leading silence skipped, 5/10 ms fades, `rate -v` to
# 44.1 kHz, -R for repeatable dither) and scales each file's louder ear to a -6 dB FS peak.
fd=/usr/share/sounds/freedesktop/stereo
command -v sox >/dev/null || { echo "make-samples: sox is missing (make samples installs it)" >&2; exit 1; }
real() { # short-name source-file seconds
  [ -f "$2" ] || { echo "make-samples: $2 is missing (package sound-theme-freedesktop; make samples installs it)" >&2; exit 1; }
  sox -V1 -R "$2" -e floating-point -b 32 "$tmp/real-$1.wav" remix - silence 1 0.005 -45d trim 0 "$3" \
    fade q 0.005 "$3" 0.01 rate -v 44100
}
real voice "$fd/audio-channel-front-center.oga" 1.2
real alarm "$fd/alarm-clock-elapsed.oga" 1.0
has_room=0
"$soundloc" render --help | grep -q -- --rt60 && has_room=1
[ "$has_room" = 1 ] || echo "make-samples: this soundloc has no render --room/--rt60: no room samples" >&2
for source in voice alarm; do
  for az in -45 15 60; do
    # Anechoic, and a 5 x 4 x 3 m office with RT60 0.6 s, the source 1.5 m away.
    for condition in real-anechoic real-room-0.6s; do
      case "$condition" in
        real-anechoic) room_args=() ;;
        real-room-0.6s) [ "$has_room" = 1 ] || continue; room_args=(--room 5x4x3 --rt60 0.6 --distance 1.5) ;;
      esac
      name="${condition}_${source}_az${az}.wav"
      "$soundloc" render "$tmp/real-$source.wav" --azimuth "$az" ${room_args[@]+"${room_args[@]}"} \
        --sample-format float32 -o "$tmp/raw.wav" > /dev/null
      sox -V1 -R "$tmp/raw.wav" -b 16 -e signed-integer "$here/$name" gain -n -6
      echo "$name,$az,$condition,,$source" >> "$manifest"
    done
  done
done
echo "wrote $(($(wc -l < "$manifest") - 1)) files and $manifest ($(du -sh "$here" | cut -f1))"
