// SPDX-License-Identifier: GPL-2.0
/*
 * RSA key exchange on the server (MASTER_IMPORT), Finished (FINISHED) and
 * handshake hashes (HASH_DIGEST), cross-checked with OpenSSL:
 *
 *	premaster = client_version || 46 random bytes, encrypted with
 *		    EVP_PKEY_encrypt(RSA_PKCS1_PADDING)
 *	master    = TLS1-PRF(premaster, "master secret", client_random ||
 *		    server_random)				RFC 5246 8.1
 *		  = TLS1-PRF(premaster, "extended master secret",
 *		    session_hash)				RFC 7627 4
 *	verify    = TLS1-PRF(master, "client finished" | "server finished",
 *		    Hash(transcript))[0..11]			RFC 5246 7.4.9
 *
 * with OpenSSL's EVP_KDF "TLS1-PRF" (SHA256, SHA384, or MD5-SHA1 for TLS
 * 1.0/1.1).  The master secret never leaves the module, so it is checked
 * through both Finished messages.  A second, hand-written PRF on the
 * kernel's HMAC through AF_ALG (libkcapi) checks the first oracle.
 * Version rollback (RFC 5246 7.4.7.1) is here too; the other malformed
 * premasters are in tls12_reject_test.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sslprov_test.h"
#include "tls12_common.h"

/* --- per protocol and suite ---------------------------------------------- */

FIXTURE(suite) {
	struct tk_env env;
};

FIXTURE_VARIANT(suite) {
	uint32_t protocol;
	uint32_t suite;
	unsigned int hash_len;
};

FIXTURE_VARIANT_ADD(suite, tls12_aes128_gcm_sha256) {
	.protocol = 0x0303, .suite = 0x009c, .hash_len = 32,
};

FIXTURE_VARIANT_ADD(suite, tls12_aes256_gcm_sha384) {
	.protocol = 0x0303, .suite = 0x009d, .hash_len = 48,
};

FIXTURE_VARIANT_ADD(suite, tls12_aes256_cbc_sha) {
	.protocol = 0x0303, .suite = TK_SUITE_AES256_CBC_SHA, .hash_len = 32,
};

FIXTURE_VARIANT_ADD(suite, tls11_aes128_cbc_sha) {
	.protocol = 0x0302, .suite = TK_SUITE_AES128_CBC_SHA, .hash_len = 36,
};

FIXTURE_VARIANT_ADD(suite, tls10_aes128_cbc_sha) {
	.protocol = 0x0301, .suite = TK_SUITE_AES128_CBC_SHA, .hash_len = 36,
};

FIXTURE_SETUP(suite)
{
	TK_ENV_SETUP(&self->env);
}

FIXTURE_TEARDOWN(suite)
{
	TK_ENV_TEARDOWN(&self->env);
}

TEST_F_TIMEOUT(suite, master_secret, SP_TIMEOUT_LONG)
{
	/* client_version is the highest version offered, not the negotiated one. */
	const uint32_t versions[] = { variant->protocol, 0x0303 };
	const struct tk_env *env = &self->env;
	char what[128];
	struct tk_hs hs;
	uint32_t master;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(versions); i++) {
		ret = tk_hs_new(&hs, &env->rsa, variant->protocol,
				variant->suite, versions[i]);
		ASSERT_EQ(0, ret) TH_LOG("oracle: %s", tk_ossl_err());
		ret = tk_hs_import(env->fd, env->key, &hs, &master);
		ASSERT_EQ(0, ret) TH_LOG("MASTER_IMPORT: %s", sp_errname(ret));
		EXPECT_NE(0, master);
		snprintf(what, sizeof(what),
			 "protocol %#x suite %#06x client_version %#x",
			 variant->protocol, variant->suite, versions[i]);
		if (!tk_check_master(env->fd, master, variant->protocol,
				     variant->suite, hs.ms, what))
			TH_LOG("premaster %s", tk_hex(hs.pm, sizeof(hs.pm)));
		EXPECT_EQ(0, sp_free(env->fd, master));
	}
	EXPECT_EQ(1, sp_live_objects(env->fd));
}

