#!/bin/sh
# What `make sam-local` needs from the machine (Debian or Ubuntu, as root): Docker's daemon
# and debootstrap, which builds the python3.13 base image. Installs only what is missing.
set -eu
missing=""
command -v dockerd >/dev/null 2>&1 || missing="$missing docker.io"
command -v debootstrap >/dev/null 2>&1 || missing="$missing debootstrap"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "sam-local needs:$missing (install them as root, or run make sam-local as root)" >&2
	exit 1
fi
echo "sam-local: installing$missing" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
