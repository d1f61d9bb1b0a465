// SPDX-License-Identifier: GPL-2.0
/*
 * Implicit rejection of bad RSA premasters (RFC 5246 7.4.7.1, spec 6.6):
 * a ciphertext that does not decrypt to a well-formed 48-byte premaster
 * must not be an error.  The module uses client_version || 46 random bytes
 * instead, so MASTER_IMPORT succeeds and the handshake fails at Finished.
 *
 * For every kind of bad ciphertext the test checks that
 *   - MASTER_IMPORT succeeds;
 *   - the Finished the module computes differs from the oracle's for every
 *     premaster a lax implementation could have taken from it (the last or
 *     first 48 bytes of the message, the premaster inside a block with bad
 *     padding, the premaster of a ciphertext sent with the wrong length or
 *     plus the modulus);
 *   - importing the same ciphertext again gives another Finished: the
 *     premaster is fresh random each time, not derived from the input.
 * Each test starts with a positive control (the same check must find the
 * candidate when the ciphertext is good) and ends by proving the key still
 * decrypts good ciphertexts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sslprov_test.h"
#include "tls12_common.h"

#define PROTO	0x0303
#define SUITE	0x009c
#define MAXC	4

FIXTURE(rej) {
	struct tk_env env;
	uint8_t n[512];		/* the modulus */
	unsigned int k;		/* its length */
};

FIXTURE_SETUP(rej)
{
	TK_ENV_SETUP(&self->env);
	self->k = self->env.rsa.mod_len;
	ASSERT_EQ(0, tk_rsa_modulus(&self->env.rsa, self->n));
}

FIXTURE_TEARDOWN(rej)
{
	TK_ENV_TEARDOWN(&self->env);
}

/* Premasters a lax server could have derived from a bad ciphertext. */
struct cands {
	int n;
	const char *what[MAXC];
	uint8_t pm[MAXC][TK_PREMASTER_LEN];
};

static void cand_add(struct cands *c, const char *what, const uint8_t *pm)
{
	if (c->n < MAXC) {
		c->what[c->n] = what;
		memcpy(c->pm[c->n++], pm, TK_PREMASTER_LEN);
	}
}

/*
 * Import @enc (@len bytes) and return the module's client verify_data over
 * the fixed transcript in @out.
 */
static int import_finished(const struct tk_env *env, const uint8_t *enc,
			   uint32_t len, const uint8_t *cr, const uint8_t *sr,
			   uint8_t out[TK_VERIFY_LEN])
{
	struct sslprov_master_import a;
	uint32_t master;
	size_t tlen;
	const uint8_t *t = tk_fixed_transcript(&tlen);
	int ret;

	tk_mi_init(&a, env->key, PROTO, SUITE, 0x0303, enc, len, cr, sr);
	ret = tk_master_import(env->fd, &a, &master);
	if (ret)
		return ret;
	ret = tk_module_finished(env->fd, master, PROTO, SUITE, SSLPROV_CLIENT,
				 t, (uint32_t)tlen, out);
	sp_free(env->fd, master);
	return ret;
}

/* The oracle's client verify_data if the premaster were @pm. */
static int oracle_finished(const uint8_t *pm, const uint8_t *cr,
			   const uint8_t *sr, uint8_t out[TK_VERIFY_LEN])
{
	uint8_t ms[TK_MASTER_LEN];
	size_t tlen;
	const uint8_t *t = tk_fixed_transcript(&tlen);

	return tk_master(PROTO, SUITE, pm, cr, sr, NULL, 0, ms) ?:
	       tk_verify_data(PROTO, SUITE, ms, SSLPROV_CLIENT, t, tlen, out);
}

/*
 * Does the master behind @got match candidate @pm, as sent or with its
 * first two bytes replaced by client_version 03 03?
 */
static int matches(const uint8_t *pm, const uint8_t *cr, const uint8_t *sr,
		   const uint8_t got[TK_VERIFY_LEN])
{
	uint8_t v[TK_VERIFY_LEN], fixed[TK_PREMASTER_LEN];

	memcpy(fixed, pm, sizeof(fixed));
	fixed[0] = 3;
	fixed[1] = 3;
	if (oracle_finished(pm, cr, sr, v))
		return -1;
	if (!memcmp(v, got, TK_VERIFY_LEN))
		return 1;
	if (oracle_finished(fixed, cr, sr, v))
		return -1;
	return !memcmp(v, got, TK_VERIFY_LEN);
}

#define check_rejected(enc, len, c, what) \
	__check_rejected(_metadata, &self->env, enc, len, c, what)