TEST_F_TIMEOUT(suite, hash_digest, SP_TIMEOUT)
{
	const struct tk_env *env = &self->env;
	uint8_t msgs[3000], want[64], got[SSLPROV_MAX_SESSION_HASH];
	unsigned int wl;
	uint32_t h, len;
	char what[96];
	size_t cuts[] = { 0, 1, 4, 100, 1000, 2999, sizeof(msgs) }, i;
	int ret;

	ASSERT_EQ(0, tk_random(msgs, sizeof(msgs)));
	ASSERT_EQ(0, sp_hash_create(env->fd, variant->protocol, variant->suite,
				    &h));
	/* Digest after each chunk; reading must not finalize the state. */
	for (i = 0; i < ARRAY_SIZE(cuts); i++) {
		if (i)
			ASSERT_EQ(0, sp_hash_update(env->fd, h, msgs + cuts[i - 1],
						    cuts[i] - cuts[i - 1]));
		ret = tk_digest(tk_prf_md(variant->protocol, variant->suite),
				msgs, cuts[i], want, &wl);
		ASSERT_EQ(0, ret);
		ASSERT_EQ(variant->hash_len, wl);
		memset(got, 0xa5, sizeof(got));
		ret = tk_hash_digest(env->fd, h, got, &len);
		ASSERT_EQ(0, ret) TH_LOG("HASH_DIGEST: %s", sp_errname(ret));
		EXPECT_EQ(variant->hash_len, len);
		snprintf(what, sizeof(what),
			 "HASH_DIGEST vs OpenSSL after %zu bytes", cuts[i]);
		TK_EXPECT_MEM(want, got, wl, what);
	}
	EXPECT_EQ(0, sp_free(env->fd, h));
}

/*
 * FINISHED with pending bytes: they are hashed before the digest is read,
 * and kept, so one call does what HASH_UPDATE + FINISHED did; any failure
 * leaves the hash without them.  Checked against OpenSSL's PRF over the
 * whole transcript after each step.
 */
