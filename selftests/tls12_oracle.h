/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The oracles of the tls12_*_test programs: independent implementations of
 * the TLS 1.0-1.2 cryptography sslprov does (OpenSSL libcrypto for the PRF,
 * digests, RSA and AES-GCM; libkcapi for a second, hand-written P_hash),
 * the program's RSA key, and hex dumps for readable failures.  Nothing here
 * talks to the module; tls12_common.h does.
 *
 * Functions named tk_*() never use the harness's assertions and return 0 or
 * a negative errno.
 *
 * The oracles follow the RFCs, never the module: PRF = RFC 2246 section 5 /
 * RFC 5246 section 5, master secret = RFC 5246 8.1 and RFC 7627 section 4,
 * Finished = RFC 5246 7.4.9, key block = RFC 5246 6.3, records = RFC 5288.
 */
#ifndef TLS12_ORACLE_H
#define TLS12_ORACLE_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <kcapi.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <linux/sslprov.h>

#define TK_MASTER_LEN		48
#define TK_PREMASTER_LEN	48
#define TK_VERIFY_LEN		12
#define TK_RSA_BITS		2048
#define TK_GCM_TAG		16
#define TK_GCM_EXPLICIT		8
#define TK_HDR			5
/* Header + explicit nonce + tag: what a GCM record adds to its plaintext. */
#define TK_GCM_OVERHEAD		(TK_HDR + TK_GCM_EXPLICIT + TK_GCM_TAG)

#define TK_SUITE_AES128_CBC_SHA	0x002f
#define TK_SUITE_AES256_CBC_SHA	0x0035

#define TK_CT_CCS		20
#define TK_CT_ALERT		21
#define TK_CT_HANDSHAKE		22
#define TK_CT_APPDATA		23

#define TK_UNUSED __attribute__((unused))

/* --- hex dumps ------------------------------------------------------------ */

/*
 * @p as hex into one of a few rotating static buffers, so that several
 * dumps fit in one TH_LOG().  Long buffers are cut with "..." and a length.
 */
static TK_UNUSED const char *tk_hex(const void *p, size_t n)
{
	static char bufs[6][400];
	static unsigned int next;
	const uint8_t *b = p;
	char *out = bufs[next++ % 6];
	size_t i, max = (sizeof(bufs[0]) - 32) / 2, off = 0;

	for (i = 0; i < n && i < max; i++)
		off += sprintf(out + off, "%02x", b[i]);
	if (n > max)
		sprintf(out + off, "...(%zu bytes)", n);
	else if (!n)
		strcpy(out, "(empty)");
	return out;
}

/* Index of the first differing byte, or -1. */
static TK_UNUSED long tk_first_diff(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	size_t i;

	for (i = 0; i < n; i++)
		if (x[i] != y[i])
			return (long)i;
	return -1;
}

/*
 * EXPECT that @got equals @want (@len bytes); on mismatch log both in hex
 * (around the first difference for long buffers).  Evaluates to true when
 * equal.
 */
#define TK_EXPECT_MEM(want, got, len, what) ({				\
	const uint8_t *__w = (const uint8_t *)(want);			\
	const uint8_t *__g = (const uint8_t *)(got);			\
	size_t __n = (len);						\
	long __d = tk_first_diff(__w, __g, __n);			\
	if (__d >= 0) {							\
		size_t __o = __d > 16 ? (size_t)__d - 16 : 0;		\
		size_t __l = __n - __o < 64 ? __n - __o : 64;		\
		TH_LOG("%s: %zu bytes differ from byte %ld on",	\
		       (what), __n, __d);				\
		TH_LOG("  want[%zu..] %s", __o, tk_hex(__w + __o, __l)); \
		TH_LOG("  got [%zu..] %s", __o, tk_hex(__g + __o, __l)); \
	}								\
	EXPECT_EQ(-1, __d);						\
	__d < 0;							\
})

