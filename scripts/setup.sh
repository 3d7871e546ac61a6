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

install_system_packages
check_python
install_python_packages "${1:-}"
if [[ "${1:-}" == "--test" ]]; then install_node_packages; fi
# Letter fonts: a GB 2312 TrueType subset of Noto Serif CJK, built once (fast, small PDFs).
.venv/bin/credit-cases letter fonts prepare