TEST_F_TIMEOUT(suite, finished_pending, SP_TIMEOUT_LONG)
{
	const struct tk_env *env = &self->env;
	uint8_t msgs[3000], want[TK_VERIFY_LEN], got[TK_VERIFY_LEN];
	const size_t a = 1000, b = 1500;	/* then 500 that never stick */
	struct sslprov_finished big;
	void *ro = MAP_FAILED;
	struct tk_hs hs;
	uint32_t master, h;
	int ret;

	ASSERT_EQ(0, tk_hs_new(&hs, &env->rsa, variant->protocol,
			       variant->suite, variant->protocol));
	ASSERT_EQ(0, tk_hs_import(env->fd, env->key, &hs, &master));
	ASSERT_EQ(0, tk_random(msgs, sizeof(msgs)));
	ASSERT_EQ(0, sp_hash_create(env->fd, variant->protocol, variant->suite,
				    &h));
	ASSERT_EQ(0, sp_hash_update(env->fd, h, msgs, a));

	/* A by HASH_UPDATE, B with the call: verify_data over A || B. */
	ASSERT_EQ(0, tk_verify_data(variant->protocol, variant->suite, hs.ms,
				    SSLPROV_CLIENT, msgs, a + b, want));
	ret = tk_finished_pending(env->fd, master, h, SSLPROV_CLIENT, msgs + a,
				  b, got);
	ASSERT_EQ(0, ret) TH_LOG("FINISHED with pending: %s", sp_errname(ret));
	TK_EXPECT_MEM(want, got, TK_VERIFY_LEN, "Finished over A || pending B");
	/* B stayed: a call without pending bytes sees A || B too. */
	memset(got, 0, sizeof(got));
	ASSERT_EQ(0, tk_finished(env->fd, master, h, SSLPROV_CLIENT, got));
	TK_EXPECT_MEM(want, got, TK_VERIFY_LEN, "plain Finished after it");

	/* Failures with bytes C pending: each leaves the hash at A || B. */
	/* One read-only page, and nothing mapped after it. */
	ro = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	ASSERT_EQ(0, munmap((char *)ro + 4096, 4096));
	EXPECT_EQ(-EFAULT, tk_finished_pending(env->fd, master, h, SSLPROV_CLIENT,
				       msgs + a + b, 500, ro))
		TH_LOG("a read-only output");
	EXPECT_EQ(-EFAULT, tk_finished_pending(env->fd, master, h, SSLPROV_CLIENT,
				       ro, 8192, got))
		TH_LOG("pending bytes past a mapping");
	EXPECT_EQ(-EBADF, tk_finished_pending(env->fd, h, h, SSLPROV_CLIENT,
				      msgs + a + b, 500, got))
		TH_LOG("the hash passed as the master key");
	EXPECT_EQ(-EINVAL, tk_finished_pending(env->fd, master, h, SSLPROV_CLIENT,
				       msgs, SSLPROV_MAX_HASH_INPUT + 1, got))
		TH_LOG("pending_len over SSLPROV_MAX_HASH_INPUT");
	memset(&big, 0, sizeof(big));
	big.size = SSLPROV_FINISHED_SIZE_VER1;
	big.flags = SSLPROV_CLIENT;
	big.master_key = master;
	big.hash = h;
	big.out_len = TK_VERIFY_LEN;
	big.out = (uintptr_t)got;
	big.pending_len = 500;
	big.pending = (uintptr_t)(msgs + a + b);
	big.__reserved2 = 1;
	EXPECT_EQ(-EINVAL, sp_ioctl(env->fd, SSLPROV_IOC_FINISHED, &big))
		TH_LOG("__reserved2 set");
	/* A caller that knows only VER0 cannot pass pending bytes. */
	big.__reserved2 = 0;
	big.size = SSLPROV_FINISHED_SIZE_VER0;
	memset(got, 0, sizeof(got));
	ASSERT_EQ(0, sp_ioctl(env->fd, SSLPROV_IOC_FINISHED, &big));
	TK_EXPECT_MEM(want, got, TK_VERIFY_LEN, "a VER0 call ignores what follows it");

	memset(got, 0, sizeof(got));
	ASSERT_EQ(0, tk_finished(env->fd, master, h, SSLPROV_CLIENT, got));
	TK_EXPECT_MEM(want, got, TK_VERIFY_LEN, "no failed call left its bytes");
	/* And the running hash still takes the rest, as the server's. */
	ASSERT_EQ(0, tk_verify_data(variant->protocol, variant->suite, hs.ms,
				    SSLPROV_SERVER, msgs, sizeof(msgs), want));
	ASSERT_EQ(0, tk_finished_pending(env->fd, master, h, SSLPROV_SERVER,
				 msgs + a + b, sizeof(msgs) - a - b, got));
	TK_EXPECT_MEM(want, got, TK_VERIFY_LEN, "server Finished over all of it");

	munmap(ro, 4096);
	EXPECT_EQ(0, sp_free(env->fd, h));
	EXPECT_EQ(0, sp_free(env->fd, master));
}

/*
 * A realistic order: the client's Finished covers the transcript so far,
 * the server's also covers the client's Finished message; one hash object
 * serves both, so FINISHED must not finalize it.
 */
TEST_F_TIMEOUT(suite, finished_progression, SP_TIMEOUT_LONG)
{
	const struct tk_env *env = &self->env;
	uint8_t msgs[1200 + 16], want[TK_VERIFY_LEN], got[TK_VERIFY_LEN];
	struct tk_hs hs;
	uint32_t master, h;
	size_t n = 1200;
	int ret;

	ASSERT_EQ(0, tk_hs_new(&hs, &env->rsa, variant->protocol,
			       variant->suite, variant->protocol));
	ASSERT_EQ(0, tk_hs_import(env->fd, env->key, &hs, &master));
	ASSERT_EQ(0, tk_random(msgs, n));
	ASSERT_EQ(0, sp_hash_create(env->fd, variant->protocol, variant->suite,
				    &h));
	ASSERT_EQ(0, sp_hash_update(env->fd, h, msgs, n));

	/* The client's Finished, twice: the same both times. */
	ASSERT_EQ(0, tk_verify_data(variant->protocol, variant->suite, hs.ms,
				    SSLPROV_CLIENT, msgs, n, want));
	ret = tk_finished(env->fd, master, h, SSLPROV_CLIENT, got);
	ASSERT_EQ(0, ret) TH_LOG("FINISHED: %s", sp_errname(ret));
	TK_EXPECT_MEM(want, got, TK_VERIFY_LEN, "client Finished");
	memset(got, 0, sizeof(got));
	ASSERT_EQ(0, tk_finished(env->fd, master, h, SSLPROV_CLIENT, got));
	TK_EXPECT_MEM(want, got, TK_VERIFY_LEN, "client Finished again");

	/* Finished message: type 20, uint24 length 12, verify_data. */
	memcpy(msgs + n, "\x14\x00\x00\x0c", 4);
	memcpy(msgs + n + 4, want, TK_VERIFY_LEN);
	ASSERT_EQ(0, sp_hash_update(env->fd, h, msgs + n, 16));
	n += 16;
	ASSERT_EQ(0, tk_verify_data(variant->protocol, variant->suite, hs.ms,
				    SSLPROV_SERVER, msgs, n, want));
	ASSERT_EQ(0, tk_finished(env->fd, master, h, SSLPROV_SERVER, got));
	TK_EXPECT_MEM(want, got, TK_VERIFY_LEN,
		      "server Finished over the transcript with the client's Finished");
	EXPECT_EQ(0, sp_free(env->fd, h));
	EXPECT_EQ(0, sp_free(env->fd, master));
}