/* --- OpenSSL helpers -------------------------------------------------------- */

/* The OpenSSL error queue as one line (for logs), and cleared. */
static TK_UNUSED const char *tk_ossl_err(void)
{
	static char buf[256];
	unsigned long e = ERR_get_error();

	if (!e)
		return "no OpenSSL error";
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

static TK_UNUSED int tk_random(void *p, size_t n)
{
	return RAND_bytes(p, (int)n) == 1 ? 0 : -EIO;
}

/* The PRF and transcript hash of a protocol version and suite. */
static TK_UNUSED const char *tk_prf_md(uint32_t protocol, uint32_t suite)
{
	if (protocol < 0x0303)
		return "MD5-SHA1";	/* RFC 2246 section 5 */
	/* RFC 5288: the _SHA384 suites; every other suite here: SHA-256. */
	return suite == 0x009d ? "SHA384" : "SHA256";
}

/*
 * PRF(secret, label, seed1 || seed2) into @out with OpenSSL's "TLS1-PRF"
 * KDF.  The digest "MD5-SHA1" selects the TLS 1.0/1.1 construction
 * (P_MD5 XOR P_SHA1 over the two halves of the secret).
 */
static TK_UNUSED int tk_prf(const char *md, const void *secret, size_t slen,
			    const char *label, const void *s1, size_t l1,
			    const void *s2, size_t l2, void *out, size_t olen)
{
	size_t llen = strlen(label), n = 0;
	uint8_t seed[256];
	OSSL_PARAM params[4];
	EVP_KDF_CTX *ctx = NULL;
	EVP_KDF *kdf;
	int ret = -EIO;

	if (llen + l1 + l2 > sizeof(seed))
		return -EINVAL;
	memcpy(seed, label, llen);
	n += llen;
	if (l1)
		memcpy(seed + n, s1, l1);
	n += l1;
	if (l2)
		memcpy(seed + n, s2, l2);
	n += l2;

	kdf = EVP_KDF_fetch(NULL, "TLS1-PRF", NULL);
	if (!kdf)
		return -ENOENT;
	ctx = EVP_KDF_CTX_new(kdf);
	if (!ctx)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						     (char *)md, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET,
						      (void *)secret, slen);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED,
						      seed, n);
	params[3] = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, out, olen, params) == 1)
		ret = 0;
out:
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return ret;
}

/* Digest with OpenSSL ("MD5-SHA1" gives MD5 || SHA-1, 36 bytes). */
static TK_UNUSED int tk_digest(const char *md, const void *data, size_t len,
			       uint8_t *out, unsigned int *olen)
{
	EVP_MD *m = EVP_MD_fetch(NULL, md, NULL);
	int ok;

	if (!m)
		return -ENOENT;
	ok = EVP_Digest(data, len, out, olen, m, NULL);
	EVP_MD_free(m);
	return ok == 1 ? 0 : -EIO;
}

/* --- the RSA key: generated once per program --------------------------------- */

struct tk_rsa {
	EVP_PKEY *pkey;
	uint8_t der[SSLPROV_MAX_KEY_DER];	/* PKCS#1 RSAPrivateKey */
	int der_len;
	uint8_t fp[SSLPROV_FINGERPRINT_LEN];	/* SHA-256 of i2d_PUBKEY */
	unsigned int mod_len;
};

/*
 * The harness forks a child per test, so the key is kept in a shared
 * mapping made before the first fork: the first test that needs it
 * generates it, the others decode it.
 */
struct tk_key_cache {
	int ready;
	int len;
	uint8_t der[SSLPROV_MAX_KEY_DER];
};

static struct tk_key_cache *tk_cache;

