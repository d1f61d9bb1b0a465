#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the sslprov selftests inside the test VM (busybox sh: POSIX only).
#
#	run_tests.sh [TEST...]
#
# Runs every *_test program next to this script (or the ones named), one
# after the other, prints their KTAP output nested under one KTAP plan,
# and ends with the line
#
#	sslprov-selftests: pass=P fail=F skip=S
#
# summed over the "# Totals:" line of each program: error and xpass count
# as failures, xfail as a pass; a program that prints no Totals (crashed,
# killed) counts as one failure, and so does one that leaves objects or
# files behind in the module's counters or changes max_objects.  Exits 1
# when anything failed.
#
# Order: FIRST_TESTS, then any other *_test, then LAST_TESTS (reload_test
# unloads and reloads the module, so it runs last).
#
# Environment: SSLPROV_SEED (replay a random test), SSLPROV_FUZZ_ITERS,
# SSLPROV_KO (the module file reload_test loads; default: modprobe).

FIRST_TESTS="object_test hash_test limit_test args_test abi_rules_test ioctl_fuzz_test"
LAST_TESTS="reload_test"
STATS=/sys/class/misc/sslprov/stats
MAXOBJ=/sys/module/sslprov/parameters/max_objects

cd "$(dirname "$0")" || exit 1
# Started from elsewhere (e.g. a copy in the VM's /work): use the installed
# test programs.
if ! ls ./*_test >/dev/null 2>&1 && [ -n "${SSLPROV_SELFTESTS:-}" ]; then
	cd "$SSLPROV_SELFTESTS" || exit 1
fi

if [ $# -gt 0 ]; then
	tests="$*"
else
	tests=
	for n in $FIRST_TESTS; do
		[ -x "./$n" ] && tests="$tests $n"
	done
	for t in ./*_test; do
		[ -x "$t" ] || continue
		n=${t#./}
		case " $FIRST_TESTS $LAST_TESTS " in *" $n "*) continue ;; esac
		tests="$tests $n"
	done
	for n in $LAST_TESTS; do
		[ -x "./$n" ] && tests="$tests $n"
	done
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sslprov-selftests.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

read_file() {
	v=
	[ -r "$1" ] && read -r v < "$1"
	echo "$v"
}

# "files objects" from the module's counters (empty when not loaded).
counters() {
	[ -d "$STATS" ] || return 0
	echo "$(read_file "$STATS/files") $(read_file "$STATS/objects")"
}

# Field NAME of a "# Totals: pass:1 fail:0 ..." line, 0 if absent.
total_field() {
	v=$(echo "$2" | sed -n "s/.* $1:\([0-9][0-9]*\).*/\1/p")
	echo "${v:-0}"
}

pass=0
fail=0
skip=0
num=0
ntests=0
for n in $tests; do
	ntests=$((ntests + 1))
done

max_objects=$(read_file "$MAXOBJ")
counters_before=$(counters)

echo "TAP version 13"
echo "1..$ntests"
for n in $tests; do
	num=$((num + 1))
	out="$tmp/$n.out"
	echo "# selftests: sslprov: $n"
	if [ ! -x "./$n" ]; then
		echo "# run_tests: $n: no such test program"
		echo "not ok $num selftests: sslprov: $n # no such program"
		fail=$((fail + 1))
		continue
	fi

	# Stream the output (nested, "# "-prefixed) and keep a copy to parse.
	{
		"./$n" 2>&1
		echo "$?" > "$tmp/rc"
	} | while IFS= read -r line; do
		printf '# %s\n' "$line"
		printf '%s\n' "$line" >> "$out"
	done
	rc=$(read_file "$tmp/rc")
	rc=${rc:-255}

	totals=$(grep '^# Totals:' "$out" 2>/dev/null | tail -n 1)
	bad=0
	if [ -z "$totals" ]; then
		echo "# run_tests: $n printed no Totals line (exit status $rc): counted as one failure"
		bad=1
	else
		p=$(total_field pass "$totals")
		f=$(total_field fail "$totals")
		xf=$(total_field xfail "$totals")
		xp=$(total_field xpass "$totals")
		s=$(total_field skip "$totals")
		e=$(total_field error "$totals")
		pass=$((pass + p + xf))
		skip=$((skip + s))
		bad=$((f + xp + e))
		# Totals without failures, but a failing exit status (4 = skip).
		if [ "$bad" -eq 0 ] && [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ]; then
			echo "# run_tests: $n exited with status $rc: counted as one failure"
			bad=1
		fi
	fi

	# Nothing may outlive a test program: no open file, no object.
	counters_after=$(counters)
	if [ -n "$counters_before" ] && [ "$counters_after" != "$counters_before" ]; then
		echo "# run_tests: after $n the module counts 'files objects' = '$counters_after', before: '$counters_before': counted as one failure"
		bad=$((bad + 1))
	fi
	# A test that failed to restore max_objects must not break the next.
	now=$(read_file "$MAXOBJ")
	if [ -n "$max_objects" ] && [ -n "$now" ] && [ "$now" != "$max_objects" ]; then
		echo "# run_tests: $n left max_objects=$now (was $max_objects): restored, counted as one failure"
		echo "$max_objects" > "$MAXOBJ"
		bad=$((bad + 1))
	fi

	fail=$((fail + bad))
	if [ "$bad" -ne 0 ]; then
		echo "not ok $num selftests: sslprov: $n # exit=$rc"
	elif [ "$rc" -eq 4 ]; then
		echo "ok $num selftests: sslprov: $n # SKIP"
	else
		echo "ok $num selftests: sslprov: $n"
	fi
done

echo "sslprov-selftests: pass=$pass fail=$fail skip=$skip"
[ "$fail" -eq 0 ]
