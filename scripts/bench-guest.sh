#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench-guest.sh - the guest half of "make bench" (scripts/bench boots the
# VM with it): runs sslprov-bench, prints its Markdown table, then its JSON
# between two marker lines, which scripts/bench cuts out into
# build/bench/results.json.
#
#   bench-guest.sh [--smoke]
#
# Exits with sslprov-bench's status: non-zero if any row produced no number.
set -u

# The kernel-RSA row loads its key through the keyring's PKCS#8 parser.
modprobe pkcs8_key_parser 2>/dev/null || echo "guest: no pkcs8_key_parser module" >&2

echo "guest: kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs," \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "guest: kernel command line: $(cat /proc/cmdline)"
rz=$(cat /sys/kernel/slab/kmalloc-64/red_zone 2>/dev/null || echo '?')
echo "guest: slab red zones (slub_debug): $rz; init_on_free: $(grep -o 'init_on_free=[01]' /proc/cmdline | tail -n 1)"
echo "guest: Meltdown: $(cat /sys/devices/system/cpu/vulnerabilities/meltdown 2>/dev/null || echo '?')"
echo "guest: sslprov max_objects: $(cat /sys/module/sslprov/parameters/max_objects)"
echo

sslprov-bench "$@" --json /tmp/results.json
rc=$?
echo
echo "=== results.json ==="
cat /tmp/results.json 2>/dev/null
echo "=== end of results.json ==="
exit $rc