static void __attribute__((constructor)) tk_cache_init(void)
{
	void *p = mmap(NULL, sizeof(*tk_cache), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	tk_cache = p == MAP_FAILED ? NULL : p;
}

/* Fill the derived fields of @k from k->pkey. */
static int tk_rsa_fill(struct tk_rsa *k)
{
	OSSL_ENCODER_CTX *ectx;
	unsigned char *p = NULL, *spki = NULL;
	size_t len = 0;
	unsigned int fl;
	int n, ret = -EIO;

	/* PKCS#1 RSAPrivateKey: the "type-specific" DER structure. */
	ectx = OSSL_ENCODER_CTX_new_for_pkey(k->pkey, EVP_PKEY_KEYPAIR, "DER",
					     "type-specific", NULL);
	if (!ectx)
		return -EIO;
	if (OSSL_ENCODER_to_data(ectx, &p, &len) != 1 ||
	    len > sizeof(k->der))
		goto out;
	memcpy(k->der, p, len);
	k->der_len = (int)len;

	n = i2d_PUBKEY(k->pkey, &spki);
	if (n <= 0)
		goto out;
	if (tk_digest("SHA256", spki, n, k->fp, &fl))
		goto out;
	k->mod_len = (unsigned int)EVP_PKEY_get_size(k->pkey);
	ret = 0;
out:
	OPENSSL_free(spki);
	OPENSSL_free(p);
	OSSL_ENCODER_CTX_free(ectx);
	return ret;
}

static TK_UNUSED int tk_rsa_gen(unsigned int bits, struct tk_rsa *k)
{
	memset(k, 0, sizeof(*k));
	k->pkey = EVP_RSA_gen(bits);
	if (!k->pkey)
		return -EIO;
	return tk_rsa_fill(k);
}

static TK_UNUSED void tk_rsa_free(struct tk_rsa *k)
{
	EVP_PKEY_free(k->pkey);
	k->pkey = NULL;
}

/* The program's 2048-bit key. */
static TK_UNUSED int tk_rsa_get(struct tk_rsa *k)
{
	const unsigned char *p;
	int ret;

	if (!tk_cache || !tk_cache->ready) {
		ret = tk_rsa_gen(TK_RSA_BITS, k);
		if (ret || !tk_cache)
			return ret;
		memcpy(tk_cache->der, k->der, k->der_len);
		tk_cache->len = k->der_len;
		tk_cache->ready = 1;
		return 0;
	}
	memset(k, 0, sizeof(*k));
	p = tk_cache->der;
	k->pkey = d2i_PrivateKey(EVP_PKEY_RSA, NULL, &p, tk_cache->len);
	if (!k->pkey)
		return -EIO;
	return tk_rsa_fill(k);
}

/* RSA encryption with @padding; *outlen is set to the modulus size. */
static TK_UNUSED int tk_rsa_encrypt(EVP_PKEY *pkey, int padding,
				    const void *in, size_t inlen,
				    uint8_t *out, size_t *outlen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	size_t room = *outlen;
	int ret = -EIO;

	if (!ctx)
		return -ENOMEM;
	if (EVP_PKEY_encrypt_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, padding) == 1 &&
	    EVP_PKEY_encrypt(ctx, out, &room, in, inlen) == 1) {
		*outlen = room;
		ret = 0;
	}
	EVP_PKEY_CTX_free(ctx);
	return ret;
}

/* The modulus, big-endian, mod_len bytes. */
static TK_UNUSED int tk_rsa_modulus(const struct tk_rsa *k, uint8_t *out)
{
	BIGNUM *n = NULL;
	int ret = -EIO;

	if (EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
	    BN_bn2binpad(n, out, (int)k->mod_len) == (int)k->mod_len)
		ret = 0;
	BN_free(n);
	return ret;
}

/* A premaster: @version || 46 random bytes. */
static TK_UNUSED int tk_premaster(uint8_t pm[TK_PREMASTER_LEN],
				  uint16_t version)
{
	pm[0] = version >> 8;
	pm[1] = version & 0xff;
	return tk_random(pm + 2, TK_PREMASTER_LEN - 2);
}

