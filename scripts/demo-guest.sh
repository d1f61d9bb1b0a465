#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo-guest.sh - the guest half of "make demo" (scripts/demo starts the VM
# bench with this script; busybox sh, openssl and the project's binaries
# are there).
#
# A TLS 1.2 server whose process never holds a secret:
#   1. root makes an RSA-2048 key and a self-signed certificate (openssl);
#   2. root loads the key into the kernel for uid 1000 (sslprovctl) and
#      deletes the key file;
#   3. uid 1000 runs sslprov-tls12-server (started with busybox su: the
#      guest has no setpriv with --reuid and no chpst);
#   4. openssl s_client talks to it: TLS 1.2, AES128-GCM-SHA256, data
#      both ways;
#   5. while the session is up, root searches the server's memory for the
#      private key (prime p, exponent d) and for this session's master
#      secret (from the client's key log): none is there.  The public
#      modulus, which the server does hold in its certificate, is found:
#      the search works.
# Exits 0 when every check holds.
set -u

PORT=4433
W=/tmp/demo
SRV_UID=1000
SRV_USER=demo
PAYLOAD=262144

OK=0
BAD=0
check() {	# check CONDITION-STATUS TEXT
	if [ "$1" -eq 0 ]; then
		OK=$((OK + 1))
		echo "   [ok] $2"
	else
		BAD=$((BAD + 1))
		echo "   [!!] $2"
	fi
}
step() { echo; echo "== $* =="; }
indent() { sed 's/^/   | /'; }

mkdir -p "$W" && cd "$W" || exit 1
grep -q "^$SRV_USER:" /etc/passwd ||
	echo "$SRV_USER:x:$SRV_UID:$SRV_UID:demo server:$W:/bin/sh" >> /etc/passwd
grep -q "^$SRV_USER:" /etc/group || echo "$SRV_USER:x:$SRV_UID:" >> /etc/group

# The hex digits of one component of an RSA key ("prime1:", ...), from
# "openssl rsa -text"; a leading 00 sign byte is dropped.
rsa_field() {
	openssl rsa -in "$1" -noout -text 2>/dev/null | awk -v want="$2:" '
		$0 ~ /^[A-Za-z0-9]+:/ { on = ($1 == want); next }
		on { gsub(/[ :]/, ""); printf "%s", $0 }' | sed 's/^00//'
}

