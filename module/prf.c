// SPDX-License-Identifier: GPL-2.0
/*
 * The TLS pseudo-random function (RFC 2246 section 5, RFC 5246 section 5),
 * computed with the kernel's HMAC.
 *
 * A secret used once (the premaster) gets transforms keyed for that call.
 * The master secret, used for the key block and both Finished messages,
 * is keyed once when its object is made (struct sslprov_prf_key): the
 * HMAC transform then holds the only copy of it, as its inner and outer
 * states, and callers share the transform through their own descriptors
 * (setkey, which would race, is never called on it again).  Allocating
 * and keying a transform per call cost more than the PRF itself.
 */
#include <crypto/hash.h>
#include <linux/err.h>
#include <linux/string.h>

#include "key.h"

#define SSLPROV_PRF_MAX_DIGEST	48

struct sslprov_prf_seed {
	const u8 *label;
	unsigned int label_len;
	const u8 *seed1;
	unsigned int seed1_len;
	const u8 *seed2;
	unsigned int seed2_len;
};

static int sslprov_hmac_seed(struct shash_desc *desc, const u8 *a,
			     unsigned int a_len,
			     const struct sslprov_prf_seed *seed, u8 *out)
{
	return crypto_shash_init(desc) ?:
	       crypto_shash_update(desc, a, a_len) ?:
	       crypto_shash_update(desc, seed->label, seed->label_len) ?:
	       crypto_shash_update(desc, seed->seed1, seed->seed1_len) ?:
	       crypto_shash_update(desc, seed->seed2, seed->seed2_len) ?:
	       crypto_shash_final(desc, out);
}

/*
 * P_hash(secret, label || seed) with @tfm keyed with the secret, written
 * to @out, or XORed into it when @xor is set (the second half of the TLS
 * 1.0 PRF).
 */
static int sslprov_p_hash(struct crypto_shash *tfm,
			  const struct sslprov_prf_seed *seed,
			  u8 *out, unsigned int out_len, bool xor)
{
	u8 a[SSLPROV_PRF_MAX_DIGEST], block[SSLPROV_PRF_MAX_DIGEST];
	unsigned int dlen = crypto_shash_digestsize(tfm), n, i;
	SHASH_DESC_ON_STACK(desc, tfm);
	int ret;

	if (WARN_ON_ONCE(dlen > sizeof(a)))
		return -EINVAL;
	desc->tfm = tfm;
	/* A(1) = HMAC(secret, label || seed) */
	ret = sslprov_hmac_seed(desc, NULL, 0, seed, a);
	while (!ret && out_len) {
		ret = sslprov_hmac_seed(desc, a, dlen, seed, block);
		if (ret)
			break;
		n = min(dlen, out_len);
		for (i = 0; i < n; i++)
			out[i] = xor ? out[i] ^ block[i] : block[i];
		out += n;
		out_len -= n;
		/* A(i + 1) = HMAC(secret, A(i)) */
		if (out_len)
			ret = crypto_shash_digest(desc, a, dlen, a);
	}
	shash_desc_zero(desc);
	memzero_explicit(a, sizeof(a));
	memzero_explicit(block, sizeof(block));
	return ret;
}

static struct crypto_shash *sslprov_hmac_keyed(const char *alg,
					       const u8 *secret,
					       unsigned int len)
{
	struct crypto_shash *tfm;
	int ret;

	tfm = crypto_alloc_shash(alg, 0, 0);
	if (IS_ERR(tfm))
		return tfm;
	ret = crypto_shash_setkey(tfm, secret, len);
	if (ret) {
		crypto_free_shash(tfm);
		return ERR_PTR(ret);
	}
	return tfm;
}

/**
 * sslprov_prf_key_destroy() - free a keyed PRF; the transforms' memory,
 *	keyed states included, is wiped by crypto_free_shash().
 * @key: the key; may be partly built or zeroed.
 */
void sslprov_prf_key_destroy(struct sslprov_prf_key *key)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(key->tfm); i++) {
		if (!IS_ERR_OR_NULL(key->tfm[i]))
			crypto_free_shash(key->tfm[i]);
		key->tfm[i] = NULL;
	}
}