/* --- protocol oracles -------------------------------------------------------- */

/*
 * master_secret per RFC 5246 8.1 (@sh == NULL) or RFC 7627 section 4
 * ("extended master secret" over the session hash @sh, @shlen bytes).
 */
static TK_UNUSED int tk_master(uint32_t protocol, uint32_t suite,
			       const uint8_t pm[TK_PREMASTER_LEN],
			       const uint8_t *cr, const uint8_t *sr,
			       const uint8_t *sh, size_t shlen,
			       uint8_t ms[TK_MASTER_LEN])
{
	const char *md = tk_prf_md(protocol, suite);

	if (sh)
		return tk_prf(md, pm, TK_PREMASTER_LEN,
			      "extended master secret", sh, shlen, NULL, 0,
			      ms, TK_MASTER_LEN);
	return tk_prf(md, pm, TK_PREMASTER_LEN, "master secret",
		      cr, SSLPROV_RANDOM_LEN, sr, SSLPROV_RANDOM_LEN,
		      ms, TK_MASTER_LEN);
}

/* verify_data per RFC 5246 7.4.9 over the transcript @msgs. */
static TK_UNUSED int tk_verify_data(uint32_t protocol, uint32_t suite,
				    const uint8_t ms[TK_MASTER_LEN],
				    uint32_t sender, const void *msgs,
				    size_t len, uint8_t out[TK_VERIFY_LEN])
{
	const char *md = tk_prf_md(protocol, suite);
	uint8_t h[EVP_MAX_MD_SIZE];
	unsigned int hl;
	int ret;

	ret = tk_digest(md, msgs, len, h, &hl);
	if (ret)
		return ret;
	return tk_prf(md, ms, TK_MASTER_LEN,
		      sender == SSLPROV_CLIENT ? "client finished" :
						 "server finished",
		      h, hl, NULL, 0, out, TK_VERIFY_LEN);
}

/* The AES-GCM part of the key block (RFC 5246 6.3, RFC 5288 section 3). */
struct tk_keyblock {
	unsigned int key_len;
	uint8_t client_key[32];
	uint8_t server_key[32];
	uint8_t client_salt[4];
	uint8_t server_salt[4];
};

static TK_UNUSED int tk_key_block(uint32_t protocol, uint32_t suite,
				  unsigned int key_len,
				  const uint8_t ms[TK_MASTER_LEN],
				  const uint8_t *cr, const uint8_t *sr,
				  struct tk_keyblock *kb)
{
	uint8_t block[2 * (32 + 4)];
	int ret;

	/* Seed order: server_random first. */
	ret = tk_prf(tk_prf_md(protocol, suite), ms, TK_MASTER_LEN,
		     "key expansion", sr, SSLPROV_RANDOM_LEN,
		     cr, SSLPROV_RANDOM_LEN, block, 2 * (key_len + 4));
	if (ret)
		return ret;
	/* No MAC keys for AEAD: client key, server key, client IV, server IV. */
	kb->key_len = key_len;
	memcpy(kb->client_key, block, key_len);
	memcpy(kb->server_key, block + key_len, key_len);
	memcpy(kb->client_salt, block + 2 * key_len, 4);
	memcpy(kb->server_salt, block + 2 * key_len + 4, 4);
	return 0;
}

static TK_UNUSED void tk_put_be64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = v & 0xff;
}

