#!/usr/bin/env bash
# Installs everything Ohmlab needs on a fresh Debian/Ubuntu machine, then builds the workspace.
# - Node >= 20.19 must already be there (https://nodejs.org or your distribution).
# - pnpm 10 is installed through npm when missing (corepack cannot always fetch it).
# - Debian's `chromium` (for the WebGPU tests through SwiftShader) is installed with apt-get when
#   run as root or with password-less sudo; otherwise a clear message says how to add it.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[ohmlab setup]\033[0m %s\n' "$*"; }

node_version=$(node -p 'process.versions.node' 2>/dev/null || echo 0)
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null; then
  say "Node >= 20.19 is required (found ${node_version}). Install it first, then run this again."
  exit 1
fi

if ! command -v pnpm >/dev/null 2>&1; then
  say "installing pnpm 10 with npm"
  npm install -g pnpm@10 >/dev/null
fi

if [ -x /usr/bin/chromium ]; then
  :
else
  apt_cmd=""
  if [ "$(id -u)" = 0 ]; then apt_cmd="apt-get"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then apt_cmd="sudo apt-get"; fi
  if [ -n "$apt_cmd" ]; then
    say "installing Debian's chromium (WebGPU through SwiftShader, for the browser and GPU tests)"
    if ! DEBIAN_FRONTEND=noninteractive $apt_cmd install -y chromium >/dev/null 2>&1; then
      $apt_cmd update >/dev/null 2>&1 || true
      DEBIAN_FRONTEND=noninteractive $apt_cmd install -y chromium >/dev/null 2>&1 \
        || say "could not install chromium; WebGPU and browser tests will be skipped with a reason"
    fi
  else
    say "chromium is missing and this user cannot install system packages."
    say "Run 'sudo apt-get install -y chromium' once; until then the WebGPU and browser tests are skipped."
  fi
fi

say "installing JavaScript dependencies"
if [ -f pnpm-lock.yaml ]; then
  pnpm install --frozen-lockfile --reporter=append-only | tail -n 3
else
  pnpm install --reporter=append-only | tail -n 3
fi
say "building"
pnpm build --output-logs=errors-only
say "ready"