static void __check_rejected(struct __test_metadata *_metadata,
			     const struct tk_env *env, const uint8_t *enc,
			     uint32_t len, const struct cands *c,
			     const char *what)
{
	uint8_t cr[32], sr[32], f1[TK_VERIFY_LEN], f2[TK_VERIFY_LEN];
	int i, ret;

	ASSERT_EQ(0, tk_random(cr, sizeof(cr)));
	ASSERT_EQ(0, tk_random(sr, sizeof(sr)));
	ret = import_finished(env, enc, len, cr, sr, f1);
	EXPECT_EQ(0, ret) TH_LOG("%s (%u bytes): MASTER_IMPORT/FINISHED: %s, want success (implicit rejection)",
				 what, len, sp_errname(ret));
	if (ret)
		return;
	ret = import_finished(env, enc, len, cr, sr, f2);
	EXPECT_EQ(0, ret) TH_LOG("%s, second import: %s", what,
				 sp_errname(ret));
	if (ret)
		return;
	EXPECT_NE(0, memcmp(f1, f2, TK_VERIFY_LEN))
		TH_LOG("%s: two imports of the same bad ciphertext gave the same Finished %s: the premaster is not fresh random",
		       what, tk_hex(f1, TK_VERIFY_LEN));
	for (i = 0; i < c->n; i++) {
		ret = matches(c->pm[i], cr, sr, f1);
		ASSERT_LE(0, ret) TH_LOG("oracle: %s", tk_ossl_err());
		EXPECT_EQ(0, ret)
			TH_LOG("%s: the module used %s as the premaster: %s",
			       what, c->what[i], tk_hex(c->pm[i], 48));
		ret = matches(c->pm[i], cr, sr, f2);
		EXPECT_EQ(0, ret)
			TH_LOG("%s (second import): the module used %s as the premaster",
			       what, c->what[i]);
	}
}

/* Positive control: a good ciphertext of @pm must match @pm. */
#define check_accepted(enc, len, pm, what) \
	__check_accepted(_metadata, &self->env, enc, len, pm, what)

static void __check_accepted(struct __test_metadata *_metadata,
			     const struct tk_env *env, const uint8_t *enc,
			     uint32_t len, const uint8_t *pm, const char *what)
{
	uint8_t cr[32], sr[32], f[TK_VERIFY_LEN];
	int ret;

	ASSERT_EQ(0, tk_random(cr, sizeof(cr)));
	ASSERT_EQ(0, tk_random(sr, sizeof(sr)));
	ret = import_finished(env, enc, len, cr, sr, f);
	ASSERT_EQ(0, ret) TH_LOG("%s: %s", what, sp_errname(ret));
	EXPECT_EQ(1, matches(pm, cr, sr, f))
		TH_LOG("control: %s was not decrypted to its premaster %s",
		       what, tk_hex(pm, 48));
}

/* A valid PKCS#1 v1.5 ciphertext of a fresh premaster, in @enc. */
static int good_ciphertext(const struct tk_env *env, uint8_t *pm,
			   uint8_t *enc, size_t *len)
{
	*len = 512;
	return tk_premaster(pm, 0x0303) ?:
	       tk_rsa_encrypt(env->rsa.pkey, RSA_PKCS1_PADDING, pm,
			      TK_PREMASTER_LEN, enc, len);
}

/* (a) PKCS#1 v1.5 is fine, but the message is not 48 bytes long. */
TEST_F_TIMEOUT(rej, message_not_48_bytes, SP_TIMEOUT_LONG)
{
	static const size_t lens[] = { 47, 49, 0, 46, 50, 96 };
	uint8_t m[128], pm[48], enc[512];
	struct cands c;
	size_t len, i;
	char what[64];

	ASSERT_EQ(0, good_ciphertext(&self->env, pm, enc, &len));
	check_accepted(enc, len, pm, "a 48-byte message");

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		ASSERT_EQ(0, tk_random(m, sizeof(m)));
		m[0] = 3;
		m[1] = 3;
		len = sizeof(enc);
		ASSERT_EQ(0, tk_rsa_encrypt(self->env.rsa.pkey,
					    RSA_PKCS1_PADDING, m, lens[i], enc,
					    &len));
		memset(&c, 0, sizeof(c));
		if (lens[i] >= 48) {
			cand_add(&c, "the message's first 48 bytes", m);
			cand_add(&c, "the message's last 48 bytes",
				 m + lens[i] - 48);
		} else if (lens[i]) {
			/* The message and what precedes it in the block. */
			memset(pm, 0, sizeof(pm));
			memcpy(pm + 48 - lens[i], m, lens[i]);
			cand_add(&c, "the block's last 48 bytes", pm);
			memset(pm, 0, sizeof(pm));
			memcpy(pm, m, lens[i]);
			cand_add(&c, "the message padded with zeros", pm);
		}
		snprintf(what, sizeof(what), "a %zu-byte message", lens[i]);
		check_rejected(enc, len, &c, what);
	}
	EXPECT_TRUE(tk_check_key(self->env.fd, self->env.key, &self->env.rsa,
				 "the key after rejections"));
}

