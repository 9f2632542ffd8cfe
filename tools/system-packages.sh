#!/usr/bin/env bash
# Install the Debian packages the project needs, or say exactly which are missing.
#
# As root: installs what is missing with apt-get (nothing when all are there: a dpkg query, in
# well under a second). Otherwise: prints the apt-get line to run and exits 1.
set -euo pipefail

packages=(
  build-essential python3-dev python3-venv pkg-config   # building pycairo and friends
  libcairo2-dev libpango1.0-dev                         # Manim's Cairo renderer and Pango text
  fonts-dejavu-core                                     # a font for Pango on a bare machine
  ffmpeg                                                # joining segments, mixing the soundtrack
  sox                                                   # manim-voiceover imports pysox, which needs it
  hunspell hunspell-en-us hunspell-en-gb                # spell checks of make review
  texlive-latex-base texlive-latex-extra texlive-fonts-recommended dvisvgm  # MathTex
  chromium                                              # the review page's browser tests (Playwright)
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "Missing system packages. Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
