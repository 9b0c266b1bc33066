#!/usr/bin/env bash
# Installs what the integration tests need (Samba AD DC, OpenLDAP clients) when it is missing.
# Runs as `pretest`; needs root for apt-get, otherwise prints the one command that installs it.
set -euo pipefail
packages=(samba samba-ad-dc samba-ad-provision ldb-tools ldap-utils openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need: ${missing[*]}. Install them with: sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "Installing test prerequisites: ${missing[*]}" >&2
sh -c "$cmd" >&2
