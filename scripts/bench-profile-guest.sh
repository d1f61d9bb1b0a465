#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench-profile-guest.sh - the guest half of "scripts/bench --profile": runs
# sslprov-bench --profile (sslprov's side of each row only) for the given
# sections under perf record, system-wide, with the cpu-clock software event
# (QEMU TCG has no PMU), then prints perf report: where the time goes, by
# symbol (kernel and user), with the calling chains of the hottest ones.
# The handshakes section profiles the example server under s_time (no
# s_server beside it): the split by process shows the server's share.
#
#   bench-profile-guest.sh SECTION[,SECTION...]
#
# perf is the host's /usr/bin/perf (linux-perf), added to /work by
# scripts/bench; it reads the kernel's and sslprov's symbols from
# /proc/kallsyms.
set -u

[ $# -eq 1 ] || { echo "usage: $0 SECTION[,SECTION...]" >&2; exit 2; }
modprobe pkcs8_key_parser 2>/dev/null
echo 0 > /proc/sys/kernel/kptr_restrict
echo -1 > /proc/sys/kernel/perf_event_paranoid
echo "guest: kernel $(uname -r); profiling sslprov-bench --only $1 --profile"

./perf record -q -a -g -F 499 -e cpu-clock -o /tmp/perf.data -- \
	sslprov-bench --only "$1" --profile > /tmp/bench.out 2>&1
rc=$?
sed 's/^/bench: /' /tmp/bench.out | grep -v '^bench: |' | head -n 20
[ "$rc" -eq 0 ] || { echo "profile: sslprov-bench or perf failed ($rc)"; exit "$rc"; }

# The handshake section's sslprov side is the example server, a process of
# its own (its comm is cut to 15 characters); s_time, the client, is openssl.
COMMS=sslprov-bench,sslprov-tls12-s

echo
echo "=== CPU time by process (all CPUs; s_time, the TLS client, is openssl) ==="
./perf report -i /tmp/perf.data --no-children --sort comm -g none \
	--percent-limit 0.5 --stdio 2>/dev/null | grep -v '^$'
echo
echo "=== where the time goes, by symbol (self time, all CPUs) ==="
./perf report -i /tmp/perf.data --no-children --comm "$COMMS" --sort dso,sym -g none \
	--percent-limit 0.7 --stdio 2>/dev/null | grep -v '^$'
echo
echo "=== the same, by process and module / library ==="
./perf report -i /tmp/perf.data --no-children --comm "$COMMS" --sort comm,dso -g none \
	--percent-limit 0.5 --stdio 2>/dev/null | grep -v '^$'
echo
echo "=== inclusive time (self and callees) in sslprov-bench and the example server, kernel and user ==="
./perf report -i /tmp/perf.data --children --comm "$COMMS" --sort sym \
	-g none --percent-limit 0.4 --stdio 2>/dev/null | grep -v '^$'
echo
echo "=== callers of the hottest kernel functions (self time) ==="
./perf report -i /tmp/perf.data --no-children --comm "$COMMS" --sort sym \
	-g caller,2,callee,function,percent --percent-limit 1.5 --stdio 2>/dev/null |
	grep -v '^$' | head -n 200