# A 16-byte window of HEX with no 00 or 0a byte (so that the search below,
# which splits memory at those bytes, can see it whole).
window() {
	hex=$1
	len=${#hex}
	pos=1
	while [ $((pos + 31)) -le "$len" ]; do
		w=$(printf '%s' "$hex" | cut -c "$pos-$((pos + 31))")
		if ! printf '%s\n' "$w" | fold -w 2 | grep -q -E '^(00|0a)$'; then
			printf '%s' "$w"
			return 0
		fi
		pos=$((pos + 2))
	done
	return 1
}

# in_memory PID HEX: whether the process's readable memory holds the bytes.
in_memory() {
	printf '%s' "$2" | xxd -r -p > pattern.bin
	: > mem.bin
	while read -r range perms _ _ _ path; do
		case $perms in r*) ;; *) continue ;; esac
		case $path in \[vvar*\]|\[vsyscall\]) continue ;; esac
		start=$((0x${range%-*}))
		end=$((0x${range#*-}))
		dd if="/proc/$1/mem" bs=4096 skip=$((start / 4096)) \
			count=$(((end - start) / 4096)) 2>/dev/null >> mem.bin
	done < "/proc/$1/maps"
	# busybox grep stops at NUL bytes: make them line ends.
	tr '\000' '\n' < mem.bin | grep -q -F -f pattern.bin
	rc=$?
	rm -f mem.bin pattern.bin
	return $rc
}

echo "sslprov demo: a TLS 1.2 server that never holds a secret (kernel $(uname -r))"

# ---------------------------------------------------------------------------
step "1. root generates an RSA-2048 key and a self-signed certificate"
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
	-subj /CN=localhost -days 2 2>/dev/null
check $? "openssl req -x509 -newkey rsa:2048 -> key.pem, cert.pem"
chmod 0644 cert.pem
# Bytes to look for later, taken before the key file goes.
P_WIN=$(window "$(rsa_field key.pem prime1)")
D_WIN=$(window "$(rsa_field key.pem privateExponent)")
N_WIN=$(window "$(rsa_field key.pem modulus)")
echo "   certificate fingerprint (sslprovctl fingerprint cert.pem):"
sslprovctl fingerprint cert.pem | indent

# ---------------------------------------------------------------------------
step "2. root loads the key into the kernel for uid $SRV_UID, then deletes the file"
echo "   # sslprovctl load --uid $SRV_UID key.pem"
FP=$(sslprovctl load --uid "$SRV_UID" key.pem)
check $? "loaded; the kernel's fingerprint: $FP"
[ "$FP" = "$(sslprovctl fingerprint cert.pem)" ]
check $? "it is the certificate's fingerprint"
rm -f key.pem
[ ! -e key.pem ]
check $? "key.pem deleted: from now on the key exists only in the kernel"
echo "   # sslprovctl list"
sslprovctl list | indent

# ---------------------------------------------------------------------------
step "3. uid $SRV_UID starts the server"
echo "   # su -s /bin/sh $SRV_USER -c 'sslprov-tls12-server --cert cert.pem --port $PORT --echo --once --verbose'"
su -s /bin/sh "$SRV_USER" -c \
	"exec sslprov-tls12-server --cert $W/cert.pem --port $PORT --echo --once --verbose" \
	> /dev/null 2> server.log < /dev/null &
SRV=$!
i=0
while ! grep -q 'listening on port' server.log 2>/dev/null && [ $i -lt 200 ] &&
      kill -0 $SRV 2>/dev/null; do
	i=$((i + 1))
	sleep 0.1
done
grep -q 'listening on port' server.log
check $? "server listening, pid $SRV, $(grep '^Uid:' /proc/$SRV/status | tr -s '\t ' ' ')"

# ---------------------------------------------------------------------------
step "4. openssl s_client connects: TLS 1.2, AES128-GCM-SHA256, data both ways"
echo "   # openssl s_client -connect 127.0.0.1:$PORT -tls1_2 -cipher AES128-GCM-SHA256 -keylogfile keys.log ..."
printf 'Hello, server with no secrets!\n' > to-server.bin
head -c $PAYLOAD /dev/urandom >> to-server.bin
SENT=$(wc -c < to-server.bin)
rm -f in.fifo
mkfifo in.fifo
openssl s_client -connect 127.0.0.1:$PORT -tls1_2 -cipher AES128-GCM-SHA256 \
	-brief -nocommands -no_ign_eof -keylogfile keys.log \
	< in.fifo > from-server.bin 2> client.log &
CLI=$!
exec 3> in.fifo
cat to-server.bin >&3
i=0
while [ "$(wc -c < from-server.bin)" -lt "$SENT" ] && [ $i -lt 1200 ] &&
      kill -0 $CLI 2>/dev/null; do
	i=$((i + 1))
	sleep 0.1
done
RECEIVED=$(wc -c < from-server.bin)
PROTO=$(sed -n 's/^Protocol version: //p' client.log)
CIPHER=$(sed -n 's/^Ciphersuite: //p' client.log)
echo "   s_client reports: protocol $PROTO, cipher $CIPHER"
[ "$PROTO" = TLSv1.2 ] && [ "$CIPHER" = AES128-GCM-SHA256 ]
check $? "negotiated TLSv1.2 with AES128-GCM-SHA256"
echo "   client -> server: $SENT bytes; server -> client: $RECEIVED bytes (echoed)"
[ "$(sha256sum < to-server.bin | cut -d' ' -f1)" = "$(sha256sum < from-server.bin | cut -d' ' -f1)" ]
check $? "what came back is what was sent (sha256)"
head -n 1 from-server.bin | sed 's/^/   first line back: /'

# ---------------------------------------------------------------------------
step "5. root searches the live server's memory (/proc/$SRV/mem) for secrets"
MS=$(awk '$1 == "CLIENT_RANDOM" { print $3 }' keys.log | tail -n 1)
MS_WIN=$(window "$MS")
[ -n "$MS" ]
check $? "the client logged this session's master secret (48 bytes, keys.log)"
if [ -n "$N_WIN" ] && kill -0 $SRV 2>/dev/null; then
	in_memory $SRV "$N_WIN"
	check $? "control: the public modulus n (in its certificate) IS found"
fi
if [ -n "$P_WIN" ]; then
	if in_memory $SRV "$P_WIN"; then
		check 1 "private key prime p: FOUND in the server's memory"
	else
		check 0 "private key prime p: not in the server's memory"
	fi
fi
if [ -n "$D_WIN" ]; then
	if in_memory $SRV "$D_WIN"; then
		check 1 "private exponent d: FOUND in the server's memory"
	else
		check 0 "private exponent d: not in the server's memory"
	fi
fi
if [ -n "$MS_WIN" ]; then
	if in_memory $SRV "$MS_WIN"; then
		check 1 "this session's master secret: FOUND in the server's memory"
	else
		check 0 "this session's master secret: not in the server's memory"
	fi
fi
echo "   the server's open files: $(for f in /proc/$SRV/fd/*; do readlink "$f"; done |
	sed 's/^socket:.*/socket/' | grep -E 'sslprov|socket' | sort | uniq -c |
	awk '{ printf "%s%s x%s", sep, $2, $1; sep = ", " }')"

# ---------------------------------------------------------------------------
step "6. the client closes; the server's own account (--verbose)"
exec 3>&-
wait $CLI
wait $SRV
SRV_RC=$?
check $SRV_RC "server served the connection and exited with status $SRV_RC"
indent < server.log
echo "   What the server held: the handles above (provider, private key, hash,"
echo "   master key, read and write keys - numbers naming kernel objects),"
echo "   the randoms, the certificate and the Finished values.  The premaster,"
echo "   master secret and record keys never left the kernel: SslKtlsAttach"
echo "   moved the record keys from the sslprov module into kernel TLS."
grep -q 'kTLS TX keyed' server.log && grep -q 'kTLS RX keyed' server.log
check $? "both directions of the data ran through kernel TLS"

# ---------------------------------------------------------------------------
step "7. root unloads the key"
sslprovctl unload "$FP"
check $? "sslprovctl unload $FP"
sslprovctl list | indent

echo
echo "demo: $OK checks passed, $BAD failed"
[ $BAD -eq 0 ]
