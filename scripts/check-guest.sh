#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM for make check (busybox sh): the selftests, then
# the key-store tool's tests, the interop suite with real TLS peers and
# the benchmark's smoke mode.
# Each part prints its own "NAME: ..." summary line for scripts/check.
cd "$(dirname "$0")" || exit 1
status=0
/opt/sslprov/selftests/run_tests.sh || status=1
[ "${SSLPROV_SELFTESTS_ONLY:-0}" = 1 ] && exit "$status"
./test-guest.sh || status=1
./interop-guest.sh || status=1
# The benchmark in smoke mode: every row still gives a number (the numbers
# themselves mean nothing here; make bench measures).
if ./bench-smoke-guest.sh; then
	echo "bench-smoke: 1 passed, 0 failed"
else
	echo "bench-smoke: 0 passed, 1 failed"
	status=1
fi
exit "$status"
