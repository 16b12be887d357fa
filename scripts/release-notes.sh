#!/usr/bin/env bash
# Release notes for a tag: its section of CHANGELOG.md when there is one, then every change since
# the previous release tag (commit subjects, the bundle rebuilds left out).
# Usage: scripts/release-notes.sh v1.2.0
set -euo pipefail
tag=${1:?usage: release-notes.sh vX.Y.Z}
version=${tag#v}

if [ -f CHANGELOG.md ]; then
  # The lines under "## [X.Y.Z]" (or "## X.Y.Z") up to the next "## " heading.
  awk -v v="$version" '
    /^## / { inside = ($0 ~ "^## \\[?" v "\\]?([^0-9.]|$)"); next }
    inside { print }
  ' CHANGELOG.md | sed -e '/./,$!d'
fi

previous=$(git describe --tags --abbrev=0 --match 'v[0-9]*.[0-9]*.[0-9]*' "$tag^" 2>/dev/null || true)
if [ -n "$previous" ]; then
  range="$previous..$tag"
  echo "### Changes since $previous"
else
  range="$tag"
  echo "### Changes"
fi
echo
git log --no-merges --format='- %s (%h)' "$range" | grep -v -E '^- dist: rebuilt' || true