TEST_F_TIMEOUT(suite, extended_master_secret, SP_TIMEOUT_LONG)
{
	const struct tk_env *env = &self->env;
	uint8_t msgs[900], sh[SSLPROV_MAX_SESSION_HASH], want[64];
	uint8_t plain_ms[TK_MASTER_LEN], want_v[TK_VERIFY_LEN], got_v[TK_VERIFY_LEN];
	struct sslprov_master_import a;
	unsigned int wl;
	uint32_t h, len, master;
	struct tk_hs hs;
	size_t tlen;
	const uint8_t *t = tk_fixed_transcript(&tlen);
	int ret;

	/* session_hash = Hash(ClientHello .. ClientKeyExchange), from the module. */
	ASSERT_EQ(0, tk_random(msgs, sizeof(msgs)));
	ASSERT_EQ(0, tk_hash_of(env->fd, variant->protocol, variant->suite,
				msgs, sizeof(msgs), &h));
	ASSERT_EQ(0, tk_hash_digest(env->fd, h, sh, &len));
	ASSERT_EQ(variant->hash_len, len);
	ASSERT_EQ(0, tk_digest(tk_prf_md(variant->protocol, variant->suite),
			       msgs, sizeof(msgs), want, &wl));
	TK_EXPECT_MEM(want, sh, wl, "session hash (HASH_DIGEST) vs OpenSSL");
	EXPECT_EQ(0, sp_free(env->fd, h));

	ASSERT_EQ(0, tk_hs_new(&hs, &env->rsa, variant->protocol,
			       variant->suite, 0x0303));
	memcpy(plain_ms, hs.ms, sizeof(plain_ms));
	ASSERT_EQ(0, tk_master(variant->protocol, variant->suite, hs.pm,
			       NULL, NULL, want, wl, hs.ms));
	tk_mi_init(&a, env->key, variant->protocol, variant->suite,
		   hs.client_version, hs.enc, hs.enc_len, hs.cr, hs.sr);
	a.session_hash_len = variant->hash_len;
	memcpy(a.session_hash, want, wl);
	ret = tk_master_import(env->fd, &a, &master);
	ASSERT_EQ(0, ret) TH_LOG("MASTER_IMPORT with session_hash_len %u: %s",
				 variant->hash_len, sp_errname(ret));
	tk_check_master(env->fd, master, variant->protocol, variant->suite,
			hs.ms, "extended master secret");

	/* The randoms play no part in it any more, the session hash does. */
	ASSERT_EQ(0, tk_verify_data(variant->protocol, variant->suite,
				    plain_ms, SSLPROV_CLIENT, t, tlen, want_v));
	ASSERT_EQ(0, tk_module_finished(env->fd, master, variant->protocol,
					variant->suite, SSLPROV_CLIENT, t,
					(uint32_t)tlen, got_v));
	EXPECT_NE(0, memcmp(want_v, got_v, TK_VERIFY_LEN))
		TH_LOG("the extended master secret equals the RFC 5246 one");
	EXPECT_EQ(0, sp_free(env->fd, master));

	/* Other randoms, same session hash and premaster: same master. */
	ASSERT_EQ(0, tk_random(a.client_random, SSLPROV_RANDOM_LEN));
	ASSERT_EQ(0, tk_random(a.server_random, SSLPROV_RANDOM_LEN));
	ASSERT_EQ(0, tk_master_import(env->fd, &a, &master));
	tk_check_master(env->fd, master, variant->protocol, variant->suite,
			hs.ms, "extended master secret, other randoms");
	EXPECT_EQ(0, sp_free(env->fd, master));
}

