# SPDX-License-Identifier: GPL-2.0
# Sourced by the scripts: the test kernels are the Debian cloud kernels that
# are installed, found by version prefix, never by a hard-coded release.

# sslprov_kernel_release VERSION -> newest installed release of that version
sslprov_kernel_release() {
	local want=$1 r best=
	case "$want" in
	*-*) [ -e "/boot/vmlinuz-$want" ] && { echo "$want"; return 0; } ;;
	esac
	for r in /boot/vmlinuz-"$want".*-cloud-amd64 /boot/vmlinuz-"$want"-*-cloud-amd64; do
		[ -e "$r" ] || continue
		r=${r#/boot/vmlinuz-}
		[ -d "/lib/modules/$r" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$r" | sort -V | tail -n 1)
	done
	[ -n "$best" ] || return 1
	echo "$best"
}

# The two LTS kernels make check runs on.
SSLPROV_TEST_VERSIONS=${SSLPROV_TEST_VERSIONS:-"6.1 6.12"}

sslprov_test_kernels() {
	local v
	for v in $SSLPROV_TEST_VERSIONS; do
		sslprov_kernel_release "$v" || {
			echo "no installed cloud kernel $v (run scripts/setup)" >&2
			return 1
		}
	done
}
