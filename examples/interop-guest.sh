#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# interop-guest.sh - sslprov-tls12-server against the real clients, inside
# the VM bench:
#
#   scripts/vm-run [--kernel 6.12] --add examples/interop-guest.sh -- ./interop-guest.sh [QUICK]
#
# (make -C tools && make -C examples first: vm-run puts build/bin/* in the
# guest's PATH.)  The key is loaded with sslprovctl for uid 1000 and its
# file deleted; the server runs as uid 1000 through busybox su.  Covers
# openssl s_client and gnutls-cli, both suites, with and without the
# extended master secret, 1 MiB each way through kTLS (and through
# SslEncryptPacket/SslDecryptPacket with --no-ktls), sendfile(), and the
# refusals: old protocol, no common suite, garbage, no key for the user.
# Prints PASS/FAIL lines; exits 0 only if everything passed.
set -u

PORT=4433
W=/tmp/interop
SRV_UID=1000
SRV_USER=sslsrv
MIB=1048576
QUICK=${1:-}

PASSES=0
FAILS=0
pass() { PASSES=$((PASSES + 1)); echo "PASS: $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL: $*"; }

mkdir -p "$W" && cd "$W" || exit 1

# ---------------------------------------------------------------------------
# Setup: an unprivileged user, a key only the kernel keeps, a certificate
# ---------------------------------------------------------------------------
grep -q "^$SRV_USER:" /etc/passwd ||
	echo "$SRV_USER:x:$SRV_UID:$SRV_UID:sslprov server:$W:/bin/sh" >> /etc/passwd
grep -q "^$SRV_USER:" /etc/group || echo "$SRV_USER:x:$SRV_UID:" >> /etc/group
grep -q '^other:' /etc/passwd || echo "other:x:1001:1001::/tmp:/bin/sh" >> /etc/passwd

openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
	-subj /CN=localhost -days 2 2>/dev/null || { echo "FAIL: openssl req"; exit 1; }
chmod 0644 cert.pem
FP_CERT=$(sslprovctl fingerprint cert.pem)
FP_LOADED=$(sslprovctl load --uid "$SRV_UID" key.pem) || { echo "FAIL: sslprovctl load"; exit 1; }
rm -f key.pem
[ "$FP_CERT" = "$FP_LOADED" ] && pass "sslprovctl load fingerprint = fingerprint of the certificate ($FP_LOADED)" ||
	fail "fingerprints differ: cert $FP_CERT, loaded $FP_LOADED"
sslprovctl list
head -c $MIB /dev/urandom > data.bin
SUM_DATA=$(sha256sum < data.bin | cut -d' ' -f1)
chmod 0644 data.bin

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
SRV_PID=

# start_server USER OPTIONS...: the server as USER, --once, logs in srv.log.
start_server() {
	user=$1
	shift
	rm -f srv.log
	su -s /bin/sh "$user" -c "exec sslprov-tls12-server --cert $W/cert.pem --port $PORT --once --verbose $*" \
		> /dev/null 2> srv.log < /dev/null &
	SRV_PID=$!
	i=0
	while ! grep -q 'listening on port' srv.log 2>/dev/null; do
		kill -0 "$SRV_PID" 2>/dev/null || return 1
		i=$((i + 1))
		[ $i -gt 200 ] && return 1
		sleep 0.1
	done
	return 0
}

# wait_server: the server's exit status (it serves one connection).
wait_server() {
	i=0
	while kill -0 "$SRV_PID" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 600 ]; then
			kill "$SRV_PID" 2>/dev/null
			break
		fi
		sleep 0.1
	done
	wait "$SRV_PID"
}

# hold_until FILE SIZE: keep a client's stdin open until FILE has SIZE bytes
# (clients close the connection at the end of their input).
hold_until() {
	i=0
	while [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -lt "$2" ]; do
		i=$((i + 1))
		[ $i -gt 1200 ] && break
		sleep 0.1
	done
}

GNUTLS_BASE='NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA:-CIPHER-ALL'

# client ossl|gtls ARGS...: run that client (in a subshell, under timeout).
client() {
	c=$1
	shift
	case $c in
	ossl)	timeout 300 openssl s_client -connect 127.0.0.1:$PORT -tls1_2 -brief -nocommands -no_ign_eof "$@" ;;
	gtls)	timeout 300 gnutls-cli --insecure --logfile=gc.log -p $PORT "$@" 127.0.0.1 ;;
	esac
}

show_log() {
	sed 's/^/    srv| /' srv.log
}