/* --- TLS 1.2 only ---------------------------------------------------------- */

FIXTURE(tls) {
	struct tk_env env;
};

FIXTURE_SETUP(tls)
{
	TK_ENV_SETUP(&self->env);
}

FIXTURE_TEARDOWN(tls)
{
	TK_ENV_TEARDOWN(&self->env);
}

/*
 * The first oracle itself, on the TLS 1.2 PRF (SHA-256) test vector
 * circulated on the IETF TLS list (also in Go's and NSS's test suites).
 */
TEST_F_TIMEOUT(tls, oracle_known_answer, SP_TIMEOUT)
{
	static const uint8_t secret[] = {
		0x9b, 0xbe, 0x43, 0x6b, 0xa9, 0x40, 0xf0, 0x17,
		0xb1, 0x76, 0x52, 0x84, 0x9a, 0x71, 0xdb, 0x35,
	};
	static const uint8_t seed[] = {
		0xa0, 0xba, 0x9f, 0x93, 0x6c, 0xda, 0x31, 0x18,
		0x27, 0xa6, 0xf7, 0x96, 0xff, 0xd5, 0x19, 0x8c,
	};
	static const uint8_t want[100] = {
		0xe3, 0xf2, 0x29, 0xba, 0x72, 0x7b, 0xe1, 0x7b, 0x8d, 0x12,
		0x26, 0x20, 0x55, 0x7c, 0xd4, 0x53, 0xc2, 0xaa, 0xb2, 0x1d,
		0x07, 0xc3, 0xd4, 0x95, 0x32, 0x9b, 0x52, 0xd4, 0xe6, 0x1e,
		0xdb, 0x5a, 0x6b, 0x30, 0x17, 0x91, 0xe9, 0x0d, 0x35, 0xc9,
		0xc9, 0xa4, 0x6b, 0x4e, 0x14, 0xba, 0xf9, 0xaf, 0x0f, 0xa0,
		0x22, 0xf7, 0x07, 0x7d, 0xef, 0x17, 0xab, 0xfd, 0x37, 0x97,
		0xc0, 0x56, 0x4b, 0xab, 0x4f, 0xbc, 0x91, 0x66, 0x6e, 0x9d,
		0xef, 0x9b, 0x97, 0xfc, 0xe3, 0x4f, 0x79, 0x67, 0x89, 0xba,
		0xa4, 0x80, 0x82, 0xd1, 0x22, 0xee, 0x42, 0xc5, 0xa7, 0x2e,
		0x5a, 0x51, 0x10, 0xff, 0xf7, 0x01, 0x87, 0x34, 0x7b, 0x66,
	};
	uint8_t got[100];

	ASSERT_EQ(0, tk_prf("SHA256", secret, sizeof(secret), "test label",
			    seed, sizeof(seed), NULL, 0, got, sizeof(got)))
		TH_LOG("TLS1-PRF: %s", tk_ossl_err());
	TK_EXPECT_MEM(want, got, sizeof(want), "OpenSSL TLS1-PRF test vector");
}

/*
 * The second oracle: the PRF written out by hand on AF_ALG HMAC must agree
 * with OpenSSL on master secret and Finished for every PRF kind, and with
 * the module's Finished.
 */
