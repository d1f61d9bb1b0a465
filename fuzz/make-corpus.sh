#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make-corpus.sh OUTDIR - seed corpora for the libFuzzer targets, made
# fresh with openssl (no key or certificate is ever committed):
#
#   OUTDIR/keyblob/      selector byte + BCRYPT_RSA(FULL)PRIVATE_BLOB / PKCS#8
#   OUTDIR/pubblob/      BCRYPT_RSAPUBLIC_BLOB
#   OUTDIR/cert/         DER X.509 certificates
#   OUTDIR/keyfile/      selector byte + PEM/DER keys, certificates, SPKIs
#   OUTDIR/tls12/        client flights: a real s_client ClientHello record,
#                        ClientKeyExchange, ChangeCipherSpec, Finished
set -eu

out=${1:?usage: make-corpus.sh OUTDIR}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sslprov-corpus.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out/keyblob" "$out/pubblob" "$out/cert" "$out/keyfile" "$out/tls12"

# Selector byte $1 (octal escape) followed by file $2, into $3.
with_sel() {
	{ printf "$1"; cat "$2"; } >"$3"
}

for bits in 1024 2048; do
	k=$tmp/rsa$bits
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$bits \
		-out "$k.pem" 2>/dev/null
	openssl pkey -in "$k.pem" -outform DER -out "$k.p8.der"
	openssl rsa -in "$k.pem" -traditional -out "$k.p1.pem" 2>/dev/null
	openssl rsa -in "$k.pem" -traditional -outform DER -out "$k.p1.der" 2>/dev/null
	openssl pkey -in "$k.pem" -pubout -out "$k.pub.pem"
	openssl pkey -in "$k.pem" -pubout -outform DER -out "$k.pub.der"
	openssl req -x509 -new -key "$k.pem" -subj "/CN=fuzz$bits" -days 2 \
		-outform DER -out "$k.crt.der" 2>/dev/null
	openssl x509 -inform DER -in "$k.crt.der" -out "$k.crt.pem"
	# The BCRYPT blobs, from the key's components as openssl prints them.
	openssl rsa -in "$k.pem" -text -noout 2>/dev/null >"$k.txt"
	python3 - "$k.txt" "$tmp/blob$bits" <<'PY'
import re, struct, sys
text = open(sys.argv[1]).read()
def comp(name):
    m = re.search(r'^' + name + r':\s*\n((?:\s+[0-9a-f:]+\n)+)', text, re.M)
    h = re.sub(r'[\s:]', '', m.group(1))
    return bytes.fromhex(h).lstrip(b'\0')