/* Encrypt the raw block @em (k bytes) with RSA_NO_PADDING. */
static int raw_encrypt(const struct tk_env *env, const uint8_t *em,
		       uint8_t *enc, size_t *len)
{
	*len = 512;
	return tk_rsa_encrypt(env->rsa.pkey, RSA_NO_PADDING, em,
			      env->rsa.mod_len, enc, len);
}

/* 00 02 || k-51 non-zero bytes || 00 || premaster: a good block. */
static int good_block(uint8_t *em, unsigned int k, const uint8_t *pm)
{
	unsigned int i;

	if (tk_random(em, k))
		return -EIO;
	em[0] = 0;
	em[1] = 2;
	for (i = 2; i < k - 49; i++)
		while (!em[i])
			if (tk_random(&em[i], 1))
				return -EIO;
	em[k - 49] = 0;
	memcpy(em + k - 48, pm, 48);
	return 0;
}

/* (b) RSA-decryptable blocks with broken PKCS#1 v1.5 padding. */
TEST_F_TIMEOUT(rej, bad_padding, SP_TIMEOUT_LONG)
{
	const unsigned int k = self->k;
	uint8_t em[512], enc[512], pm[48];
	struct cands c;
	size_t len;
	int i;
	static const char *const what[] = {
		"block type 1 (00 01 ff.. 00 pm)",
		"00 02 with a zero early in PS",
		"00 02 with a zero as the last byte of PS",
		"00 02 and no zero separator",
		"first byte 01 (01 02 PS 00 pm)",
		"block type 0 (00 00 PS 00 pm)",
	};

	ASSERT_EQ(0, tk_premaster(pm, 0x0303));
	ASSERT_EQ(0, good_block(em, k, pm));
	ASSERT_EQ(0, raw_encrypt(&self->env, em, enc, &len));
	check_accepted(enc, len, pm, "a well-padded raw block");

	for (i = 0; i < (int)ARRAY_SIZE(what); i++) {
		ASSERT_EQ(0, tk_premaster(pm, 0x0303));
		ASSERT_EQ(0, good_block(em, k, pm));
		switch (i) {
		case 0:
			em[1] = 1;
			memset(em + 2, 0xff, k - 51);
			break;
		case 1:
			em[10] = 0;
			break;
		case 2:
			em[k - 50] = 0;
			break;
		case 3:
			em[k - 49] = 0x5a;
			break;
		case 4:
			em[0] = 1;
			break;
		case 5:
			em[1] = 0;
			break;
		}
		ASSERT_EQ(0, raw_encrypt(&self->env, em, enc, &len))
			TH_LOG("%s: %s", what[i], tk_ossl_err());
		memset(&c, 0, sizeof(c));
		cand_add(&c, "the premaster in the block", pm);
		cand_add(&c, "the block's last 48 bytes", em + k - 48);
		check_rejected(enc, len, &c, what[i]);
	}
	EXPECT_TRUE(tk_check_key(self->env.fd, self->env.key, &self->env.rsa,
				 "the key after rejections"));
}

/*
 * (c) A good ciphertext sent with the wrong length: without its leading
 * zero byte (modulus - 1 bytes) or with one more (modulus + 1 bytes).  As
 * numbers they are the same ciphertext, so an implementation that only
 * parses the number would accept them.
 */
TEST_F_TIMEOUT(rej, wrong_ciphertext_length, SP_TIMEOUT_LONG)
{
	const unsigned int k = self->k;
	uint8_t enc[520], pm[48];
	struct cands c;
	size_t len;
	int tries;

	for (tries = 0; tries < 20000; tries++) {
		ASSERT_EQ(0, good_ciphertext(&self->env, pm, enc + 1, &len));
		ASSERT_EQ(k, len);
		if (!enc[1])
			break;
	}
	ASSERT_EQ(0, enc[1]) TH_LOG("no ciphertext with a leading zero byte in %d tries",
				    tries);
	TH_LOG("a ciphertext with a leading zero after %d tries", tries + 1);
	check_accepted(enc + 1, k, pm, "the ciphertext at its full length");

	memset(&c, 0, sizeof(c));
	cand_add(&c, "the premaster of the ciphertext", pm);
	check_rejected(enc + 2, k - 1, &c,
		       "the ciphertext without its leading zero (modulus - 1 bytes)");
	enc[0] = 0;
	check_rejected(enc, k + 1, &c,
		       "the ciphertext with a zero prepended (modulus + 1 bytes)");
	/* Other lengths, just as bad. */
	check_rejected(enc + 1, k - 1, &c, "the ciphertext less its last byte");
	check_rejected(enc + 1, 128, &c, "the first half of the ciphertext");
	check_rejected(enc + 1, 1, &c, "one byte");
}

