#!/usr/bin/env bash
# Installs the real image builder and registry the image tests use: buildah (daemonless builds),
# docker-registry (CNCF distribution, the reference OCI registry) and htpasswd (its basic auth).
# Idempotent: installs only what is missing. No global config is written: the engine and the
# tests pass --storage-driver vfs, --isolation chroot and --tls-verify=false themselves.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

needed=()
command -v buildah >/dev/null || needed+=(buildah)
command -v docker-registry >/dev/null || needed+=(docker-registry)
command -v htpasswd >/dev/null || needed+=(apache2-utils)

if ((${#needed[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -q
  # With recommends: crun runs the RUN steps of real Dockerfiles (the tests only COPY).
  as_root apt-get install -y -q "${needed[@]}"
fi

# The Debian package starts a registry service on :5000 where systemd runs; the tests start their
# own on a free loopback port, so that one only costs memory.
if command -v systemctl >/dev/null && systemctl is-active --quiet docker-registry 2>/dev/null; then
  as_root systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi

buildah --version
docker-registry --version
command -v htpasswd