# check_echo NAME CLIENT(ossl|gtls) INPUT SERVER-OPTS -- CLIENT-ARGS...
check_echo() {
	name=$1 client=$2 input=$3 sopts=$4
	shift 5
	size=$(wc -c < "$input")
	if ! start_server $SRV_USER --echo $sopts; then
		fail "$name: server did not start"
		show_log
		return
	fi
	rm -f out.bin cl.err gc.log
	{ cat "$input"; hold_until out.bin "$size"; } |
		client $client "$@" > out.bin 2> cl.err
	crc=$?
	wait_server
	src=$?
	got=$(wc -c < out.bin)
	if [ "$(sha256sum < out.bin | cut -d' ' -f1)" = "$(sha256sum < "$input" | cut -d' ' -f1)" ] &&
	   [ $src -eq 0 ]; then
		pass "$name: $size bytes echoed, server status 0 ($(grep -o 'TLS_RSA_WITH[A-Z0-9_]*' srv.log | head -n1), EMS $(sed -n 's/.*extended master secret \(yes\|no\).*/\1/p' srv.log | head -n1), $(grep -c 'kTLS .X keyed' srv.log) kTLS directions)"
	else
		fail "$name: sent $size, got back $got, client status $crc, server status $src"
		sed 's/^/    cli| /' cl.err
		show_log
	fi
}

# ---------------------------------------------------------------------------
# Handshakes and small echoes: every client x suite x EMS
# ---------------------------------------------------------------------------
printf 'hello through the kernel\n' > small.txt

check_echo "openssl AES128-GCM-SHA256 EMS" ossl small.txt "" -- -cipher AES128-GCM-SHA256
grep -q 'Ciphersuite: AES128-GCM-SHA256' cl.err && grep -q 'Protocol version: TLSv1.2' cl.err &&
	pass "openssl reports TLSv1.2 AES128-GCM-SHA256" || { fail "openssl summary"; cat cl.err; }
check_echo "openssl AES256-GCM-SHA384 EMS" ossl small.txt "" -- -cipher AES256-GCM-SHA384

cat > noems.cnf <<'EOF'
openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
Options = -ExtendedMasterSecret
EOF
export OPENSSL_CONF=$W/noems.cnf
check_echo "openssl AES128-GCM-SHA256 no EMS" ossl small.txt "" -- -cipher AES128-GCM-SHA256
grep -q 'extended master secret no' srv.log && pass "server saw no EMS" || fail "EMS not off"
check_echo "openssl AES256-GCM-SHA384 no EMS" ossl small.txt "" -- -cipher AES256-GCM-SHA384
unset OPENSSL_CONF

check_echo "gnutls AES-128-GCM EMS" gtls small.txt "" -- --priority "$GNUTLS_BASE:+AES-128-GCM"
grep -q 'extended master secret' gc.log && grep -q 'safe renegotiation' gc.log &&
	pass "gnutls reports EMS and safe renegotiation" || { fail "gnutls options"; cat gc.log; }
check_echo "gnutls AES-256-GCM EMS" gtls small.txt "" -- --priority "$GNUTLS_BASE:+AES-256-GCM"
check_echo "gnutls AES-128-GCM no EMS" gtls small.txt "" -- --priority "$GNUTLS_BASE:+AES-128-GCM:%NO_SESSION_HASH"
grep -q 'extended master secret no' srv.log && pass "server saw no EMS (gnutls)" || fail "gnutls EMS not off"
check_echo "gnutls AES-256-GCM no EMS" gtls small.txt "" -- --priority "$GNUTLS_BASE:+AES-256-GCM:%NO_SESSION_HASH"

# ---------------------------------------------------------------------------
# 1 MiB each way
# ---------------------------------------------------------------------------
check_echo "openssl 1 MiB echo (kTLS)" ossl data.bin "" -- -cipher AES128-GCM-SHA256
check_echo "gnutls 1 MiB echo (kTLS)" gtls data.bin "" -- --priority "$GNUTLS_BASE:+AES-256-GCM"
if [ -z "$QUICK" ]; then
	check_echo "openssl 1 MiB echo (no kTLS)" ossl data.bin "--no-ktls" -- -cipher AES256-GCM-SHA384
	grep -q 'kTLS' srv.log && fail "--no-ktls used kTLS" || true
	check_echo "gnutls 1 MiB echo (no kTLS)" gtls data.bin "--no-ktls" -- --priority "$GNUTLS_BASE:+AES-128-GCM"
fi

# sendfile(): the server sends 1 MiB and closes.
for c in ossl gtls; do
	if start_server $SRV_USER --send-file $W/data.bin; then
		rm -f out.bin
		if [ $c = ossl ]; then
			hold_until out.bin $MIB | client ossl -cipher AES128-GCM-SHA256 > out.bin 2> cl.err
		else
			hold_until out.bin $MIB | client gtls --priority "$GNUTLS_BASE:+AES-128-GCM" > out.bin 2> cl.err
		fi
		wait_server
		src=$?
		if [ "$(sha256sum < out.bin | cut -d' ' -f1)" = "$SUM_DATA" ] && [ $src -eq 0 ]; then
			pass "$c: 1 MiB by sendfile() over kTLS"
		else
			fail "$c: sendfile: got $(wc -c < out.bin) bytes, server status $src"
			show_log
		fi
	else
		fail "$c: sendfile server did not start"
	fi
