#!/usr/bin/env bash
# ensure-debian.sh WHAT 'CHECK COMMAND' PACKAGE...
# Runs CHECK; if it fails, installs the Debian PACKAGEs (as root) or prints the one command to run
# and exits 1. PyPI is not reachable on the project's machines: Jupyter and Chromium come from Debian.
set -euo pipefail
what=$1 check=$2
shift 2
if bash -c "$check" >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "$what is missing. Install it once with:"
  echo "  sudo apt-get install -y $*"
  exit 1
fi
echo "installing Debian packages for $what: $*"
apt-get update -qq || echo "apt-get update failed; trying the package lists already on this machine"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
bash -c "$check" || { echo "$what: still missing after installing $*"; exit 1; }
