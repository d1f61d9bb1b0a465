// SPDX-License-Identifier: GPL-2.0
/*
 * RSA private keys and the server side of TLS RSA key exchange.
 *
 * The exponentiation is the kernel's raw "rsa" akcipher.  It is neither
 * blinded nor constant time, so the ciphertext is blinded here first
 * (c * r^e, and the result multiplied by r^-1), and the PKCS#1 v1.5
 * unpadding is done without any branch or early exit that depends on the
 * decrypted bytes.  A bad ciphertext is not an error: it silently yields a
 * random premaster (RFC 5246 section 7.4.7.1), which is what defeats
 * Bleichenbacher-style oracles.  pkcs1pad is not used: it reports padding
 * errors, which is exactly such an oracle.
 *
 * lib/mpi itself is not constant time (its arithmetic depends on operand
 * lengths); blinding keeps what it handles independent of the secret.
 */
#include <crypto/akcipher.h>
#include <crypto/sha2.h>
#include <crypto/internal/rsa.h>
#include <linux/mpi.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "compat.h"
#include "key.h"

/* Fresh blinding values after this many uses of the squared ones. */
#define SSLPROV_BLIND_REFRESH	64

/*
 * A blinding inverse r^-1 mod n is computed the way the private operation
 * is, by the Chinese remainder theorem: r^(p - 2) mod p and r^(q - 2)
 * mod q (Fermat) are two half-size exponentiations, a quarter of the work
 * of r^(phi(n) - 1) mod n.
 */
struct sslprov_rsa_crt {
	MPI p;
	MPI q;
	MPI p_minus_2;
	MPI q_minus_2;
	MPI qinv;			/* q^-1 mod p, from the key */
};

struct sslprov_rsa_priv {
	struct sslprov_rsa pub;
	struct sslprov_rsa_crt crt;
	struct mutex blind_lock;	/* guards blind_a, blind_b, uses */
	MPI blind_a;			/* r^e mod n */
	MPI blind_b;			/* r^-1 mod n */
	unsigned int uses;
};

static struct sslprov_rsa_priv *to_priv(struct sslprov_rsa *rsa)
{
	return container_of(rsa, struct sslprov_rsa_priv, pub);
}

/* Big-endian, left-padded to exactly @len bytes. */
int sslprov_mpi_to_be(MPI a, u8 *out, unsigned int len)
{
	unsigned int nbytes = DIV_ROUND_UP(mpi_get_nbits(a), 8);
	unsigned int got;

	if (nbytes > len)
		return -EOVERFLOW;
	memset(out, 0, len - nbytes);
	if (!nbytes)
		return 0;
	return mpi_read_buffer(a, out + len - nbytes, nbytes, &got, NULL);
}

/* (a * b) mod n into a fresh MPI. */
static MPI sslprov_mulm(MPI a, MPI b, MPI n)
{
	MPI r = mpi_alloc(0);

	if (r && sslprov_mpi_status(mpi_mulm(r, a, b, n))) {
		mpi_free(r);
		r = NULL;
	}
	return r;
}

/*
 * x = r^(m - 2) mod m, r's inverse mod the prime m.  mpi_powm() wants the
 * base below the modulus, so r is reduced first (r * 1 mod m).
 */
static int sslprov_inv_mod_prime(MPI x, MPI r, MPI m, MPI m_minus_2, MPI one)
{
	MPI rm = mpi_alloc(0);
	int ret;

	if (!rm)
		return -ENOMEM;
	ret = sslprov_mpi_status(mpi_mulm(rm, r, one, m)) ?:
	      mpi_powm(x, rm, m_minus_2, m);
	mpi_free(rm);
	return ret;
}

/*
 * b = r^-1 mod n from its residues xp mod p and xq mod q (Garner):
 * b = xq + q * (qinv * (xp - xq) mod p), which is below n.
 */