done

# ---------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------
# expect_refusal NAME ALERT-IN-SERVER-LOG CLIENT...
expect_refusal() {
	name=$1 alert=$2
	shift 2
	if ! start_server $SRV_USER --echo; then
		fail "$name: server did not start"
		return
	fi
	echo x | timeout 60 "$@" > /dev/null 2> cl.err
	wait_server
	src=$?
	if [ $src -ne 0 ] && grep -q "alert $alert" srv.log; then
		pass "$name: refused with $alert"
	else
		fail "$name: server status $src, expected alert $alert"
		show_log
	fi
}

expect_refusal "TLS 1.1 client" protocol_version \
	openssl s_client -connect 127.0.0.1:$PORT -tls1_1 -cipher 'AES128-SHA:@SECLEVEL=0'
expect_refusal "no common suite" handshake_failure \
	openssl s_client -connect 127.0.0.1:$PORT -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
expect_refusal "SSL 2.0 style garbage" unexpected_message \
	sh -c "printf '\200\056\001\003\001GET / HTTP/1.0\r\n\r\n' | nc 127.0.0.1 $PORT"
expect_refusal "oversized record" record_overflow \
	sh -c "printf '\026\003\003\177\377' | nc 127.0.0.1 $PORT"
expect_refusal "truncated ClientHello" decode_error \
	sh -c "printf '\026\003\001\000\010\001\000\000\004\003\003\000\000' | nc 127.0.0.1 $PORT"

# Hand-made client flights.  A minimal ClientHello (suite 0x009C only):
HELLO_HDR='\001\000\000\051\003\003'
HELLO_TAIL='\000\000\002\000\234\001\000'
hello_body() { printf "$HELLO_HDR"; head -c 32 /dev/zero | tr '\000' 'R'; printf "$HELLO_TAIL"; }
{ printf '\026\003\001\000\055'; hello_body; } > hello.rec
# The same ClientHello split over two records (10 + 35 bytes).
hello_body > hello.msg
{ printf '\026\003\001\000\012'; head -c 10 hello.msg;
  printf '\026\003\001\000\043'; tail -c 35 hello.msg; } > hello-split.rec
# ClientKeyExchange with 256 bytes that are no RSA ciphertext of ours,
# ChangeCipherSpec, then a "Finished" record that is not encrypted at all.
{ printf '\026\003\003\001\006\020\000\001\002\001\000'; head -c 256 /dev/zero | tr '\000' 'A';
  printf '\024\003\003\000\001\001';
  printf '\026\003\003\000\050'; head -c 40 /dev/zero | tr '\000' 'B'; } > bogus-kx.rec

expect_refusal "garbage premaster, then an unauthenticated record" bad_record_mac \
	sh -c "cat hello.rec bogus-kx.rec | nc 127.0.0.1 $PORT"
grep -q 'master key handle' srv.log && pass "  ... the bad premaster still gave a master key (RFC 5246 7.4.7.1)" ||
	fail "  ... no master key for a bad premaster"
expect_refusal "Finished instead of ClientKeyExchange" unexpected_message \
	sh -c "{ cat hello.rec; printf '\026\003\003\000\020\024\000\000\014'; head -c 12 /dev/zero; } | nc 127.0.0.1 $PORT"
expect_refusal "CCS before ClientKeyExchange" unexpected_message \
	sh -c "{ cat hello.rec; printf '\024\003\003\000\001\001'; } | nc 127.0.0.1 $PORT"
if start_server $SRV_USER --echo; then
	cat hello-split.rec | timeout 60 nc 127.0.0.1 $PORT > /dev/null 2>&1
	wait_server
	grep -q 'sent ServerHello' srv.log && pass "ClientHello split over two records accepted" ||
		{ fail "split ClientHello"; show_log; }
fi

# The key is for uid 1000 only: another user cannot open it.
rm -f srv.log
su -s /bin/sh other -c "exec sslprov-tls12-server --cert $W/cert.pem --port $PORT --once" 2> srv.log
if [ $? -ne 0 ] && grep -q NTE_NO_KEY srv.log; then
	pass "uid 1001 gets NTE_NO_KEY for uid 1000's key"
else
	fail "uid 1001 was not refused"
	show_log
fi

echo "interop: $PASSES passed, $FAILS failed"
[ $FAILS -eq 0 ]