/* AES-GCM with OpenSSL; decrypt returns -EBADMSG on a bad tag. */
static TK_UNUSED int tk_gcm(bool enc, const uint8_t *key, unsigned int klen,
			    const uint8_t nonce[12], const uint8_t *aad,
			    size_t aadlen, const uint8_t *in, size_t len,
			    uint8_t *out, uint8_t tag[TK_GCM_TAG])
{
	const EVP_CIPHER *c = klen == 32 ? EVP_aes_256_gcm() :
					   EVP_aes_128_gcm();
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int ol, ret = -EIO;

	if (!ctx)
		return -ENOMEM;
	if (EVP_CipherInit_ex(ctx, c, NULL, NULL, NULL, enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1 ||
	    EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, enc) != 1 ||
	    EVP_CipherUpdate(ctx, NULL, &ol, aad, (int)aadlen) != 1)
		goto out;
	if (len && EVP_CipherUpdate(ctx, out, &ol, in, (int)len) != 1)
		goto out;
	if (!enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TK_GCM_TAG,
					tag) != 1)
		goto out;
	if (EVP_CipherFinal_ex(ctx, out + len, &ol) != 1) {
		ret = enc ? -EIO : -EBADMSG;
		goto out;
	}
	if (enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TK_GCM_TAG,
				       tag) != 1)
		goto out;
	ret = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

/*
 * A TLS 1.2 AES-GCM record (RFC 5288): header || seq || ciphertext || tag
 * into @rec (@len + TK_GCM_OVERHEAD bytes), nonce = salt || seq.
 */
static TK_UNUSED int tk_record_seal(const uint8_t *key, unsigned int klen,
				    const uint8_t salt[4], uint64_t seq,
				    uint8_t type, const void *pt, size_t len,
				    uint8_t *rec)
{
	uint8_t nonce[12], aad[13];
	size_t flen = len + TK_GCM_EXPLICIT + TK_GCM_TAG;

	memcpy(nonce, salt, 4);
	tk_put_be64(nonce + 4, seq);
	tk_put_be64(aad, seq);
	aad[8] = type;
	aad[9] = 3;
	aad[10] = 3;
	aad[11] = len >> 8;
	aad[12] = len & 0xff;
	rec[0] = type;
	rec[1] = 3;
	rec[2] = 3;
	rec[3] = flen >> 8;
	rec[4] = flen & 0xff;
	memcpy(rec + TK_HDR, nonce + 4, TK_GCM_EXPLICIT);
	return tk_gcm(true, key, klen, nonce, aad, sizeof(aad), pt, len,
		      rec + TK_HDR + TK_GCM_EXPLICIT,
		      rec + TK_HDR + TK_GCM_EXPLICIT + len);
}

/*
 * Open the record @rec (@reclen bytes) with sequence number @seq into @pt;
 * checks the header too.  Returns the plaintext length or a negative errno.
 */
static TK_UNUSED long tk_record_open(const uint8_t *key, unsigned int klen,
				     const uint8_t salt[4], uint64_t seq,
				     const uint8_t *rec, size_t reclen,
				     uint8_t *pt)
{
	uint8_t nonce[12], aad[13], tag[TK_GCM_TAG];
	size_t len;
	int ret;

	if (reclen < TK_GCM_OVERHEAD)
		return -EINVAL;
	len = reclen - TK_GCM_OVERHEAD;
	if (rec[1] != 3 || rec[2] != 3 ||
	    (size_t)(rec[3] << 8 | rec[4]) != reclen - TK_HDR)
		return -EINVAL;
	memcpy(nonce, salt, 4);
	memcpy(nonce + 4, rec + TK_HDR, TK_GCM_EXPLICIT);
	tk_put_be64(aad, seq);
	aad[8] = rec[0];
	aad[9] = 3;
	aad[10] = 3;
	aad[11] = len >> 8;
	aad[12] = len & 0xff;
	memcpy(tag, rec + reclen - TK_GCM_TAG, TK_GCM_TAG);
	ret = tk_gcm(false, key, klen, nonce, aad, sizeof(aad),
		     rec + TK_HDR + TK_GCM_EXPLICIT, len, pt, tag);
	return ret ? ret : (long)len;
}

/* --- the second oracle: P_hash by hand on AF_ALG HMAC (libkcapi) --------------- */