static int sslprov_blind_inverse(const struct sslprov_rsa_crt *crt, MPI r,
				 MPI b)
{
	static const u8 one_be = 1;
	MPI xp, xq, h, one;
	int ret = -ENOMEM;

	xp = mpi_alloc(0);
	xq = mpi_alloc(0);
	h = mpi_alloc(0);
	one = mpi_read_raw_data(&one_be, 1);
	if (!xp || !xq || !h || !one)
		goto out;
	ret = sslprov_inv_mod_prime(xp, r, crt->p, crt->p_minus_2, one) ?:
	      sslprov_inv_mod_prime(xq, r, crt->q, crt->q_minus_2, one) ?:
	      sslprov_mpi_status(mpi_subm(h, xp, xq, crt->p)) ?:
	      sslprov_mpi_status(mpi_mulm(h, h, crt->qinv, crt->p)) ?:
	      sslprov_mpi_status(mpi_mul(b, h, crt->q)) ?:
	      sslprov_mpi_status(mpi_add(b, b, xq));
out:
	mpi_free(xp);
	mpi_free(xq);
	mpi_free(h);
	mpi_free(one);
	return ret;
}

/* r * b == 1 (mod n): the key's CRT values agree with its modulus. */
static int sslprov_blind_check(MPI r, MPI b, MPI n)
{
	MPI t = mpi_alloc(0);
	int ret = -ENOMEM;

	if (t && !sslprov_mpi_status(mpi_mulm(t, r, b, n)))
		ret = mpi_cmp_ui(t, 1) ? -EILSEQ : 0;
	mpi_free(t);
	return ret;
}

/* A new blinding pair: r random below n, a = r^e, b = r^-1. */
static int sslprov_blind_refresh(struct sslprov_rsa_priv *priv)
{
	struct sslprov_rsa *rsa = &priv->pub;
	unsigned int len = rsa->mod_len - 1;	/* so that r < n */
	MPI r = NULL, a = NULL, b = NULL;
	u8 *buf;
	int ret = -ENOMEM;

	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	get_random_bytes(buf, len);
	buf[0] |= 0x80;		/* never zero, never tiny */
	r = mpi_read_raw_data(buf, len);
	a = mpi_alloc(0);
	b = mpi_alloc(0);
	if (!r || !a || !b)
		goto out;
	/*
	 * r shares no factor with n unless it is a multiple of p or q,
	 * which a random r is not (probability about 2^-1023); the check
	 * below would refuse it, and it refuses a key whose qinv is wrong.
	 */
	ret = mpi_powm(a, r, rsa->e, rsa->n) ?:
	      sslprov_blind_inverse(&priv->crt, r, b) ?:
	      sslprov_blind_check(r, b, rsa->n);
	if (ret)
		goto out;
	swap(priv->blind_a, a);
	swap(priv->blind_b, b);
	priv->uses = 0;
out:
	mpi_free(r);
	mpi_free(a);
	mpi_free(b);
	kfree_sensitive(buf);
	return ret;
}

/* Take the current blinding pair and advance it by squaring. */
static int sslprov_blind_take(struct sslprov_rsa_priv *priv, MPI *a, MPI *b)
{
	struct sslprov_rsa *rsa = &priv->pub;
	MPI na, nb;
	int ret = 0;

	mutex_lock(&priv->blind_lock);
	if (priv->uses >= SSLPROV_BLIND_REFRESH)
		ret = sslprov_blind_refresh(priv);
	if (ret)
		goto out;
	na = sslprov_mulm(priv->blind_a, priv->blind_a, rsa->n);
	nb = sslprov_mulm(priv->blind_b, priv->blind_b, rsa->n);
	if (!na || !nb) {
		mpi_free(na);
		mpi_free(nb);
		ret = -ENOMEM;
		goto out;
	}
	*a = priv->blind_a;
	*b = priv->blind_b;
	priv->blind_a = na;
	priv->blind_b = nb;
	priv->uses++;
out:
	mutex_unlock(&priv->blind_lock);
	return ret;
}

/* The raw private-key operation: out = in^d mod n, both mod_len bytes. */
static int sslprov_rsa_raw(struct sslprov_rsa *rsa, u8 *in, u8 *out)
{
	struct akcipher_request *req;
	struct scatterlist src, dst;
	DECLARE_CRYPTO_WAIT(wait);
	int ret;

	req = akcipher_request_alloc(rsa->tfm, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	sg_init_one(&src, in, rsa->mod_len);
	sg_init_one(&dst, out, rsa->mod_len);
	akcipher_request_set_crypt(req, &src, &dst, rsa->mod_len,
				   rsa->mod_len);
	akcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP,
				      crypto_req_done, &wait);
	ret = crypto_wait_req(crypto_akcipher_decrypt(req), &wait);
	akcipher_request_free(req);
	return ret;
}