/**
 * sslprov_prf_key_init() - key the PRF of @protocol and @suite with @secret.
 * @key: out: the keyed PRF; sslprov_prf_key_destroy() frees it.
 * @protocol: TLS 1.0/1.1 use MD5 XOR SHA-1; TLS 1.2 the suite's hash.
 * @suite: the negotiated suite (TLS 1.2 only).
 * @secret: the secret, @secret_len bytes; not referenced afterwards.
 * @secret_len: its length.
 *
 * Return: 0 or a negative errno; on failure @key holds nothing.
 */
int sslprov_prf_key_init(struct sslprov_prf_key *key, u32 protocol,
			 const struct sslprov_suite *suite, const u8 *secret,
			 unsigned int secret_len)
{
	unsigned int half;
	int ret = 0;

	memset(key, 0, sizeof(*key));
	if (protocol < SSLPROV_TLS1_2) {
		/* S1 and S2 share the middle byte of an odd-length secret. */
		half = DIV_ROUND_UP(secret_len, 2);
		key->tfm[0] = sslprov_hmac_keyed("hmac(md5)", secret, half);
		key->tfm[1] = sslprov_hmac_keyed("hmac(sha1)",
						 secret + secret_len - half,
						 half);
	} else {
		key->tfm[0] = sslprov_hmac_keyed(suite->prf_hash ==
						 SSLPROV_HASH_SHA384 ?
						 "hmac(sha384)" : "hmac(sha256)",
						 secret, secret_len);
	}
	if (IS_ERR(key->tfm[0]))
		ret = PTR_ERR(key->tfm[0]);
	else if (IS_ERR(key->tfm[1]))
		ret = PTR_ERR(key->tfm[1]);
	if (ret)
		sslprov_prf_key_destroy(key);
	return ret;
}

/**
 * sslprov_prf_keyed() - PRF(secret, label, seed1 || seed2) with a keyed PRF.
 * @key: from sslprov_prf_key_init().
 * @label: ASCII label, no terminator used.
 * @seed1: first part of the seed.
 * @seed1_len: its length.
 * @seed2: second part of the seed (may be NULL if @seed2_len is 0).
 * @seed2_len: its length.
 * @out: receives @out_len bytes; wiped on failure.
 * @out_len: bytes wanted.
 *
 * Return: 0 or a negative errno.
 */
int sslprov_prf_keyed(const struct sslprov_prf_key *key, const char *label,
		      const u8 *seed1, unsigned int seed1_len,
		      const u8 *seed2, unsigned int seed2_len,
		      u8 *out, unsigned int out_len)
{
	struct sslprov_prf_seed seed = {
		.label = label, .label_len = strlen(label),
		.seed1 = seed1, .seed1_len = seed1_len,
		.seed2 = seed2, .seed2_len = seed2_len,
	};
	int ret;

	ret = sslprov_p_hash(key->tfm[0], &seed, out, out_len, false);
	if (!ret && key->tfm[1])
		ret = sslprov_p_hash(key->tfm[1], &seed, out, out_len, true);
	if (ret)
		memzero_explicit(out, out_len);
	return ret;
}

/**
 * sslprov_prf() - PRF(secret, label, seed1 || seed2).
 * @protocol: TLS 1.0/1.1 use MD5 XOR SHA-1; TLS 1.2 the suite's hash.
 * @suite: the negotiated suite (TLS 1.2 only).
 * @secret: the secret, @secret_len bytes.
 * @secret_len: its length.
 * @label: ASCII label, no terminator used.
 * @seed1: first part of the seed.
 * @seed1_len: its length.
 * @seed2: second part of the seed (may be NULL if @seed2_len is 0).
 * @seed2_len: its length.
 * @out: receives @out_len bytes; wiped on failure.
 * @out_len: bytes wanted.
 *
 * Return: 0 or a negative errno.
 */
int sslprov_prf(u32 protocol, const struct sslprov_suite *suite,
		const u8 *secret, unsigned int secret_len, const char *label,
		const u8 *seed1, unsigned int seed1_len,
		const u8 *seed2, unsigned int seed2_len,
		u8 *out, unsigned int out_len)
{
	struct sslprov_prf_key key;
	int ret;

	ret = sslprov_prf_key_init(&key, protocol, suite, secret, secret_len);
	if (!ret) {
		ret = sslprov_prf_keyed(&key, label, seed1, seed1_len, seed2,
					seed2_len, out, out_len);
		sslprov_prf_key_destroy(&key);
	}
	if (ret)
		memzero_explicit(out, out_len);
	return ret;
}
