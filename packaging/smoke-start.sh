#!/bin/sh
# Start a built bundle as a user would, but headless: it must render its screens to PNG files
# and exit 0, so that a bundle missing a module, a resource or a Qt plugin fails the build.
set -eu

exe=${1:-dist/escalation-desk/escalation-desk}
data=$(mktemp -d)
shots=$(mktemp -d)
trap 'rm -rf "$data" "$shots"' EXIT

status=0
# The timeout turns a bundle that hangs (a modal dialog nobody can close) into a failure.
QT_QPA_PLATFORM=offscreen timeout 300 "$exe" --data-dir "$data" --screenshot "$shots" \
  >"$data/smoke.out" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  echo "Smoke start failed: $exe exited with $status" >&2
  tail -n 40 "$data/smoke.out" >&2
  [ -f "$data/logs/escalation-desk.log" ] && tail -n 40 "$data/logs/escalation-desk.log" >&2
  exit 1
fi
count=$(find "$shots" -name '*.png' -size +0 | wc -l)
if [ "$count" -eq 0 ]; then
  echo "Smoke start failed: $exe exited 0 but wrote no PNG" >&2
  exit 1
fi
echo "Smoke start passed: $count screens rendered:" $(cd "$shots" && ls ./*.png | sed 's|^\./||')
