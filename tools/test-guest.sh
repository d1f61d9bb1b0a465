#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# test-guest.sh - sslprovctl against the module, inside the VM bench:
#
#   scripts/vm-run --add tools/test-guest.sh -- ./test-guest.sh
#
# (make -C tools first: vm-run puts build/bin/* in the guest's PATH.)
# Key formats, owners, listing, unloading, and the error words and exit
# codes.  Prints PASS/FAIL lines; exits 0 only if everything passed.
set -u

PASSES=0
FAILS=0
pass() { PASSES=$((PASSES + 1)); echo "PASS: $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL: $*"; }

# expect STATUS WORDS CMD...: CMD exits STATUS and says WORDS on stderr.
expect() {
	want=$1 words=$2
	shift 2
	"$@" > out.txt 2> err.txt
	got=$?
	if [ $got -eq "$want" ] && { [ -z "$words" ] || grep -q -- "$words" err.txt; }; then
		pass "$* -> $got${words:+ ($words)}"
	else
		fail "$* -> $got (want $want${words:+, \"$words\"})"
		sed 's/^/    | /' out.txt err.txt
	fi
}

W=/tmp/ctl
mkdir -p $W && cd $W || exit 1
grep -q '^nobody:' /etc/passwd || echo 'nobody:x:65534:65534::/tmp:/bin/sh' >> /etc/passwd
grep -q '^www:' /etc/group || echo 'www:x:33:' >> /etc/group

openssl genrsa -out k1.pem 2048 2>/dev/null
openssl genrsa -out k2.pem 3072 2>/dev/null
openssl rsa -in k1.pem -traditional -outform DER -out k1.der 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in k2.pem -outform DER -out k2.p8.der
openssl pkcs8 -topk8 -nocrypt -in k1.pem -out k1.p8.pem
openssl req -x509 -key k1.pem -out c1.pem -subj /CN=one -days 1 2>/dev/null
openssl genrsa -out k512.pem 512 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null
FP1=$(openssl pkey -in k1.pem -pubout -outform DER | sha256sum | cut -d' ' -f1)
FP2=$(openssl pkey -in k2.pem -pubout -outform DER | sha256sum | cut -d' ' -f1)

# fingerprint: certificate, private key in four encodings, public key
for f in c1.pem k1.pem k1.der k1.p8.pem; do
	[ "$(sslprovctl fingerprint $f)" = "$FP1" ] && pass "fingerprint $f" || fail "fingerprint $f"
done
[ "$(sslprovctl fingerprint k2.p8.der)" = "$FP2" ] && pass "fingerprint k2.p8.der" || fail "fingerprint k2.p8.der"

# load: PKCS#1 PEM by user name, PKCS#8 DER by group number
out=$(sslprovctl load --uid nobody k1.pem)
[ "$out" = "$FP1" ] && pass "load k1.pem (PKCS#1 PEM) prints $FP1" || fail "load k1.pem: '$out'"
out=$(sslprovctl load --gid 33 k2.p8.der)
[ "$out" = "$FP2" ] && pass "load k2.p8.der (PKCS#8 DER) prints $FP2" || fail "load k2.p8.der: '$out'"
sslprovctl list > list.txt
cat list.txt
grep -q "^$FP1  2048      65534          -\$" list.txt && pass "list: k1, 2048 bits, uid 65534" || fail "list k1"
grep -q "^$FP2  3072          -         33\$" list.txt && pass "list: k2, 3072 bits, gid 33" || fail "list k2"

# refusals, in words
expect 1 "already loaded" sslprovctl load --uid 0 k1.der
expect 1 "already loaded" sslprovctl load --uid 0 k1.p8.pem
expect 1 "does not support this key" sslprovctl load --uid 0 k512.pem
expect 1 "RSA keys only" sslprovctl load --uid 0 ec.pem
expect 1 "not a private key" sslprovctl load --uid 0 c1.pem
expect 1 "No such file" sslprovctl load --uid 0 missing.pem
expect 2 "name the key's user" sslprovctl load k1.pem
expect 2 "no such user" sslprovctl load --uid nosuchuser k1.pem
expect 2 "no such group" sslprovctl load --gid nosuchgroup k1.pem
expect 2 "64 hex digits" sslprovctl unload 1234
expect 2 "unknown command" sslprovctl frobnicate
expect 2 "" sslprovctl
chmod 0644 k1.pem
expect 1 "permission denied" su -s /bin/sh nobody -c "sslprovctl load --uid 65534 $W/k1.pem"
expect 1 "permission denied" su -s /bin/sh nobody -c "sslprovctl unload $FP1"
expect 0 "" su -s /bin/sh nobody -c "sslprovctl list"

# unload, with colons and upper case too
expect 0 "" sslprovctl unload "$FP1"
expect 1 "no key with this fingerprint" sslprovctl unload "$FP1"
FP2C=$(echo "$FP2" | tr a-f A-F | sed 's/../&:/g; s/:$//')
expect 0 "" sslprovctl unload "$FP2C"
[ "$(sslprovctl list | wc -l)" -eq 1 ] && pass "list is empty again" || fail "list not empty"
# from standard input
out=$(sslprovctl load --uid 0 - < k1.pem)
[ "$out" = "$FP1" ] && pass "load - (stdin)" || fail "load -: '$out'"
sslprovctl unload "$FP1" || fail "unload after stdin load"

echo "sslprovctl: $PASSES passed, $FAILS failed"
[ $FAILS -eq 0 ]
