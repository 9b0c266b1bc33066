#!/usr/bin/env bash
# The demo: plan the sample desired state (identities/) against the sample snapshots of the fictional
# contoso tenant, first as the tenant is, then with soft match and hard-match takeover blocked, so that
# every outcome and finding shows once. No server, no credentials.
set -uo pipefail
cd "$(dirname "$0")/.."

plan() {
  echo "== $1"
  echo
  node bin/idanchor.js plan --identities identities --ad-snapshot examples/contoso/ad.ldif --entra-snapshot "$2"
  local code=$?
  echo "(exit code $code: 0 nothing to do, 2 changes pending, 1 blocking findings)"
  echo
  # 0, 1 and 2 are the plan's verdicts; anything else means the demo itself broke.
  [ "$code" -le 2 ] || exit "$code"
}

plan "Next sync for contoso as it is (examples/contoso/entra.json)" examples/contoso/entra.json
plan "The same tenant with soft match and hard-match takeover blocked (entra-locked-down.json)" \
  examples/contoso/entra-locked-down.json
