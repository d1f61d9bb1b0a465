#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM for make check (busybox sh): the selftests, then
# the key-store tool's tests and the interop suite with real TLS peers.
# Each part prints its own "NAME: ..." summary line for scripts/check.
cd "$(dirname "$0")" || exit 1
status=0
/opt/sslprov/selftests/run_tests.sh || status=1
[ "${SSLPROV_SELFTESTS_ONLY:-0}" = 1 ] && exit "$status"
./test-guest.sh || status=1
./interop-guest.sh || status=1
exit "$status"
