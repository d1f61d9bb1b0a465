#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-exports.sh LIB HEADER MAP - the shared library must export exactly
# the functions the header marks SSLPROV_API, and the version script must
# list exactly those: no internal helper may leak, no API function may be
# missing.  Exits non-zero and shows the difference otherwise.
set -eu

lib=${1:?usage: check-exports.sh LIB HEADER MAP}
header=${2:?usage: check-exports.sh LIB HEADER MAP}
map=${3:?usage: check-exports.sh LIB HEADER MAP}
expected_count=48	# 47 of Sslprovider.h + SslKtlsAttach

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Defined dynamic symbols, minus the version node itself (an absolute
# symbol), with the @@VERSION suffix dropped.
nm -D --defined-only "$lib" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' |
	sort -u >"$tmp/exported"
sed -n 's/^SSLPROV_API [A-Z_]* WINAPI \([A-Za-z0-9_]*\)(.*/\1/p' "$header" |
	sort -u >"$tmp/declared"
sed -n 's/^[[:space:]]*\([A-Za-z][A-Za-z0-9_]*\);[[:space:]]*$/\1/p' "$map" |
	sort -u >"$tmp/mapped"

status=0
n=$(wc -l <"$tmp/declared")
if [ "$n" -ne "$expected_count" ]; then
	echo "check-exports: $header declares $n API functions, expected $expected_count" >&2
	status=1
fi
if ! diff -u "$tmp/declared" "$tmp/exported" >"$tmp/diff"; then
	echo "check-exports: $lib exports differ from $header (- declared, + exported):" >&2
	cat "$tmp/diff" >&2
	status=1
fi
if ! diff -u "$tmp/declared" "$tmp/mapped" >"$tmp/diff"; then
	echo "check-exports: $map differs from $header (- declared, + mapped):" >&2
	cat "$tmp/diff" >&2
	status=1
fi
if ! nm -D --defined-only "$lib" | grep -q ' A SSLPROV_1$'; then
	echo "check-exports: $lib has no SSLPROV_1 version node" >&2
	status=1
fi

[ "$status" -eq 0 ] && echo "check-exports: $lib exports exactly the $n API functions"
exit "$status"
