#!/usr/bin/env bash
# Fails when dist/ is not exactly what the sources bundle to. GitHub runs dist/ straight from the
# repository, so a stale bundle ships old behaviour under new source. Used by .ci/run, the CI
# workflow and the release workflow; run it from the repository root after `npm ci`.
set -euo pipefail

npm run --silent bundle
# A bundle file that is new (say, a chunk with a new hash) counts as a change too.
git add --intent-to-add dist
if ! git diff --exit-code --stat -- dist; then
  message="dist/ is stale: run 'npm run bundle' and commit dist/."
  if [ -n "${GITHUB_ACTIONS:-}" ]; then echo "::error::$message"; else echo "$message" >&2; fi
  exit 1
fi
echo "dist/ is what the sources bundle to."