TEST_F_TIMEOUT(tls, kcapi_second_oracle, SP_TIMEOUT_LONG)
{
	static const struct { uint32_t protocol, suite; } cases[] = {
		{ 0x0303, 0x009c }, { 0x0303, 0x009d }, { 0x0301, 0x002f },
	};
	const struct tk_env *env = &self->env;
	uint8_t ms[TK_MASTER_LEN], h[64], v[TK_VERIFY_LEN], v2[TK_VERIFY_LEN];
	uint8_t got[TK_VERIFY_LEN];
	const char *md;
	char what[96];
	unsigned int hl;
	uint32_t master;
	struct tk_hs hs;
	size_t tlen, i;
	const uint8_t *t = tk_fixed_transcript(&tlen);
	int ret;

	ret = tk_kcapi_prf("SHA256", (const uint8_t *)"k", 1, "l",
			   (const uint8_t *)"s", 1, NULL, 0, h, 1);
	if (ret == -EAFNOSUPPORT || ret == -ENOENT || ret == -EPROTONOSUPPORT ||
	    ret == -EOPNOTSUPP)
		SKIP(return, "AF_ALG hmac(sha256) unavailable in this kernel (%s): no second oracle",
		     sp_errname(ret));
	ASSERT_EQ(0, ret) TH_LOG("kcapi HMAC: %s", sp_errname(ret));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		md = tk_prf_md(cases[i].protocol, cases[i].suite);
		ASSERT_EQ(0, tk_hs_new(&hs, &env->rsa, cases[i].protocol,
				       cases[i].suite, 0x0303));
		ret = tk_kcapi_prf(md, hs.pm, sizeof(hs.pm), "master secret",
				   hs.cr, sizeof(hs.cr), hs.sr, sizeof(hs.sr),
				   ms, sizeof(ms));
		ASSERT_EQ(0, ret) TH_LOG("%s: kcapi PRF: %s", md,
					 sp_errname(ret));
		snprintf(what, sizeof(what),
			 "%s master secret: kcapi P_hash vs OpenSSL", md);
		TK_EXPECT_MEM(hs.ms, ms, sizeof(ms), what);
		ASSERT_EQ(0, tk_digest(md, t, tlen, h, &hl));
		ASSERT_EQ(0, tk_kcapi_prf(md, ms, sizeof(ms), "server finished",
					  h, hl, NULL, 0, v, sizeof(v)));
		ASSERT_EQ(0, tk_verify_data(cases[i].protocol, cases[i].suite,
					    hs.ms, SSLPROV_SERVER, t, tlen, v2));
		snprintf(what, sizeof(what),
			 "%s server Finished: kcapi vs OpenSSL", md);
		TK_EXPECT_MEM(v2, v, sizeof(v), what);

		ASSERT_EQ(0, tk_hs_import(env->fd, env->key, &hs, &master));
		ASSERT_EQ(0, tk_module_finished(env->fd, master,
						cases[i].protocol,
						cases[i].suite, SSLPROV_SERVER,
						t, (uint32_t)tlen, got));
		snprintf(what, sizeof(what),
			 "%s server Finished: module vs kcapi oracle", md);
		TK_EXPECT_MEM(v, got, sizeof(v), what);
		EXPECT_EQ(0, sp_free(env->fd, master));
	}
}

/* Encrypt @pm (48 bytes) to our key and import it as @client_version. */
static int import_pm(const struct tk_env *env, const uint8_t *pm,
		     uint32_t protocol, uint32_t client_version,
		     const uint8_t *cr, const uint8_t *sr, uint32_t *master)
{
	struct sslprov_master_import a;
	uint8_t enc[512];
	size_t enc_len = sizeof(enc);
	int ret;

	ret = tk_rsa_encrypt(env->rsa.pkey, RSA_PKCS1_PADDING, pm,
			     TK_PREMASTER_LEN, enc, &enc_len);
	if (ret)
		return ret;
	tk_mi_init(&a, env->key, protocol, protocol == 0x0303 ? 0x009c : 0x002f,
		   client_version, enc, (uint32_t)enc_len, cr, sr);
	return tk_master_import(env->fd, &a, master);
}

/*
 * RFC 5246 7.4.7.1: the version in the decrypted premaster is not trusted;
 * the server uses ClientHello.client_version in its place, so a rollback
 * gives a master secret the client does not have.
 */