e = int(re.search(r'publicExponent: (\d+)', text).group(1))
eb = e.to_bytes((e.bit_length() + 7) // 8, 'big')
n, p, q = comp('modulus'), comp('prime1'), comp('prime2')
dp, dq, qi, d = comp('exponent1'), comp('exponent2'), comp('coefficient'), comp('privateExponent')
bits = len(n) * 8
def hdr(magic):
    return struct.pack('<6I', magic, bits, len(eb), len(n), len(p), len(q))
# Windows pads dp, dq, qinv to cbPrime1/2 and d to cbModulus.
def pad(b, l):
    return b.rjust(l, b'\0')
priv = hdr(0x32415352) + eb + n + p + q
full = (hdr(0x33415352) + eb + n + p + q + pad(dp, len(p)) + pad(dq, len(q)) +
        pad(qi, len(p)) + pad(d, len(n)))
open(sys.argv[2] + '.priv', 'wb').write(b'\0' + priv)
open(sys.argv[2] + '.full', 'wb').write(b'\1' + full)
open(sys.argv[2] + '.pub', 'wb').write(struct.pack('<6I', 0x31415352, bits, len(eb), len(n), 0, 0) + eb + n)
PY
	cp "$tmp/blob$bits.priv" "$out/keyblob/rsapriv$bits"
	cp "$tmp/blob$bits.full" "$out/keyblob/rsafull$bits"
	cp "$tmp/blob$bits.pub" "$out/pubblob/rsapub$bits"
	with_sel '\002' "$k.p8.der" "$out/keyblob/pkcs8-$bits"
	cp "$k.crt.der" "$out/cert/crt$bits.der"
	with_sel '\000' "$k.pem" "$out/keyfile/p8pem$bits"
	with_sel '\000' "$k.p1.pem" "$out/keyfile/p1pem$bits"
	with_sel '\000' "$k.p8.der" "$out/keyfile/p8der$bits"
	with_sel '\000' "$k.p1.der" "$out/keyfile/p1der$bits"
	with_sel '\001' "$k.crt.pem" "$out/keyfile/crtpem$bits"
	with_sel '\001' "$k.crt.der" "$out/keyfile/crtder$bits"
	with_sel '\001' "$k.pub.pem" "$out/keyfile/pubpem$bits"
	with_sel '\001' "$k.pub.der" "$out/keyfile/pubder$bits"
done
# A non-RSA key: the paths that refuse it.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/ec.pem" 2>/dev/null
openssl pkey -in "$tmp/ec.pem" -outform DER -out "$tmp/ec.der"
with_sel '\002' "$tmp/ec.der" "$out/keyblob/pkcs8-ec"
with_sel '\000' "$tmp/ec.pem" "$out/keyfile/ecpem"

# A real ClientHello: what openssl s_client sends first, caught by a
# listener that closes after reading it.
python3 - "$tmp/ch" <<'PY' &
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', 0))
s.listen(1)
open(sys.argv[1] + '.port', 'w').write(str(s.getsockname()[1]))
s.settimeout(20)
c, _ = s.accept()
c.settimeout(5)
data = b''
while len(data) < 5 or len(data) < 5 + int.from_bytes(data[3:5], 'big'):
    chunk = c.recv(65536)
    if not chunk:
        break
    data += chunk
open(sys.argv[1], 'wb').write(data)
c.close()
PY
lpid=$!
i=0
while [ ! -s "$tmp/ch.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$tmp/ch.port")
openssl s_client -connect "127.0.0.1:$port" -tls1_2 \
	-cipher AES128-GCM-SHA256:AES256-GCM-SHA384 </dev/null >/dev/null 2>&1 || true
wait $lpid || true
python3 - "$tmp/ch" "$out/tls12" <<'PY'
import os, sys
ch = open(sys.argv[1], 'rb').read() if os.path.exists(sys.argv[1]) else b''
def rec(t, body):
    return bytes([t, 3, 3]) + len(body).to_bytes(2, 'big') + body
def hs(t, body):
    return bytes([t]) + len(body).to_bytes(3, 'big') + body
pre = os.urandom(256)
cke = rec(22, hs(16, len(pre).to_bytes(2, 'big') + pre))
ccs = rec(20, b'\1')
fin = rec(22, os.urandom(40))  # an encrypted Finished record, as on the wire
d = sys.argv[2]
if ch:
    open(d + '/clienthello', 'wb').write(ch)
    open(d + '/flight', 'wb').write(ch + cke + ccs + fin)
    # The same flight with every handshake message split across records.
    body = ch[5:]
    open(d + '/fragmented', 'wb').write(b''.join(rec(22, body[i:i + 7])
                                                 for i in range(0, len(body), 7)) + cke)
open(d + '/cke', 'wb').write(cke + ccs + fin)
open(d + '/finished', 'wb').write(rec(22, hs(20, os.urandom(12))))
open(d + '/alert', 'wb').write(rec(21, b'\2\50'))
PY
n=$(find "$out" -type f | wc -l)
echo "make-corpus: $n seed files in $out"
[ -s "$out/tls12/clienthello" ] || echo "make-corpus: warning: no ClientHello captured from s_client" >&2
