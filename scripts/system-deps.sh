#!/usr/bin/env bash
# Ensure the Debian packages the build needs are present.
# As root: installs what is missing. Otherwise: prints the exact command and fails.
set -euo pipefail
declare -A need=(
  [xelatex]=texlive-xetex
  [latexmk]=latexmk
  [pdftotext]=poppler-utils
  [pdftoppm]=poppler-utils
  [chromium]=chromium
  [node]=nodejs
  [npm]=npm
)
# Packages without a command of their own that the PDF needs.
extra=(texlive-latex-extra texlive-lang-european texlive-fonts-recommended fonts-freefont-otf)
# A browser elsewhere (e.g. Google Chrome on GitHub's runners) can stand in for chromium.
if [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ]; then
  unset 'need[chromium]'
fi
missing=()
for cmd in "${!need[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${need[$cmd]}")
done
for pkg in "${extra[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  echo "system-deps: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "system-deps: missing Debian packages: ${missing[*]}" >&2
  echo "Run as root:  sudo sh -c '$cmd'" >&2
  exit 1
fi