/* (d) Ciphertexts that are not below the modulus (and 0, 1, which are). */
TEST_F_TIMEOUT(rej, ciphertext_not_below_modulus, SP_TIMEOUT_LONG)
{
	const unsigned int k = self->k;
	uint8_t enc[512], big[512], pm[48];
	BIGNUM *bn = NULL, *bc = NULL, *sum = NULL;
	struct cands c, none = { 0 };
	size_t len;
	int tries, found = 0;

	bn = BN_bin2bn(self->n, k, NULL);
	sum = BN_new();
	ASSERT_NE(NULL, bn);
	ASSERT_NE(NULL, sum);
	/* c + n still fits in k bytes when c < 2^(8k) - n. */
	for (tries = 0; tries < 300 && !found; tries++) {
		ASSERT_EQ(0, good_ciphertext(&self->env, pm, enc, &len));
		bc = BN_bin2bn(enc, (int)len, bc);
		ASSERT_NE(NULL, bc);
		ASSERT_EQ(1, BN_add(sum, bc, bn));
		found = BN_num_bytes(sum) <= (int)k;
	}
	if (found) {
		ASSERT_EQ((int)k, BN_bn2binpad(sum, big, (int)k));
		check_accepted(enc, k, pm, "c");
		memset(&c, 0, sizeof(c));
		cand_add(&c, "the premaster of c", pm);
		check_rejected(big, k, &c, "c + n (decrypts to c's premaster mod n)");
	} else {
		TH_LOG("note: n is too close to 2^%u for c + n to fit; testing n and 0xff.. only",
		       8 * k);
	}
	check_rejected(self->n, k, &none, "c = n");
	memset(big, 0xff, k);
	check_rejected(big, k, &none, "c = 0xff..ff");
	memcpy(big, self->n, k);
	if (big[k - 1] != 0xff) {	/* no carry to handle */
		big[k - 1] += 1;
		check_rejected(big, k, &none, "c = n + 1");
	}
	/* Below n, but no valid padding: 0 and 1 decrypt to themselves. */
	memset(big, 0, k);
	check_rejected(big, k, &none, "c = 0");
	big[k - 1] = 1;
	check_rejected(big, k, &none, "c = 1");
	memcpy(big, self->n, k);
	big[k - 1] -= 1;
	check_rejected(big, k, &none, "c = n - 1");
	BN_free(bn);
	BN_free(bc);
	BN_free(sum);
	EXPECT_TRUE(tk_check_key(self->env.fd, self->env.key, &self->env.rsa,
				 "the key after rejections"));
}

/*
 * The fallback keeps client_version: TLS 1.0 with client_version 0x0302
 * still succeeds for garbage, and a rejected premaster never matches the
 * premaster of a good ciphertext imported just before.
 */
TEST_F_TIMEOUT(rej, rejection_other_protocols, SP_TIMEOUT_LONG)
{
	static const struct { uint32_t protocol, suite, cv; } cases[] = {
		{ 0x0301, 0x002f, 0x0302 },
		{ 0x0302, 0x0035, 0x0302 },
		{ 0x0303, 0x009d, 0x0303 },
	};
	uint8_t garbage[512], v1[TK_VERIFY_LEN], v2[TK_VERIFY_LEN];
	struct sslprov_master_import a;
	uint32_t m1 = 0, m2 = 0;
	size_t tlen, i;
	const uint8_t *t = tk_fixed_transcript(&tlen);
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(0, tk_random(garbage, sizeof(garbage)));
		garbage[0] = 0x01;	/* below n */
		tk_mi_init(&a, self->env.key, cases[i].protocol, cases[i].suite,
			   cases[i].cv, garbage, self->k, garbage + 300,
			   garbage + 400);
		ret = tk_master_import(self->env.fd, &a, &m1);
		EXPECT_EQ(0, ret) TH_LOG("protocol %#x: %s", cases[i].protocol,
					 sp_errname(ret));
		ASSERT_EQ(0, ret);
		ASSERT_EQ(0, tk_master_import(self->env.fd, &a, &m2));
		ASSERT_EQ(0, tk_module_finished(self->env.fd, m1,
						cases[i].protocol,
						cases[i].suite, SSLPROV_SERVER,
						t, (uint32_t)tlen, v1));
		ASSERT_EQ(0, tk_module_finished(self->env.fd, m2,
						cases[i].protocol,
						cases[i].suite, SSLPROV_SERVER,
						t, (uint32_t)tlen, v2));
		EXPECT_NE(0, memcmp(v1, v2, TK_VERIFY_LEN))
			TH_LOG("protocol %#x: same Finished twice for garbage",
			       cases[i].protocol);
		EXPECT_EQ(0, sp_free(self->env.fd, m1));
		EXPECT_EQ(0, sp_free(self->env.fd, m2));
	}
}

TEST_HARNESS_MAIN