/* em = (blinded c)^d, unblinded; em is mod_len bytes. */
static int sslprov_rsa_decrypt_blinded(struct sslprov_rsa *rsa, MPI c, u8 *em)
{
	unsigned int len = rsa->mod_len;
	MPI a = NULL, b = NULL, cb = NULL, mb = NULL, m = NULL;
	u8 *buf;
	int ret;

	buf = kmalloc(2 * len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = sslprov_blind_take(to_priv(rsa), &a, &b);
	if (ret)
		goto out;
	ret = -ENOMEM;
	cb = sslprov_mulm(c, a, rsa->n);
	if (!cb)
		goto out;
	ret = sslprov_mpi_to_be(cb, buf, len) ?:
	      sslprov_rsa_raw(rsa, buf, buf + len);
	if (ret)
		goto out;
	ret = -ENOMEM;
	mb = mpi_read_raw_data(buf + len, len);
	if (!mb)
		goto out;
	m = sslprov_mulm(mb, b, rsa->n);
	if (!m)
		goto out;
	ret = sslprov_mpi_to_be(m, em, len);
out:
	mpi_free(a);
	mpi_free(b);
	mpi_free(cb);
	mpi_free(mb);
	mpi_free(m);
	kfree_sensitive(buf);
	return ret;
}

/* 0xff if a == b, else 0, without a branch. */
static u8 ct_eq_mask(u8 a, u8 b)
{
	u32 x = a ^ b;

	/* x - 1 underflows (top bit set) exactly when x == 0. */
	return (u8)(0 - ((x - 1) >> 31));
}

/*
 * Check EM = 00 || 02 || PS (all non-zero) || 00 || M with |M| = 48, and
 * pick M or the random fallback, touching every byte the same way whatever
 * their values.  The message position is fixed by the required length, so
 * no search for the separator is needed.
 */
static void sslprov_unpad_select(const u8 *em, unsigned int k,
				 const u8 *fallback, u8 *out)
{
	u8 good = ct_eq_mask(em[0], 0) & ct_eq_mask(em[1], 2) &
		  ct_eq_mask(em[k - 49], 0);
	unsigned int i;

	for (i = 2; i < k - 49; i++)
		good &= ~ct_eq_mask(em[i], 0);
	for (i = 0; i < 46; i++)
		out[i] = (em[k - 46 + i] & good) | (fallback[i] & ~good);
}

/**
 * sslprov_rsa_decrypt_premaster() - the server's half of RSA key exchange.
 * @rsa: the server's private key.
 * @enc: EncryptedPreMasterSecret, without its length prefix.
 * @enc_len: its length.
 * @client_version: ClientHello.client_version.
 * @premaster: out: 48 bytes, client_version || 46 bytes.
 *
 * Return: 0, or a negative errno for failures that do not depend on the
 * ciphertext's content (memory, crypto API).  Malformed ciphertexts
 * succeed with a random premaster.
 */
int sslprov_rsa_decrypt_premaster(struct sslprov_rsa *rsa, const u8 *enc,
				  unsigned int enc_len, u16 client_version,
				  u8 premaster[48])
{
	unsigned int k = rsa->mod_len;
	u8 fallback[46];
	MPI c = NULL;
	u8 *em;
	int ret;

	/* Drawn first, whatever the ciphertext turns out to be. */
	get_random_bytes(fallback, sizeof(fallback));
	premaster[0] = client_version >> 8;
	premaster[1] = client_version & 0xff;

	em = kzalloc(k, GFP_KERNEL);
	if (!em)
		return -ENOMEM;
	/* Length and range are public: no secret is involved yet. */
	if (enc_len != k)
		goto use_fallback;
	c = mpi_read_raw_data(enc, enc_len);
	if (!c) {
		ret = -ENOMEM;
		goto out;
	}
	/*
	 * 0 and 1 are their own powers (and newer kernels' raw RSA refuses
	 * them, as it refuses c >= n): public values, so a plain branch.
	 */
	if (mpi_cmp(c, rsa->n) >= 0 || mpi_cmp_ui(c, 1) <= 0)
		goto use_fallback;
	ret = sslprov_rsa_decrypt_blinded(rsa, c, em);
	/* Raw RSA refusing the blinded value says nothing about the secret. */
	if (ret == -EINVAL)
		goto use_fallback;
	if (ret)
		goto out;
	sslprov_unpad_select(em, k, fallback, premaster + 2);
	goto out;

use_fallback:
	memcpy(premaster + 2, fallback, sizeof(fallback));
	ret = 0;
out:
	mpi_free(c);
	kfree_sensitive(em);
	memzero_explicit(fallback, sizeof(fallback));
	return ret;
}

/* DER length octets for @len (< 64 KiB), returns bytes written. */
static unsigned int sslprov_der_len(u8 *p, unsigned int len)
{
	if (len < 0x80) {
		p[0] = len;
		return 1;
	}
	if (len < 0x100) {
		p[0] = 0x81;
		p[1] = len;
		return 2;
	}
	p[0] = 0x82;
	p[1] = len >> 8;
	p[2] = len & 0xff;
	return 3;
}

/* Size of a DER INTEGER holding the unsigned big-endian @v. */
static unsigned int sslprov_der_uint(u8 *p, const u8 *v, unsigned int len)
{
	unsigned int n = 0, pad;

	while (len > 1 && !v[0]) {
		v++;
		len--;
	}
	pad = v[0] & 0x80 ? 1 : 0;
	if (p) {
		p[n++] = 0x02;
		n += sslprov_der_len(p + n, len + pad);
		if (pad)
			p[n++] = 0;
		memcpy(p + n, v, len);
		return n + len;
	}
	return 1 + (len + pad < 0x80 ? 1 : len + pad < 0x100 ? 2 : 3) +
	       len + pad;
}

static const u8 sslprov_rsa_alg_id[] = {
	0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
	0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
};

static unsigned int sslprov_hdr_len(unsigned int len)
{
	return 1 + (len < 0x80 ? 1 : len < 0x100 ? 2 : 3);
}

/*
 * SHA-256 over the DER SubjectPublicKeyInfo, the same bytes as
 * "openssl pkey -pubout -outform DER" gives, so administrators can match
 * fingerprints with standard tools.
 */
static int sslprov_rsa_fingerprint(const struct rsa_key *raw, u8 *out)
{
	unsigned int ilen, slen, blen, total, n = 0;
	u8 *der;

	ilen = sslprov_der_uint(NULL, raw->n, raw->n_sz) +
	       sslprov_der_uint(NULL, raw->e, raw->e_sz);
	slen = sslprov_hdr_len(ilen) + ilen;		/* RSAPublicKey */
	blen = slen + 1;				/* BIT STRING body */
	total = sizeof(sslprov_rsa_alg_id) + sslprov_hdr_len(blen) + blen;
	der = kmalloc(sslprov_hdr_len(total) + total, GFP_KERNEL);
	if (!der)
		return -ENOMEM;
	der[n++] = 0x30;
	n += sslprov_der_len(der + n, total);
	memcpy(der + n, sslprov_rsa_alg_id, sizeof(sslprov_rsa_alg_id));
	n += sizeof(sslprov_rsa_alg_id);
	der[n++] = 0x03;
	n += sslprov_der_len(der + n, blen);
	der[n++] = 0x00;				/* no unused bits */
	der[n++] = 0x30;
	n += sslprov_der_len(der + n, ilen);
	n += sslprov_der_uint(der + n, raw->n, raw->n_sz);
	n += sslprov_der_uint(der + n, raw->e, raw->e_sz);
	sha256(der, n, out);
	kfree(der);
	return 0;
}

static void sslprov_rsa_free(struct sslprov_rsa_priv *priv)
{
	struct sslprov_rsa *rsa = &priv->pub;

	mpi_free(priv->blind_a);
	mpi_free(priv->blind_b);
	mpi_free(priv->crt.p);
	mpi_free(priv->crt.q);
	mpi_free(priv->crt.p_minus_2);
	mpi_free(priv->crt.q_minus_2);
	mpi_free(priv->crt.qinv);
	mpi_free(rsa->e);
	mpi_free(rsa->n);
	if (rsa->tfm)
		crypto_free_akcipher(rsa->tfm);
	mutex_destroy(&priv->blind_lock);
	kfree_sensitive(priv);
}

/* The CRT values for blinding inverses; on failure the caller frees. */
static int sslprov_rsa_crt_init(struct sslprov_rsa_crt *crt,
				const struct rsa_key *raw)
{
	crt->p = mpi_read_raw_data(raw->p, raw->p_sz);
	crt->q = mpi_read_raw_data(raw->q, raw->q_sz);
	crt->qinv = mpi_read_raw_data(raw->qinv, raw->qinv_sz);
	crt->p_minus_2 = mpi_alloc(0);
	crt->q_minus_2 = mpi_alloc(0);
	if (!crt->p || !crt->q || !crt->qinv || !crt->p_minus_2 ||
	    !crt->q_minus_2)
		return -ENOMEM;
	/* Primes of a key the size checks allow are far above 2. */
	if (mpi_cmp_ui(crt->p, 3) < 0 || mpi_cmp_ui(crt->q, 3) < 0)
		return -EILSEQ;
	return mpi_sub_ui(crt->p_minus_2, crt->p, 2) ?:
	       mpi_sub_ui(crt->q_minus_2, crt->q, 2);
}

static int sslprov_rsa_setup(struct sslprov_rsa_priv *priv,
			     const struct rsa_key *raw, const u8 *der,
			     unsigned int len)
{
	struct sslprov_rsa *rsa = &priv->pub;
	int ret;

	rsa->tfm = crypto_alloc_akcipher("rsa", 0, 0);
	if (IS_ERR(rsa->tfm)) {
		ret = PTR_ERR(rsa->tfm);
		rsa->tfm = NULL;
		return ret;
	}
	ret = crypto_akcipher_set_priv_key(rsa->tfm, der, len);
	if (ret)
		return -EILSEQ;
	rsa->n = mpi_read_raw_data(raw->n, raw->n_sz);
	rsa->e = mpi_read_raw_data(raw->e, raw->e_sz);
	if (!rsa->n || !rsa->e)
		return -ENOMEM;
	ret = sslprov_rsa_crt_init(&priv->crt, raw);
	if (ret)
		return ret;
	rsa->bits = mpi_get_nbits(rsa->n);
	rsa->mod_len = DIV_ROUND_UP(rsa->bits, 8);
	if (rsa->bits < SSLPROV_RSA_MIN_BITS ||
	    rsa->bits > SSLPROV_RSA_MAX_BITS ||
	    crypto_akcipher_maxsize(rsa->tfm) != rsa->mod_len)
		return -EOPNOTSUPP;
	ret = sslprov_rsa_fingerprint(raw, rsa->fingerprint);
	if (ret)
		return ret;
	return sslprov_blind_refresh(priv);
}

/* The outer SEQUENCE must span the buffer exactly: no trailing bytes. */
bool sslprov_der_exact(const u8 *der, unsigned int len)
{
	unsigned int hdr, body, n, i;

	if (len < 2 || der[0] != 0x30)
		return false;
	if (der[1] < 0x80) {
		hdr = 2;
		body = der[1];
	} else {
		n = der[1] & 0x7f;
		if (n < 1 || n > 2 || len < 2 + n)
			return false;
		for (body = 0, i = 0; i < n; i++)
			body = body << 8 | der[2 + i];
		hdr = 2 + n;
	}
	return hdr + body == len;
}

/**
 * sslprov_rsa_create() - an RSA private key from its PKCS#1 DER form.
 * @der: RSAPrivateKey with all eight components.
 * @len: its length.
 *
 * Return: the key with one reference, or ERR_PTR(-EILSEQ) for a malformed
 * key, -EOPNOTSUPP for an unsupported size, -ENOMEM.
 */
struct sslprov_rsa *sslprov_rsa_create(const u8 *der, unsigned int len)
{
	struct sslprov_rsa_priv *priv;
	struct rsa_key raw = {};
	int ret;

	if (!sslprov_der_exact(der, len) || rsa_parse_priv_key(&raw, der, len))
		return ERR_PTR(-EILSEQ);
	if (!raw.n_sz || !raw.e_sz || !raw.d_sz || !raw.p_sz || !raw.q_sz ||
	    !raw.dp_sz || !raw.dq_sz || !raw.qinv_sz)
		return ERR_PTR(-EILSEQ);

	priv = kzalloc(sizeof(*priv), SSLPROV_GFP_USER);
	if (!priv)
		return ERR_PTR(-ENOMEM);
	kref_init(&priv->pub.ref);
	mutex_init(&priv->blind_lock);
	ret = sslprov_rsa_setup(priv, &raw, der, len);
	if (ret) {
		sslprov_rsa_free(priv);
		return ERR_PTR(ret);
	}
	return &priv->pub;
}

static void sslprov_rsa_release(struct kref *ref)
{
	sslprov_rsa_free(to_priv(container_of(ref, struct sslprov_rsa, ref)));
}

void sslprov_rsa_put(struct sslprov_rsa *rsa)
{
	if (rsa)
		kref_put(&rsa->ref, sslprov_rsa_release);
}