/* HMAC with the kernel's @name ("hmac(sha256)") through AF_ALG. */
static TK_UNUSED int tk_kcapi_hmac(const char *name, const uint8_t *key,
				   size_t klen, const uint8_t *in, size_t inlen,
				   uint8_t *out, size_t olen)
{
	struct kcapi_handle *h;
	ssize_t n;
	int ret;

	ret = kcapi_md_init(&h, name, 0);
	if (ret)
		return ret < 0 ? ret : -ret;
	ret = kcapi_md_setkey(h, key, (uint32_t)klen);
	if (!ret) {
		n = kcapi_md_digest(h, in, inlen, out, olen);
		ret = n < 0 ? (int)n : n == (ssize_t)olen ? 0 : -EIO;
	}
	kcapi_md_destroy(h);
	return ret;
}

/*
 * P_hash(secret, seed) per RFC 5246 section 5, XORed into @out when @xor:
 *	A(0) = seed, A(i) = HMAC(secret, A(i-1)),
 *	P_hash = HMAC(secret, A(1) || seed) || HMAC(secret, A(2) || seed) ...
 */
static TK_UNUSED int tk_kcapi_p_hash(const char *hmac, size_t dlen,
				     const uint8_t *secret, size_t slen,
				     const uint8_t *seed, size_t seedlen,
				     uint8_t *out, size_t olen, bool xor)
{
	uint8_t a[64], buf[64 + 256], block[64];
	size_t done = 0, i, n;
	int ret;

	if (dlen > sizeof(a) || seedlen > 256)
		return -EINVAL;
	/* A(1) = HMAC(secret, A(0)) with A(0) = seed */
	ret = tk_kcapi_hmac(hmac, secret, slen, seed, seedlen, a, dlen);
	while (!ret && done < olen) {
		memcpy(buf, a, dlen);
		memcpy(buf + dlen, seed, seedlen);
		ret = tk_kcapi_hmac(hmac, secret, slen, buf, dlen + seedlen,
				    block, dlen);
		if (ret)
			break;
		n = olen - done < dlen ? olen - done : dlen;
		for (i = 0; i < n; i++)
			out[done + i] = xor ? out[done + i] ^ block[i] :
					      block[i];
		done += n;
		ret = tk_kcapi_hmac(hmac, secret, slen, a, dlen, a, dlen);
	}
	return ret;
}

/* The whole PRF (TLS 1.0/1.1 or 1.2 with @md "SHA256"/"SHA384") on kcapi. */
static TK_UNUSED int tk_kcapi_prf(const char *md, const uint8_t *secret,
				  size_t slen, const char *label,
				  const uint8_t *s1, size_t l1,
				  const uint8_t *s2, size_t l2,
				  uint8_t *out, size_t olen)
{
	size_t llen = strlen(label), half;
	uint8_t seed[256];
	int ret;

	if (llen + l1 + l2 > sizeof(seed))
		return -EINVAL;
	memcpy(seed, label, llen);
	if (l1)
		memcpy(seed + llen, s1, l1);
	if (l2)
		memcpy(seed + llen + l1, s2, l2);
	if (!strcmp(md, "SHA256"))
		return tk_kcapi_p_hash("hmac(sha256)", 32, secret, slen, seed,
				       llen + l1 + l2, out, olen, false);
	if (!strcmp(md, "SHA384"))
		return tk_kcapi_p_hash("hmac(sha384)", 48, secret, slen, seed,
				       llen + l1 + l2, out, olen, false);
	/* RFC 2246: S1, S2 share the middle byte of an odd-length secret. */
	half = (slen + 1) / 2;
	ret = tk_kcapi_p_hash("hmac(md5)", 16, secret, half, seed,
			      llen + l1 + l2, out, olen, false);
	if (!ret)
		ret = tk_kcapi_p_hash("hmac(sha1)", 20, secret + slen - half,
				      half, seed, llen + l1 + l2, out, olen,
				      true);
	return ret;
}

#endif /* TLS12_ORACLE_H */