TEST_F_TIMEOUT(tls, version_rollback, SP_TIMEOUT_LONG)
{
	static const struct {
		uint32_t protocol;
		uint32_t client_version;
		uint8_t inside[2];	/* the premaster's first two bytes */
	} cases[] = {
		{ 0x0303, 0x0303, { 0x03, 0x01 } },
		{ 0x0303, 0x0303, { 0x03, 0x02 } },
		{ 0x0303, 0x0303, { 0x00, 0x00 } },
		{ 0x0303, 0x0303, { 0xff, 0xff } },
		{ 0x0301, 0x0303, { 0x03, 0x01 } },	/* negotiated 1.0 */
		{ 0x0301, 0x0301, { 0x03, 0x03 } },
	};
	const struct tk_env *env = &self->env;
	uint8_t cr[32], sr[32], pm[48], fixed[48], ms[48], ms_raw[48];
	uint8_t want_raw[TK_VERIFY_LEN], got[TK_VERIFY_LEN];
	uint32_t master, suite;
	char what[128];
	size_t tlen, i;
	const uint8_t *t = tk_fixed_transcript(&tlen);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		suite = cases[i].protocol == 0x0303 ? 0x009c : 0x002f;
		ASSERT_EQ(0, tk_random(cr, 32));
		ASSERT_EQ(0, tk_random(sr, 32));
		ASSERT_EQ(0, tk_random(pm, 48));
		memcpy(pm, cases[i].inside, 2);
		memcpy(fixed, pm, 48);
		fixed[0] = cases[i].client_version >> 8;
		fixed[1] = cases[i].client_version & 0xff;
		ASSERT_EQ(0, tk_master(cases[i].protocol, suite, fixed, cr, sr,
				       NULL, 0, ms));
		ASSERT_EQ(0, tk_master(cases[i].protocol, suite, pm, cr, sr,
				       NULL, 0, ms_raw));
		ASSERT_EQ(0, import_pm(env, pm, cases[i].protocol,
				       cases[i].client_version, cr, sr,
				       &master));
		snprintf(what, sizeof(what),
			 "premaster version %02x%02x, client_version %#06x, protocol %#06x",
			 cases[i].inside[0], cases[i].inside[1],
			 cases[i].client_version, cases[i].protocol);
		tk_check_master(env->fd, master, cases[i].protocol, suite, ms,
				what);
		/* And not the master of the premaster as sent. */
		ASSERT_EQ(0, tk_verify_data(cases[i].protocol, suite, ms_raw,
					    SSLPROV_CLIENT, t, tlen, want_raw));
		ASSERT_EQ(0, tk_module_finished(env->fd, master,
						cases[i].protocol, suite,
						SSLPROV_CLIENT, t,
						(uint32_t)tlen, got));
		EXPECT_NE(0, memcmp(want_raw, got, TK_VERIFY_LEN))
			TH_LOG("%s: the premaster's own version was used", what);
		EXPECT_EQ(0, sp_free(env->fd, master));
	}
}

/*
 * Many handshakes on one key: the module blinds each RSA operation and
 * refreshes its blinding values every 64 uses (rsa.c); every one of them
 * must still decrypt correctly.
 */
TEST_F_TIMEOUT(tls, many_handshakes_one_key, SP_TIMEOUT_LONG)
{
	const struct tk_env *env = &self->env;
	uint8_t want[TK_VERIFY_LEN], got[TK_VERIFY_LEN];
	int i, n = (int)sp_env_ulong("SSLPROV_TLS12_HANDSHAKES", 70), bad = 0;
	uint32_t master;
	struct tk_hs hs;
	size_t tlen;
	const uint8_t *t = tk_fixed_transcript(&tlen);

	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, tk_hs_new(&hs, &env->rsa, 0x0303, 0x009c, 0x0303));
		ASSERT_EQ(0, tk_hs_import(env->fd, env->key, &hs, &master));
		ASSERT_EQ(0, tk_verify_data(0x0303, 0x009c, hs.ms,
					    SSLPROV_CLIENT, t, tlen, want));
		ASSERT_EQ(0, tk_module_finished(env->fd, master, 0x0303,
						0x009c, SSLPROV_CLIENT, t,
						(uint32_t)tlen, got));
		if (memcmp(want, got, sizeof(want))) {
			if (!bad++)
				TH_LOG("handshake %d: want %s got %s", i,
				       tk_hex(want, 12), tk_hex(got, 12));
		}
		ASSERT_EQ(0, sp_free(env->fd, master));
	}
	EXPECT_EQ(0, bad) TH_LOG("%d of %d handshakes decrypted wrongly", bad, n);
}

TEST_HARNESS_MAIN
