#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench-smoke-guest.sh - the benchmark in smoke mode (a few iterations of
# every row, seconds) inside the test VM: proves that every row still
# produces a number.  The numbers themselves mean nothing.  Prints
# "bench-smoke: N rows, M failed" and exits non-zero if M > 0 or the
# benchmark failed.
set -u

# The kernel-RSA row loads its key through the keyring's PKCS#8 parser.
modprobe pkcs8_key_parser 2>/dev/null || echo "guest: no pkcs8_key_parser module" >&2

out=$(SSLPROV_BENCH_SMOKE=1 sslprov-bench --smoke --json /tmp/bench-smoke.json 2>&1)
rc=$?
printf '%s\n' "$out"
# grep -c prints 0 (and fails) when nothing matches; no file: empty.
rows=$(grep -c '"op": ' /tmp/bench-smoke.json 2>/dev/null)
bad=$(grep -c '"ok": false' /tmp/bench-smoke.json 2>/dev/null)
rows=${rows:-0}
bad=${bad:-0}
[ "$rows" -gt 0 ] || bad=$((bad + 1))
[ "$rc" -eq 0 ] || [ "$bad" -gt 0 ] || bad=1
echo "bench-smoke: $rows rows, $bad failed"
[ "$bad" -eq 0 ]
