#!/usr/bin/env bash
# Set up credit-cases on Debian/Ubuntu: system packages, a virtualenv, the Python packages.
# Usage: scripts/setup.sh [--test]   (--test also installs what the test suite needs)
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(python3-venv python3-pip libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-noto-cjk)
[[ "${1:-}" == "--test" ]] && PACKAGES+=(chromium poppler-utils faketime)

missing_packages() {
  command -v dpkg-query >/dev/null || return 0   # not Debian: the user installs equivalents
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

install_system_packages() {
  local missing
  missing=$(missing_packages | tr '\n' ' ')
  [[ -z "${missing// }" ]] && return 0
  if [[ $(id -u) -eq 0 ]]; then
    echo "==> apt-get install $missing"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
  else
    echo "These system packages are missing. Install them, then run this command again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y $missing" >&2
    exit 1
  fi
}

check_python() {
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "Python 3.11 or newer is required (found $(python3 --version 2>&1))." >&2; exit 1; }
}

install_python_packages() {
  [[ -x .venv/bin/python ]] || python3 -m venv .venv
  local extras=""
  [[ "${1:-}" == "--test" ]] && extras="[test]"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".${extras}" --config-settings editable_mode=compat
}

# The test suite's Node tools (package.json, pinned by package-lock.json): the OpenID Connect
# provider the single sign-on tests sign in against, and bpmnlint, which the tests run on every
# bpmn/*.bpmn (tests/unit/engine/test_bpmnlint.py, rules in .bpmnlintrc). Without npm the SSO
# and lint tests fail, loudly.
install_node_packages() {
  if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
      echo "==> apt-get install nodejs npm"
      apt-get update -q
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm
    else
      echo "Node.js and npm are needed by the tests. Install them, then run this command again:" >&2
      echo "    sudo apt-get update && sudo apt-get install -y nodejs npm" >&2
      exit 1
    fi
  fi
  npm ci --no-audit --no-fund --loglevel=error
}

# GB/T 9704 faces (仿宋 body, 小标宋-style bold Song title, 黑体/楷体 headings): the free Fandol
# fonts ship only inside Debian's texlive-lang-chinese (~50 MB). Rather than install TeX, fetch
# that package's .deb and keep just the five font files (GPL with the font exception, licence
# beside them) in var/fonts/source, where `letter fonts prepare` cuts its subsets from.
FANDOL_FILES=(FandolFang-Regular FandolSong-Bold FandolSong-Regular FandolHei-Regular FandolKai-Regular)
FANDOL_DIR=var/fonts/source
fetch_fandol_fonts() {
  local f missing=0
  for f in "${FANDOL_FILES[@]}"; do [[ -f "$FANDOL_DIR/$f.otf" ]] || missing=1; done
  [[ $missing -eq 0 ]] && return 0
  if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
    echo "Not Debian: put ${FANDOL_FILES[*]/%/.otf} (Fandol, from TeX Live) in $FANDOL_DIR;" >&2
    echo "letters use the Noto CJK faces until then." >&2
    return 0
  fi
  local tmp; tmp=$(mktemp -d); chmod 755 "$tmp"   # apt-get download runs as _apt
  echo "==> apt-get download texlive-lang-chinese (Fandol fonts only)"
  if ! (cd "$tmp" && apt-get download -q texlive-lang-chinese >/dev/null); then
    [[ $(id -u) -eq 0 ]] && apt-get update -q && (cd "$tmp" && apt-get download -q texlive-lang-chinese >/dev/null)
  fi
  if ! ls "$tmp"/texlive-lang-chinese_*.deb >/dev/null 2>&1; then
    rm -rf "$tmp"
    echo "Could not download texlive-lang-chinese (apt lists missing?). Run this, then this script again:" >&2
    echo "    sudo apt-get update" >&2
    exit 1
  fi
  dpkg-deb -x "$tmp"/texlive-lang-chinese_*.deb "$tmp/x"
  mkdir -p "$FANDOL_DIR"
  for f in "${FANDOL_FILES[@]}"; do
    cp "$tmp/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/$f.otf" "$FANDOL_DIR/"
  done
  cp "$tmp/x/usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz" "$FANDOL_DIR/FANDOL-COPYING.gz"
  rm -rf "$tmp"
}

install_system_packages
check_python
fetch_fandol_fonts
install_python_packages "${1:-}"
if [[ "${1:-}" == "--test" ]]; then install_node_packages; fi
# Letter fonts: GB 2312 TrueType subsets of the Fandol faces (gaps filled from Noto CJK), built
# once (fast, small PDFs).
.venv/bin/credit-cases letter fonts prepare
