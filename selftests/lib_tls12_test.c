// SPDX-License-Identifier: GPL-2.0
/*
 * The TLS 1.2 server path of libsslprov, through its public API only
 * (sslprovider.h): SslImportKey, SslOpenPrivateKey, SslImportMasterKey,
 * SslComputeSessionHash, SslComputeFinishedHash, SslGenerateSessionKeys,
 * SslEncryptPacket, SslDecryptPacket and SslLookupCipherLengths, checking
 * for every error the exact SECURITY_STATUS that the contract
 * (cng-ssl-provider.md 3.11, 4.1, 4.7, 5.3 - 5.6) and the library's
 * kernel-doc assign to it.
 *
 * The oracle is OpenSSL (tls12_oracle.h), never the module: OpenSSL makes
 * the RSA key and its certificates, encrypts the premasters, and computes
 * the master secrets (TLS1-PRF), Finished messages, session hashes, key
 * blocks and AES-GCM records the library's results are compared with.  A
 * key or master handle is proved right by both Finished messages over a
 * fresh random transcript fed through SslHashHandshake.
 *
 * The key blobs are built here from the key's OpenSSL parameters, by the
 * layout of contract 4.7 (header, then big-endian e, n, p, q and for the
 * full form dp, dq, qinv, d); PKCS#8 is OpenSSL's encoding.
 *
 * Every handle a test makes is recorded; the teardown frees each one
 * (ERROR_SUCCESS), frees it again (NTE_INVALID_HANDLE, while the provider
 * still lives and once more after it is freed), and waits for the module's
 * counters in /sys/class/misc/sslprov/stats to be back where they were
 * before the test.  SslOpenPrivateKey's tests load the key into the
 * module's key store with the raw KEY_LOAD ioctl (root only, as in the
 * test VM) and unload it in the teardown even when the test fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "kselftest_harness.h"
#include "sslprov_test.h"
#include "tls12_common.h"
#include "../lib/include/sslprovider.h"

#define LT_MAX_HANDLES	128
#define LT_GARBAGE_HANDLE ((NCRYPT_HANDLE)0x5a5a5a5a5a5a5a5aULL)
#define LT_GARBAGE_PROV	((NCRYPT_PROV_HANDLE)0x5a5a5a5a00000000ULL)

/* --- status codes in logs ------------------------------------------------- */

static const char *lt_stname(SECURITY_STATUS st)
{
	static char bufs[4][24];
	static unsigned int next;
	char *b;

	switch (st) {
	case ERROR_SUCCESS:		return "ERROR_SUCCESS";
	case NTE_BAD_KEY:		return "NTE_BAD_KEY";
	case NTE_BAD_DATA:		return "NTE_BAD_DATA";
	case NTE_BAD_FLAGS:		return "NTE_BAD_FLAGS";
	case NTE_BAD_TYPE:		return "NTE_BAD_TYPE";
	case NTE_BAD_KEY_STATE:		return "NTE_BAD_KEY_STATE";
	case NTE_NO_KEY:		return "NTE_NO_KEY";
	case NTE_NO_MEMORY:		return "NTE_NO_MEMORY";
	case NTE_EXISTS:		return "NTE_EXISTS";
	case NTE_PERM:			return "NTE_PERM";
	case NTE_NOT_FOUND:		return "NTE_NOT_FOUND";
	case NTE_FAIL:			return "NTE_FAIL";
	case NTE_INVALID_HANDLE:	return "NTE_INVALID_HANDLE";
	case NTE_INVALID_PARAMETER:	return "NTE_INVALID_PARAMETER";
	case NTE_BUFFER_TOO_SMALL:	return "NTE_BUFFER_TOO_SMALL";
	case NTE_NOT_SUPPORTED:		return "NTE_NOT_SUPPORTED";
	case NTE_DECRYPTION_FAILURE:	return "NTE_DECRYPTION_FAILURE";
	case NTE_INTERNAL_ERROR:	return "NTE_INTERNAL_ERROR";
	default:
		b = bufs[next++ % 4];
		snprintf(b, sizeof(bufs[0]), "%#x", (unsigned int)st);
		return b;
	}
}

/*
 * EXPECT/ASSERT a status; on a mismatch the call and both codes by name
 * are logged.  A TH_LOG() may follow, as after EXPECT_EQ().
 */
static SECURITY_STATUS lt_st_log(struct __test_metadata *_metadata, int line,
				 SECURITY_STATUS want, SECURITY_STATUS got,
				 const char *expr)
{
	if (want != got)
		fprintf(TH_LOG_STREAM, "# %s:%d:%s:%s: want %s, got %s\n",
			__FILE__, line, _metadata->name, expr, lt_stname(want),
			lt_stname(got));
	return got;
}

#define EXPECT_ST(want, expr) \
	EXPECT_EQ((SECURITY_STATUS)(want), \
		  lt_st_log(_metadata, __LINE__, (want), (expr), #expr))
#define ASSERT_ST(want, expr) \
	ASSERT_EQ((SECURITY_STATUS)(want), \
		  lt_st_log(_metadata, __LINE__, (want), (expr), #expr))

/* --- the environment of every test: a provider and its handles ----------- */

struct lt_env {
	struct sp_stats base;
	bool have_base;
	struct tk_rsa rsa;
	NCRYPT_PROV_HANDLE prov;
	NCRYPT_PROV_HANDLE stale_prov;	/* opened and freed again */
	NCRYPT_HANDLE h[LT_MAX_HANDLES];
	int nh;
	int store_fd;			/* raw file for KEY_LOAD / KEY_UNLOAD */
	bool loaded;
	uint8_t loaded_fp[SSLPROV_FINGERPRINT_LEN];
};

static void lt_track(struct __test_metadata *_metadata, struct lt_env *env,
		     NCRYPT_HANDLE h)
{
	ASSERT_NE((NCRYPT_HANDLE)0, h);
	ASSERT_GT(LT_MAX_HANDLES, env->nh);
	env->h[env->nh++] = h;
}

static SECURITY_STATUS lt_keep(struct __test_metadata *_metadata,
			       struct lt_env *env, NCRYPT_HANDLE *h,
			       SECURITY_STATUS st)
{
	if (st == ERROR_SUCCESS)
		lt_track(_metadata, env, *h);
	return st;
}

/*
 * Evaluate @call, which may create handle @h: the handle is recorded
 * whenever the call succeeds, expected or not, so that nothing leaks.
 */
#define KEEP(env, h, call) \
	((h) = 0, lt_keep(_metadata, (env), (NCRYPT_HANDLE *)&(h), (call)))

/* The same for the two handles of SslGenerateSessionKeys. */
#define KEEP2(env, r, w, call) ({					\
	SECURITY_STATUS __s;						\
	(r) = (w) = 0;							\
	__s = (call);							\
	if (__s == ERROR_SUCCESS) {					\
		lt_track(_metadata, (env), (r));			\
		lt_track(_metadata, (env), (w));			\
	}								\
	__s;								\
})

/* Free @h now: once successfully, a second time NTE_INVALID_HANDLE. */
static void lt_free(struct __test_metadata *_metadata, struct lt_env *env,
		    NCRYPT_HANDLE h)
{
	int i;

	for (i = 0; i < env->nh && env->h[i] != h; i++)
		;
	ASSERT_GT(env->nh, i) TH_LOG("freeing a handle the test never made");
	memmove(&env->h[i], &env->h[i + 1], (env->nh - i - 1) * sizeof(h));
	env->nh--;
	EXPECT_ST(ERROR_SUCCESS, SslFreeObject(h, 0));
	EXPECT_ST(NTE_INVALID_HANDLE, SslFreeObject(h, 0));
}

static void lt_env_setup(struct __test_metadata *_metadata, struct lt_env *env)
{
	env->store_fd = -1;
	SP_REQUIRE_DEVICE();
	ASSERT_EQ(0, sp_stats_read(&env->base));
	env->have_base = true;
	ASSERT_EQ(0, tk_rsa_get(&env->rsa))
		TH_LOG("RSA key generation: %s", tk_ossl_err());
	ASSERT_ST(ERROR_SUCCESS,
		  SslOpenProvider(&env->prov, MS_SCHANNEL_PROVIDER, 0));
	ASSERT_ST(ERROR_SUCCESS, SslOpenProvider(&env->stale_prov, NULL, 0));
	ASSERT_ST(ERROR_SUCCESS, SslFreeObject(env->stale_prov, 0));
}

static void lt_env_teardown(struct __test_metadata *_metadata,
			    struct lt_env *env)
{
	char diff[256];
	int i, ret;

	/* A failed ASSERT leaves the harness's log trigger armed. */
	_metadata->trigger = 0;
	/* Newest first, so that keys go before what they were made from. */
	for (i = env->nh - 1; i >= 0; i--)
		EXPECT_ST(ERROR_SUCCESS, SslFreeObject(env->h[i], 0));
	for (i = env->nh - 1; i >= 0; i--)
		EXPECT_ST(NTE_INVALID_HANDLE, SslFreeObject(env->h[i], 0));
	if (env->prov) {
		EXPECT_ST(ERROR_SUCCESS, SslFreeObject(env->prov, 0));
		EXPECT_ST(NTE_INVALID_HANDLE, SslFreeObject(env->prov, 0));
		/* The instance is gone now: nothing of it resolves. */
		for (i = env->nh - 1; i >= 0; i--)
			EXPECT_ST(NTE_INVALID_HANDLE,
				  SslFreeObject(env->h[i], 0));
	}
	if (env->loaded) {
		ret = tk_key_unload(env->store_fd, env->loaded_fp);
		if (ret)
			TH_LOG("teardown KEY_UNLOAD: %s", sp_errname(ret));
		EXPECT_EQ(0, ret);
	}
	if (env->store_fd >= 0)
		close(env->store_fd);
	if (env->have_base) {
		ret = sp_stats_wait(&env->base, diff, sizeof(diff), 10);
		if (ret)
			TH_LOG("module counters after SslFreeObject of everything: %s",
			       diff);
		EXPECT_EQ(0, ret);
	}
	tk_rsa_free(&env->rsa);
}

/* --- parameter lists --------------------------------------------------------- */

struct lt_list {
	NCryptBuffer b[12];
	NCryptBufferDesc d;
};

static NCryptBufferDesc *lt_list_init(struct lt_list *l)
{
	memset(l, 0, sizeof(*l));
	l->d.ulVersion = NCRYPTBUFFER_VERSION;
	l->d.pBuffers = l->b;
	return &l->d;
}

static void lt_list_add(struct lt_list *l, ULONG type, const void *p, ULONG cb)
{
	l->b[l->d.cBuffers].cbBuffer = cb;
	l->b[l->d.cBuffers].BufferType = type;
	l->b[l->d.cBuffers].pvBuffer = (void *)p;
	l->d.cBuffers++;
}

/* A list of the two randoms. */
static NCryptBufferDesc *lt_randoms(struct lt_list *l, const uint8_t *cr,
				    const uint8_t *sr)
{
	lt_list_init(l);
	lt_list_add(l, NCRYPTBUFFER_SSL_CLIENT_RANDOM, cr, SSLPROV_RANDOM_LEN);
	lt_list_add(l, NCRYPTBUFFER_SSL_SERVER_RANDOM, sr, SSLPROV_RANDOM_LEN);
	return &l->d;
}

/* --- key material from OpenSSL ----------------------------------------------- */

struct lt_blob {
	uint8_t *p;
	size_t len;
};

static void lt_blob_free(struct lt_blob *b)
{
	if (b->p)
		OPENSSL_cleanse(b->p, b->len);
	free(b->p);
	b->p = NULL;
	b->len = 0;
}

static int lt_blob_dup(const struct lt_blob *from, struct lt_blob *to)
{
	to->p = malloc(from->len);
	if (!to->p)
		return -ENOMEM;
	memcpy(to->p, from->p, from->len);
	to->len = from->len;
	return 0;
}

/* Read or write a header field of a BCRYPT_RSAKEY_BLOB. */
#define LT_HDR(b, field) (*(ULONG *)((b)->p + offsetof(BCRYPT_RSAKEY_BLOB, field)))

enum lt_form { LT_RSA1, LT_RSA2, LT_RSA3 };

/*
 * The BCRYPT_RSAKEY_BLOB forms of @pkey (contract 4.7): the header, then
 * unsigned big-endian e[cbPublicExp] n[cbModulus], for the private forms
 * p[cbPrime1] q[cbPrime2], and for the full one dp[cbPrime1] dq[cbPrime2]
 * qinv[cbPrime1] d[cbModulus].
 */
static int lt_rsa_blob(EVP_PKEY *pkey, enum lt_form form, struct lt_blob *b)
{
	static const char *const names[8] = {
		OSSL_PKEY_PARAM_RSA_E, OSSL_PKEY_PARAM_RSA_N,
		OSSL_PKEY_PARAM_RSA_FACTOR1, OSSL_PKEY_PARAM_RSA_FACTOR2,
		OSSL_PKEY_PARAM_RSA_EXPONENT1, OSSL_PKEY_PARAM_RSA_EXPONENT2,
		OSSL_PKEY_PARAM_RSA_COEFFICIENT1, OSSL_PKEY_PARAM_RSA_D,
	};
	static const ULONG magics[] = {
		BCRYPT_RSAPUBLIC_MAGIC, BCRYPT_RSAPRIVATE_MAGIC,
		BCRYPT_RSAFULLPRIVATE_MAGIC,
	};
	int parts = form == LT_RSA1 ? 2 : form == LT_RSA2 ? 4 : 8;
	BCRYPT_RSAKEY_BLOB h = { .Magic = magics[form] };
	BIGNUM *bn[8] = { NULL };
	int width[8], i, ret = -EIO;
	size_t off;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < parts; i++)
		if (EVP_PKEY_get_bn_param(pkey, names[i], &bn[i]) != 1)
			goto out;
	h.BitLength = (ULONG)BN_num_bits(bn[1]);
	h.cbPublicExp = (ULONG)BN_num_bytes(bn[0]);
	h.cbModulus = (ULONG)BN_num_bytes(bn[1]);
	if (form != LT_RSA1) {
		h.cbPrime1 = (ULONG)BN_num_bytes(bn[2]);
		h.cbPrime2 = (ULONG)BN_num_bytes(bn[3]);
	}
	width[0] = (int)h.cbPublicExp;
	width[1] = (int)h.cbModulus;
	width[2] = width[4] = width[6] = (int)h.cbPrime1;
	width[3] = width[5] = (int)h.cbPrime2;
	width[7] = (int)h.cbModulus;
	b->len = sizeof(h);
	for (i = 0; i < parts; i++)
		b->len += (size_t)width[i];
	b->p = calloc(1, b->len);
	if (!b->p)
		goto out;
	memcpy(b->p, &h, sizeof(h));
	off = sizeof(h);
	for (i = 0; i < parts; i++) {
		if (BN_bn2binpad(bn[i], b->p + off, width[i]) != width[i])
			goto out;
		off += (size_t)width[i];
	}
	ret = 0;
out:
	for (i = 0; i < 8; i++)
		BN_clear_free(bn[i]);
	if (ret)
		lt_blob_free(b);
	return ret;
}

/* PKCS#8 PrivateKeyInfo, DER, as OpenSSL encodes it. */
static int lt_pkcs8(EVP_PKEY *pkey, struct lt_blob *b)
{
	PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(pkey);
	unsigned char *der = NULL;
	int len;

	memset(b, 0, sizeof(*b));
	if (!p8)
		return -EIO;
	len = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
	PKCS8_PRIV_KEY_INFO_free(p8);
	if (len <= 0)
		return -EIO;
	b->p = malloc((size_t)len);
	if (b->p) {
		memcpy(b->p, der, (size_t)len);
		b->len = (size_t)len;
	}
	OPENSSL_clear_free(der, (size_t)len);
	return b->p ? 0 : -ENOMEM;
}

/* A self-signed X.509 v3 certificate for @pkey, DER, in @b. */
static int lt_cert(EVP_PKEY *pkey, const char *cn, long serial,
		   struct lt_blob *b)
{
	unsigned char *der = NULL;
	X509_NAME *name;
	X509 *x = X509_new();
	int len, ret = -EIO;

	memset(b, 0, sizeof(*b));
	if (!x)
		return -ENOMEM;
	name = X509_get_subject_name(x);
	if (X509_set_version(x, X509_VERSION_3) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(x), serial) != 1 ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), 0) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), 86400L) ||
	    X509_set_pubkey(x, pkey) != 1 ||
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				       (const unsigned char *)cn, -1, -1,
				       0) != 1 ||
	    X509_set_issuer_name(x, name) != 1 ||
	    X509_sign(x, pkey, EVP_sha256()) <= 0)
		goto out;
	len = i2d_X509(x, &der);
	if (len <= 0)
		goto out;
	b->p = malloc((size_t)len);
	if (b->p) {
		memcpy(b->p, der, (size_t)len);
		b->len = (size_t)len;
		ret = 0;
	}
	OPENSSL_free(der);
out:
	X509_free(x);
	return ret;
}

static CERT_CONTEXT lt_cert_ctx(const struct lt_blob *der)
{
	CERT_CONTEXT c = {
		.dwCertEncodingType = X509_ASN_ENCODING | PKCS_7_ASN_ENCODING,
		.pbCertEncoded = der->p,
		.cbCertEncoded = (DWORD)der->len,
	};

	return c;
}

/* --- handshakes through the library, checked against the oracle -------------- */

/* SslImportMasterKey of hs->enc under @list; the master is recorded. */
static SECURITY_STATUS lt_import_master(struct __test_metadata *_metadata,
					struct lt_env *env,
					NCRYPT_KEY_HANDLE key,
					const struct tk_hs *hs,
					NCryptBufferDesc *list,
					NCRYPT_KEY_HANDLE *master)
{
	return KEEP(env, *master,
		    SslImportMasterKey(env->prov, key, master, hs->protocol,
				       hs->suite, list, (PBYTE)hs->enc,
				       (DWORD)hs->enc_len,
				       NCRYPT_SSL_SERVER_FLAG));
}

/*
 * The library's verify_data for both senders over @msgs: a handshake hash
 * made with SslCreateHandshakeHash and fed with SslHashHandshake (in two
 * pieces), then SslComputeFinishedHash.  Returns false if a call failed.
 */
static bool lt_finished(struct __test_metadata *_metadata, struct lt_env *env,
			NCRYPT_KEY_HANDLE master, uint32_t protocol,
			uint32_t suite, const uint8_t *msgs, size_t len,
			uint8_t out[2][TK_VERIFY_LEN])
{
	static const DWORD senders[2] = { NCRYPT_SSL_CLIENT_FLAG,
					  NCRYPT_SSL_SERVER_FLAG };
	NCRYPT_HASH_HANDLE hash;
	SECURITY_STATUS st;
	size_t cut = len / 3;
	bool ok = true;
	int i;

	st = KEEP(env, hash, SslCreateHandshakeHash(env->prov, &hash, protocol,
						     suite, 0));
	EXPECT_ST(ERROR_SUCCESS, st);
	if (st)
		return false;
	EXPECT_ST(ERROR_SUCCESS, SslHashHandshake(env->prov, hash,
						  (PBYTE)msgs, (DWORD)cut, 0));
	EXPECT_ST(ERROR_SUCCESS,
		  SslHashHandshake(env->prov, hash, (PBYTE)msgs + cut,
				   (DWORD)(len - cut), 0));
	for (i = 0; i < 2; i++) {
		memset(out[i], 0, TK_VERIFY_LEN);
		st = SslComputeFinishedHash(env->prov, master, hash, out[i],
					    TK_VERIFY_LEN, senders[i]);
		EXPECT_ST(ERROR_SUCCESS, st);
		if (st)
			ok = false;
	}
	lt_free(_metadata, env, hash);
	return ok;
}

/*
 * Prove that @master holds the master secret @ms: both Finished messages
 * over a fresh random transcript equal the oracle's (RFC 5246 7.4.9).
 */
#define lt_check_master(env, master, protocol, suite, ms, what) \
	__lt_check_master(_metadata, env, master, protocol, suite, ms, what)

static bool __lt_check_master(struct __test_metadata *_metadata,
			      struct lt_env *env, NCRYPT_KEY_HANDLE master,
			      uint32_t protocol, uint32_t suite,
			      const uint8_t ms[TK_MASTER_LEN], const char *what)
{
	uint8_t msgs[517], want[2][TK_VERIFY_LEN], got[2][TK_VERIFY_LEN];
	char desc[2][200];
	bool ok = true;
	int i, ret;

	EXPECT_EQ(0, tk_random(msgs, sizeof(msgs)));
	for (i = 0; i < 2; i++) {
		snprintf(desc[i], sizeof(desc[i]), "%s: %s Finished", what,
			 i ? "server" : "client");
		ret = tk_verify_data(protocol, suite, ms,
				     i ? SSLPROV_SERVER : SSLPROV_CLIENT,
				     msgs, sizeof(msgs), want[i]);
		EXPECT_EQ(0, ret) TH_LOG("%s: oracle: %s", desc[i],
					 tk_ossl_err());
	}
	if (!lt_finished(_metadata, env, master, protocol, suite, msgs,
			 sizeof(msgs), got)) {
		TH_LOG("%s: the library could not compute Finished", what);
		return false;
	}
	for (i = 0; i < 2; i++)
		if (!TK_EXPECT_MEM(want[i], got[i], TK_VERIFY_LEN, desc[i]))
			ok = false;
	if (!ok)
		TH_LOG("%s: master secret (oracle) %s", what,
		       tk_hex(ms, TK_MASTER_LEN));
	return ok;
}

/* A fresh handshake to @k, imported with @key and checked. */
#define lt_check_key(env, key, k, what) \
	__lt_check_key(_metadata, env, key, k, what)

static bool __lt_check_key(struct __test_metadata *_metadata,
			   struct lt_env *env, NCRYPT_KEY_HANDLE key,
			   const struct tk_rsa *k, const char *what)
{
	NCRYPT_KEY_HANDLE master;
	struct lt_list l;
	struct tk_hs hs;
	SECURITY_STATUS st;
	bool ok;

	if (tk_hs_new(&hs, k, SP_TLS1_2, SP_RSA_AES128_GCM_SHA256, SP_TLS1_2)) {
		TH_LOG("%s: oracle: %s", what, tk_ossl_err());
		EXPECT_TRUE(false);
		return false;
	}
	st = lt_import_master(_metadata, env, key, &hs,
			      lt_randoms(&l, hs.cr, hs.sr), &master);
	EXPECT_ST(ERROR_SUCCESS, st);
	if (st)
		return false;
	ok = lt_check_master(env, master, hs.protocol, hs.suite, hs.ms, what);
	lt_free(_metadata, env, master);
	return ok;
}

/* --- 1, 2. private keys: SslImportKey and SslOpenPrivateKey ----------------- */

FIXTURE(keys) {
	struct lt_env env;
};

FIXTURE_SETUP(keys)
{
	lt_env_setup(_metadata, &self->env);
	/* A test killed by its timeout may have left our key loaded. */
	if (geteuid() == 0) {
		self->env.store_fd = sp_open();
		ASSERT_LE(0, self->env.store_fd)
			TH_LOG("open: %s", sp_errname(self->env.store_fd));
		if (!tk_key_unload(self->env.store_fd, self->env.rsa.fp))
			TH_LOG("note: unloaded this program's key, left loaded by an earlier test");
	}
}

FIXTURE_TEARDOWN(keys)
{
	lt_env_teardown(_metadata, &self->env);
}

/*
 * The three private forms of one OpenSSL key (and PKCS#1, which the
 * PKCS#8 type takes too): each handle decrypts the same OpenSSL premaster
 * to the oracle's master secret, so all are the same key.
 */
TEST_F_TIMEOUT(keys, import_three_forms, SP_TIMEOUT_LONG)
{
	struct {
		const char *what;
		LPCWSTR type;
		struct lt_blob b;
	} f[4] = {
		{ "BCRYPT_RSAPRIVATE_BLOB", BCRYPT_RSAPRIVATE_BLOB, { NULL, 0 } },
		{ "BCRYPT_RSAFULLPRIVATE_BLOB", BCRYPT_RSAFULLPRIVATE_BLOB, { NULL, 0 } },
		{ "SSLPROV_PKCS8_PRIVATEKEY_BLOB", SSLPROV_PKCS8_PRIVATEKEY_BLOB, { NULL, 0 } },
		{ "PKCS#1 as SSLPROV_PKCS8_PRIVATEKEY_BLOB",
		  SSLPROV_PKCS8_PRIVATEKEY_BLOB, { NULL, 0 } },
	};
	struct lt_env *env = &self->env;
	NCRYPT_KEY_HANDLE key[4], master;
	struct lt_list l;
	struct tk_hs hs;
	SECURITY_STATUS st;
	int i;

	ASSERT_EQ(0, lt_rsa_blob(env->rsa.pkey, LT_RSA2, &f[0].b));
	ASSERT_EQ(0, lt_rsa_blob(env->rsa.pkey, LT_RSA3, &f[1].b));
	ASSERT_EQ(0, lt_pkcs8(env->rsa.pkey, &f[2].b));
	f[3].b.p = env->rsa.der;
	f[3].b.len = (size_t)env->rsa.der_len;
	/* The layout of contract 4.7 for a 2048-bit key with e = 65537. */
	EXPECT_EQ(24u + 3 + 256 + 128 + 128, f[0].b.len);
	EXPECT_EQ(24u + 3 + 256 + 128 + 128 + 128 + 128 + 128 + 256, f[1].b.len);

	/* One premaster, one pair of randoms, for all forms. */
	ASSERT_EQ(0, tk_hs_new(&hs, &env->rsa, SP_TLS1_2,
			       SP_RSA_AES128_GCM_SHA256, SP_TLS1_2))
		TH_LOG("oracle: %s", tk_ossl_err());
	for (i = 0; i < 4; i++) {
		st = KEEP(env, key[i], SslImportKey(env->prov, &key[i], f[i].type,
						    f[i].b.p, (DWORD)f[i].b.len, 0));
		EXPECT_ST(ERROR_SUCCESS, st) TH_LOG("%s", f[i].what);
		if (st)
			continue;
		st = lt_import_master(_metadata, env, key[i], &hs,
				      lt_randoms(&l, hs.cr, hs.sr), &master);
		EXPECT_ST(ERROR_SUCCESS, st) TH_LOG("%s", f[i].what);
		if (!st)
			lt_check_master(env, master, hs.protocol, hs.suite,
					hs.ms, f[i].what);
	}
	/* The handles are the caller's: the blob buffers may go. */
	for (i = 0; i < 3; i++)
		lt_blob_free(&f[i].b);
	for (i = 0; i < 4; i++)
		if (key[i])
			lt_check_key(env, key[i], &env->rsa, "after the blobs are freed");
}

/* Magic, lengths, short blobs, bad DER (contract 3.11 and 4.7). */
TEST_F_TIMEOUT(keys, import_bad_blobs, SP_TIMEOUT)
{
	static const struct {
		const char *what;
		LPCWSTR type;
		enum lt_form form;
	} forms[] = {
		{ "RSAPRIVATEBLOB", BCRYPT_RSAPRIVATE_BLOB, LT_RSA2 },
		{ "RSAFULLPRIVATEBLOB", BCRYPT_RSAFULLPRIVATE_BLOB, LT_RSA3 },
	};
	struct lt_env *env = &self->env;
	struct lt_blob good, b, p8;
	NCRYPT_KEY_HANDLE h;
	uint8_t junk[600];
	unsigned int i;

#define IMPORT(type, p, n) KEEP(env, h, SslImportKey(env->prov, &h, (type), \
						      (PBYTE)(p), (DWORD)(n), 0))

	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		ULONG magic;

		TH_LOG("blob type %s", forms[i].what);
		ASSERT_EQ(0, lt_rsa_blob(env->rsa.pkey, forms[i].form, &good));
		magic = LT_HDR(&good, Magic);
		/* The control: the blob as built is good. */
		EXPECT_ST(ERROR_SUCCESS, IMPORT(forms[i].type, good.p, good.len));
		if (h)
			lt_free(_metadata, env, h);

		ASSERT_EQ(0, lt_blob_dup(&good, &b));
		/* Wrong magic: the other private one, the public one, 0, swapped. */
		LT_HDR(&b, Magic) = forms[i].form == LT_RSA2 ?
				    BCRYPT_RSAFULLPRIVATE_MAGIC :
				    BCRYPT_RSAPRIVATE_MAGIC;
		EXPECT_ST(NTE_BAD_KEY, IMPORT(forms[i].type, b.p, b.len));
		LT_HDR(&b, Magic) = BCRYPT_RSAPUBLIC_MAGIC;
		EXPECT_ST(NTE_BAD_KEY, IMPORT(forms[i].type, b.p, b.len));
		LT_HDR(&b, Magic) = 0;
		EXPECT_ST(NTE_BAD_KEY, IMPORT(forms[i].type, b.p, b.len));
		LT_HDR(&b, Magic) = __builtin_bswap32(magic);
		EXPECT_ST(NTE_BAD_KEY, IMPORT(forms[i].type, b.p, b.len));
		LT_HDR(&b, Magic) = magic;

		/* Lengths past the end of the blob. */
		LT_HDR(&b, cbModulus) = 0xffffffff;
		EXPECT_ST(NTE_BAD_KEY, IMPORT(forms[i].type, b.p, b.len));
		LT_HDR(&b, cbModulus) = LT_HDR(&good, cbModulus);
		LT_HDR(&b, cbPublicExp) = 0xffffffff;
		EXPECT_ST(NTE_BAD_KEY, IMPORT(forms[i].type, b.p, b.len));
		LT_HDR(&b, cbPublicExp) = LT_HDR(&good, cbPublicExp);
		LT_HDR(&b, cbPrime1) = 0xffffffff;
		EXPECT_ST(NTE_BAD_KEY, IMPORT(forms[i].type, b.p, b.len));
		LT_HDR(&b, cbPrime1) = LT_HDR(&good, cbPrime1);
		LT_HDR(&b, cbPrime2) = 0x80000000;
		EXPECT_ST(NTE_BAD_KEY, IMPORT(forms[i].type, b.p, b.len));
		LT_HDR(&b, cbPrime2) = LT_HDR(&good, cbPrime2);
		/*
		 * Lengths whose 32-bit sum wraps round to exactly the blob's
		 * size: only 64-bit (or checked) arithmetic sees them.
		 * RSA2 sums p + q; RSA3 sums 3 p + 2 q (with dp, qinv, dq).
		 */
		LT_HDR(&b, cbPrime1) += 0x80000000;
		LT_HDR(&b, cbPrime2) += forms[i].form == LT_RSA2 ? 0x80000000 :
								0x40000000;
		EXPECT_ST(NTE_BAD_KEY, IMPORT(forms[i].type, b.p, b.len));
		LT_HDR(&b, cbPrime1) = LT_HDR(&good, cbPrime1);
		LT_HDR(&b, cbPrime2) = LT_HDR(&good, cbPrime2);
		/* One byte short of what the header describes. */
		EXPECT_ST(NTE_BAD_KEY, IMPORT(forms[i].type, b.p, b.len - 1));
		/* Zero lengths. */
		LT_HDR(&b, cbModulus) = 0;
		EXPECT_ST(NTE_BAD_KEY, IMPORT(forms[i].type, b.p, b.len));
		LT_HDR(&b, cbModulus) = LT_HDR(&good, cbModulus);
		LT_HDR(&b, cbPublicExp) = 0;
		EXPECT_ST(NTE_BAD_KEY, IMPORT(forms[i].type, b.p, b.len));
		LT_HDR(&b, cbPublicExp) = LT_HDR(&good, cbPublicExp);
		LT_HDR(&b, cbPrime2) = 0;
		EXPECT_ST(NTE_BAD_KEY, IMPORT(forms[i].type, b.p, b.len));
		LT_HDR(&b, cbPrime2) = LT_HDR(&good, cbPrime2);
		/* BitLength above 8 * cbModulus (contract 4.7). */
		LT_HDR(&b, BitLength) = 8 * LT_HDR(&good, cbModulus) + 1;
		EXPECT_ST(NTE_BAD_KEY, IMPORT(forms[i].type, b.p, b.len));
		LT_HDR(&b, BitLength) = LT_HDR(&good, BitLength);
		/* The header alone. */
		EXPECT_ST(NTE_BAD_KEY, IMPORT(forms[i].type, b.p,
					      sizeof(BCRYPT_RSAKEY_BLOB)));
		/* Shorter than the header: not a blob at all. */
		EXPECT_ST(NTE_BAD_DATA, IMPORT(forms[i].type, b.p,
					       sizeof(BCRYPT_RSAKEY_BLOB) - 1));
		EXPECT_ST(NTE_BAD_DATA, IMPORT(forms[i].type, b.p, 1));
		/* After all that, the unchanged copy still imports. */
		EXPECT_EQ(0, memcmp(good.p, b.p, good.len));
		EXPECT_ST(ERROR_SUCCESS, IMPORT(forms[i].type, b.p, b.len));
		if (h)
			lt_free(_metadata, env, h);
		lt_blob_free(&b);
		lt_blob_free(&good);
	}

	/* PKCS#8: garbage, truncated, an RSA blob in its place. */
	ASSERT_EQ(0, lt_pkcs8(env->rsa.pkey, &p8));
	ASSERT_EQ(0, tk_random(junk, sizeof(junk)));
	EXPECT_ST(NTE_BAD_DATA, IMPORT(SSLPROV_PKCS8_PRIVATEKEY_BLOB, junk,
				       sizeof(junk)));
	junk[0] = 0x30;		/* a SEQUENCE of garbage */
	junk[1] = 0x82;
	junk[2] = 0x02;
	junk[3] = 0x54;
	EXPECT_ST(NTE_BAD_DATA, IMPORT(SSLPROV_PKCS8_PRIVATEKEY_BLOB, junk,
				       sizeof(junk)));
	EXPECT_ST(NTE_BAD_DATA, IMPORT(SSLPROV_PKCS8_PRIVATEKEY_BLOB, p8.p,
				       p8.len - 1));
	EXPECT_ST(NTE_BAD_DATA, IMPORT(SSLPROV_PKCS8_PRIVATEKEY_BLOB, p8.p,
				       p8.len / 2));
	ASSERT_EQ(0, lt_rsa_blob(env->rsa.pkey, LT_RSA3, &b));
	EXPECT_ST(NTE_BAD_DATA, IMPORT(SSLPROV_PKCS8_PRIVATEKEY_BLOB, b.p,
				       b.len));
	/* ... and a PKCS#8 where an RSA blob is expected: its magic is wrong. */
	EXPECT_ST(NTE_BAD_KEY, IMPORT(BCRYPT_RSAFULLPRIVATE_BLOB, p8.p, p8.len));
	lt_blob_free(&b);

	/* The control for PKCS#8. */
	EXPECT_ST(ERROR_SUCCESS, IMPORT(SSLPROV_PKCS8_PRIVATEKEY_BLOB, p8.p,
					p8.len));
	lt_blob_free(&p8);
#undef IMPORT
}

/*
 * SslImportKey in a child, so that a call that crashes or never returns
 * is reported as such.  Returns 0 with the call's status in *st;
 * -ETIMEDOUT if it had not returned after @secs seconds (the child is
 * killed); or 1000 + the signal that killed the child.  A handle the
 * child gets is freed by the child.
 */
static int lt_import_in_child(struct lt_env *env, LPCWSTR type,
			      const struct lt_blob *b, int secs,
			      SECURITY_STATUS *st)
{
	struct pollfd pfd;
	int p[2], ret, wret;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(p[0]);
		close(p[1]);
		return ret;
	}
	if (!pid) {
		NCRYPT_KEY_HANDLE h = 0;
		SECURITY_STATUS s;

		close(p[0]);
		s = SslImportKey(env->prov, &h, type, b->p, (DWORD)b->len, 0);
		if (s == ERROR_SUCCESS)
			SslFreeObject(h, 0);
		_exit(write(p[1], &s, sizeof(s)) == sizeof(s) ? 0 : 1);
	}
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	ret = poll(&pfd, 1, secs * 1000);
	if (ret == 1 && read(p[0], st, sizeof(*st)) == sizeof(*st))
		ret = 0;
	else if (ret == 1)
		ret = -EPIPE;		/* the child died: see how */
	else
		ret = -ETIMEDOUT;
	if (ret == -ETIMEDOUT)
		kill(pid, SIGKILL);
	wret = sp_wait_child(pid);
	close(p[0]);
	if (ret == -EPIPE)
		ret = wret >= 1000 ? wret : -EPIPE;
	return ret;
}

/* A well-formed PKCS#8 key of another type than RSA: not supported. */
TEST_F_TIMEOUT(keys, import_ec_pkcs8, SP_TIMEOUT)
{
	static const char *const curves[] = { "P-256", "P-384" };
	struct lt_env *env = &self->env;
	SECURITY_STATUS st = 0;
	struct lt_blob ec8;
	EVP_PKEY *ec;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(curves); i++) {
		ec = EVP_EC_gen(curves[i]);
		ASSERT_NE(NULL, ec) TH_LOG("EC key: %s", tk_ossl_err());
		ASSERT_EQ(0, lt_pkcs8(ec, &ec8));
		EVP_PKEY_free(ec);
		ret = lt_import_in_child(env, SSLPROV_PKCS8_PRIVATEKEY_BLOB,
					 &ec8, 30, &st);
		lt_blob_free(&ec8);
		if (ret == -ETIMEDOUT)
			TH_LOG("SslImportKey of a %s PKCS#8 key: no return within 30 s",
			       curves[i]);
		else if (ret >= 1000)
			TH_LOG("SslImportKey of a %s PKCS#8 key: killed by signal %d",
			       curves[i], ret - 1000);
		else if (ret)
			TH_LOG("SslImportKey of a %s PKCS#8 key in a child: %s",
			       curves[i], sp_errname(ret));
		EXPECT_EQ(0, ret);
		if (!ret)
			EXPECT_ST(NTE_NOT_SUPPORTED, st) TH_LOG("%s", curves[i]);
	}
}

/* Blob type names, pointers, flags, handles. */
TEST_F_TIMEOUT(keys, import_args, SP_TIMEOUT)
{
	static const WCHAR lower[] = u"rsaprivateblob";
	static const WCHAR prefix[] = u"RSAPRIVATEBLO";
	static const WCHAR longer[] = u"RSAPRIVATEBLOBX";
	static const WCHAR spaced[] = u"RSAPRIVATEBLOB ";
	static const WCHAR empty[] = u"";
	static const WCHAR unknown[] = u"NOSUCHBLOB";
	struct lt_env *env = &self->env;
	NCRYPT_KEY_HANDLE h, hash, key;
	struct lt_blob b, pub, p8;
	SECURITY_STATUS st;

#define IMPORT_P(prov, type, p, n, fl) \
	KEEP(env, h, SslImportKey((prov), &h, (type), (PBYTE)(p), (DWORD)(n), (fl)))

	ASSERT_EQ(0, lt_rsa_blob(env->rsa.pkey, LT_RSA2, &b));
	ASSERT_EQ(0, lt_rsa_blob(env->rsa.pkey, LT_RSA1, &pub));
	ASSERT_EQ(0, lt_pkcs8(env->rsa.pkey, &p8));

	/* Names are compared exactly (contract 1, sslprovider.h). */
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_P(env->prov, lower, b.p, b.len, 0));
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_P(env->prov, prefix, b.p, b.len, 0));
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_P(env->prov, longer, b.p, b.len, 0));
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_P(env->prov, spaced, b.p, b.len, 0));
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_P(env->prov, empty, b.p, b.len, 0));
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_P(env->prov, unknown, b.p, b.len, 0));
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_P(env->prov, BCRYPT_ECCPRIVATE_BLOB,
					      b.p, b.len, 0));
	/* A public blob name with a private blob: the magic is wrong. */
	EXPECT_ST(NTE_BAD_KEY, IMPORT_P(env->prov, BCRYPT_RSAPUBLIC_BLOB,
					b.p, b.len, 0));
	/* ... and the other way round. */
	EXPECT_ST(NTE_BAD_KEY, IMPORT_P(env->prov, BCRYPT_RSAPRIVATE_BLOB,
					pub.p, pub.len, 0));
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_P(env->prov, BCRYPT_OPAQUE_KEY_BLOB,
					      p8.p, p8.len, 0));

	/* NULL pointers and an empty blob, each with otherwise good arguments. */
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslImportKey(env->prov, NULL, BCRYPT_RSAPRIVATE_BLOB, b.p,
			       (DWORD)b.len, 0));
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_P(env->prov, NULL, b.p, b.len, 0));
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  IMPORT_P(env->prov, BCRYPT_RSAPRIVATE_BLOB, NULL, b.len, 0));
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  IMPORT_P(env->prov, BCRYPT_RSAPRIVATE_BLOB, b.p, 0, 0));
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  IMPORT_P(env->prov, SSLPROV_PKCS8_PRIVATEKEY_BLOB, p8.p, 0, 0));

	/* Flags: reserved. */
	EXPECT_ST(NTE_BAD_FLAGS,
		  IMPORT_P(env->prov, BCRYPT_RSAPRIVATE_BLOB, b.p, b.len, 1));
	EXPECT_ST(NTE_BAD_FLAGS,
		  IMPORT_P(env->prov, SSLPROV_PKCS8_PRIVATEKEY_BLOB, p8.p,
			   p8.len, 0x80000000));

	/* Provider handles: 0, garbage, freed, and handles of other objects. */
	EXPECT_ST(NTE_INVALID_HANDLE,
		  IMPORT_P(0, BCRYPT_RSAPRIVATE_BLOB, b.p, b.len, 0));
	EXPECT_ST(NTE_INVALID_HANDLE,
		  IMPORT_P(LT_GARBAGE_PROV, BCRYPT_RSAPRIVATE_BLOB, b.p,
			   b.len, 0));
	EXPECT_ST(NTE_INVALID_HANDLE,
		  IMPORT_P(LT_GARBAGE_HANDLE, BCRYPT_RSAPRIVATE_BLOB, b.p,
			   b.len, 0));
	EXPECT_ST(NTE_INVALID_HANDLE,
		  IMPORT_P(env->stale_prov, BCRYPT_RSAPRIVATE_BLOB, b.p,
			   b.len, 0));
	st = KEEP(env, hash, SslCreateHandshakeHash(env->prov, &hash, SP_TLS1_2,
						     SP_RSA_AES128_GCM_SHA256, 0));
	ASSERT_ST(ERROR_SUCCESS, st);
	EXPECT_ST(NTE_INVALID_HANDLE,
		  IMPORT_P(hash, BCRYPT_RSAPRIVATE_BLOB, b.p, b.len, 0));
	st = KEEP(env, key, SslImportKey(env->prov, &key,
					 SSLPROV_PKCS8_PRIVATEKEY_BLOB, p8.p,
					 (DWORD)p8.len, 0));
	ASSERT_ST(ERROR_SUCCESS, st);
	EXPECT_ST(NTE_INVALID_HANDLE,
		  IMPORT_P(key, BCRYPT_RSAPRIVATE_BLOB, b.p, b.len, 0));
	/* None of the failures above disturbed a good import. */
	EXPECT_ST(ERROR_SUCCESS,
		  IMPORT_P(env->prov, BCRYPT_RSAPRIVATE_BLOB, b.p, b.len, 0));
	if (h)
		lt_check_key(env, h, &env->rsa, "RSAPRIVATEBLOB after the errors");
	lt_blob_free(&b);
	lt_blob_free(&pub);
	lt_blob_free(&p8);
#undef IMPORT_P
}

/*
 * Key sizes: 512 bits in every form is refused as unsupported; 1024 (the
 * module's minimum, module/rsa.c) is taken and works.
 */
TEST_F_TIMEOUT(keys, import_key_sizes, SP_TIMEOUT_LONG)
{
	struct lt_env *env = &self->env;
	struct tk_rsa small, k1024;
	struct lt_blob b;
	NCRYPT_KEY_HANDLE h;
	SECURITY_STATUS st;

	ASSERT_EQ(0, tk_rsa_gen(512, &small)) TH_LOG("%s", tk_ossl_err());
	ASSERT_EQ(0, lt_rsa_blob(small.pkey, LT_RSA2, &b));
	EXPECT_ST(NTE_NOT_SUPPORTED,
		  KEEP(env, h, SslImportKey(env->prov, &h, BCRYPT_RSAPRIVATE_BLOB,
					    b.p, (DWORD)b.len, 0)));
	lt_blob_free(&b);
	ASSERT_EQ(0, lt_rsa_blob(small.pkey, LT_RSA3, &b));
	EXPECT_ST(NTE_NOT_SUPPORTED,
		  KEEP(env, h, SslImportKey(env->prov, &h,
					    BCRYPT_RSAFULLPRIVATE_BLOB, b.p,
					    (DWORD)b.len, 0)));
	lt_blob_free(&b);
	ASSERT_EQ(0, lt_pkcs8(small.pkey, &b));
	EXPECT_ST(NTE_NOT_SUPPORTED,
		  KEEP(env, h, SslImportKey(env->prov, &h,
					    SSLPROV_PKCS8_PRIVATEKEY_BLOB, b.p,
					    (DWORD)b.len, 0)));
	lt_blob_free(&b);
	tk_rsa_free(&small);

	ASSERT_EQ(0, tk_rsa_gen(1024, &k1024)) TH_LOG("%s", tk_ossl_err());
	ASSERT_EQ(0, lt_rsa_blob(k1024.pkey, LT_RSA2, &b));
	st = KEEP(env, h, SslImportKey(env->prov, &h, BCRYPT_RSAPRIVATE_BLOB,
				       b.p, (DWORD)b.len, 0));
	EXPECT_ST(ERROR_SUCCESS, st);
	if (!st)
		lt_check_key(env, h, &k1024, "1024-bit RSAPRIVATEBLOB");
	lt_blob_free(&b);
	tk_rsa_free(&k1024);
}

/*
 * A BCRYPT_RSAPUBLIC_BLOB by hand: header, then @e and @n as given
 * (leading zeros kept), BitLength @bits.
 */
static int lt_pub_blob(const uint8_t *e, ULONG e_len, const uint8_t *n,
		       ULONG n_len, ULONG bits, struct lt_blob *b)
{
	BCRYPT_RSAKEY_BLOB h = {
		.Magic = BCRYPT_RSAPUBLIC_MAGIC,
		.BitLength = bits,
		.cbPublicExp = e_len,
		.cbModulus = n_len,
	};

	b->len = sizeof(h) + e_len + n_len;
	b->p = malloc(b->len);
	if (!b->p)
		return -ENOMEM;
	memcpy(b->p, &h, sizeof(h));
	memcpy(b->p + sizeof(h), e, e_len);
	memcpy(b->p + sizeof(h) + e_len, n, n_len);
	return 0;
}

/*
 * SslExportKey(BCRYPT_RSAPUBLIC_BLOB) of @key must give exactly @want
 * (OpenSSL's minimal RSA1 blob): size query, then the blob, nothing
 * written past it.
 */
#define lt_check_public(env, key, want, what) \
	__lt_check_public(_metadata, env, key, want, what)
static void __lt_check_public(struct __test_metadata *_metadata,
			      struct lt_env *env, NCRYPT_KEY_HANDLE key,
			      const struct lt_blob *want, const char *what)
{
	uint8_t out[2048];
	DWORD cb = 0;

	TH_LOG("%s", what);
	ASSERT_GT(sizeof(out), want->len);
	EXPECT_ST(ERROR_SUCCESS, SslExportKey(env->prov, key,
					      BCRYPT_RSAPUBLIC_BLOB, NULL, 0,
					      &cb, 0));
	EXPECT_EQ(want->len, cb);
	memset(out, 0xa5, sizeof(out));
	cb = 0;
	EXPECT_ST(ERROR_SUCCESS, SslExportKey(env->prov, key,
					      BCRYPT_RSAPUBLIC_BLOB, out,
					      sizeof(out), &cb, 0));
	ASSERT_EQ(want->len, cb);
	EXPECT_EQ(0, memcmp(want->p, out, want->len));
	EXPECT_EQ(0xa5, out[want->len]);
}

/*
 * BCRYPT_RSAPUBLIC_BLOB both ways: OpenSSL's blob imports and exports
 * unchanged; the private forms export the same public blob; blobs with
 * leading zeros import and export minimal; a public key cannot act as a
 * private one.
 */
TEST_F_TIMEOUT(keys, public_blob, SP_TIMEOUT)
{
	static const uint8_t f4_padded[] = { 0x00, 0x01, 0x00, 0x01 };
	struct lt_env *env = &self->env;
	struct lt_blob pub, priv, full, p8, b;
	NCRYPT_KEY_HANDLE h, k, kpriv, master;
	const uint8_t *n;
	uint8_t n0[257];
	struct lt_list l;
	struct tk_hs hs;
	SECURITY_STATUS st;

	ASSERT_EQ(0, lt_rsa_blob(env->rsa.pkey, LT_RSA1, &pub));
	ASSERT_EQ(24u + 3 + 256, pub.len);
	n = pub.p + 24 + 3;

	st = KEEP(env, h, SslImportKey(env->prov, &h, BCRYPT_RSAPUBLIC_BLOB,
				       pub.p, (DWORD)pub.len, 0));
	ASSERT_ST(ERROR_SUCCESS, st);
	lt_check_public(env, h, &pub, "RSA1 imported");

	ASSERT_EQ(0, lt_rsa_blob(env->rsa.pkey, LT_RSA2, &priv));
	ASSERT_EQ(0, lt_rsa_blob(env->rsa.pkey, LT_RSA3, &full));
	ASSERT_EQ(0, lt_pkcs8(env->rsa.pkey, &p8));
	st = KEEP(env, kpriv, SslImportKey(env->prov, &kpriv,
					   BCRYPT_RSAPRIVATE_BLOB, priv.p,
					   (DWORD)priv.len, 0));
	ASSERT_ST(ERROR_SUCCESS, st);
	lt_check_public(env, kpriv, &pub, "of an RSA2 import");
	st = KEEP(env, k, SslImportKey(env->prov, &k,
				       BCRYPT_RSAFULLPRIVATE_BLOB, full.p,
				       (DWORD)full.len, 0));
	ASSERT_ST(ERROR_SUCCESS, st);
	lt_check_public(env, k, &pub, "of an RSA3 import");
	st = KEEP(env, k, SslImportKey(env->prov, &k,
				       SSLPROV_PKCS8_PRIVATEKEY_BLOB, p8.p,
				       (DWORD)p8.len, 0));
	ASSERT_ST(ERROR_SUCCESS, st);
	lt_check_public(env, k, &pub, "of a PKCS#8 import");

	/* Leading zeros in e and in n are taken; the export is minimal. */
	n0[0] = 0;
	memcpy(n0 + 1, n, 256);
	ASSERT_EQ(0, lt_pub_blob(f4_padded, sizeof(f4_padded), n0,
				 sizeof(n0), 2048, &b));
	st = KEEP(env, k, SslImportKey(env->prov, &k, BCRYPT_RSAPUBLIC_BLOB,
				       b.p, (DWORD)b.len, 0));
	EXPECT_ST(ERROR_SUCCESS, st);
	if (!st)
		lt_check_public(env, k, &pub, "of a blob with leading zeros");
	lt_blob_free(&b);

	/* Bytes after the modulus are ignored, as for the private blobs. */
	ASSERT_EQ(0, lt_pub_blob(pub.p + 24, 3, n, 256, 2048, &b));
	b.p = realloc(b.p, b.len + 7);
	ASSERT_NE(NULL, b.p);
	memset(b.p + b.len, 0xff, 7);
	st = KEEP(env, k, SslImportKey(env->prov, &k, BCRYPT_RSAPUBLIC_BLOB,
				       b.p, (DWORD)b.len + 7, 0));
	EXPECT_ST(ERROR_SUCCESS, st);
	if (!st)
		lt_check_public(env, k, &pub, "of a blob with trailing bytes");
	lt_blob_free(&b);

	/* A public key is no private key: no master secret from it. */
	ASSERT_EQ(0, tk_hs_new(&hs, &env->rsa, SP_TLS1_2,
			       SP_RSA_AES128_GCM_SHA256, SP_TLS1_2));
	EXPECT_ST(NTE_BAD_KEY_STATE,
		  lt_import_master(_metadata, env, h, &hs,
				   lt_randoms(&l, hs.cr, hs.sr), &master));
	/* The private key does it, so the handshake itself was fine. */
	EXPECT_ST(ERROR_SUCCESS,
		  lt_import_master(_metadata, env, kpriv, &hs,
				   lt_randoms(&l, hs.cr, hs.sr), &master));

	lt_blob_free(&pub);
	lt_blob_free(&priv);
	lt_blob_free(&full);
	lt_blob_free(&p8);
}

/* Bad BCRYPT_RSAPUBLIC_BLOBs (contract 3.11, 4.7). */
TEST_F_TIMEOUT(keys, public_blob_bad, SP_TIMEOUT_LONG)
{
	static const uint8_t e_one[] = { 0x01 }, e_two[] = { 0x02 };
	struct lt_env *env = &self->env;
	struct lt_blob good, b;
	struct tk_rsa small;
	NCRYPT_KEY_HANDLE h;
	uint8_t n[256];

#define IMPORT_PUB(p, len) KEEP(env, h, SslImportKey(env->prov, &h,	\
				BCRYPT_RSAPUBLIC_BLOB, (PBYTE)(p), (DWORD)(len), 0))

	ASSERT_EQ(0, lt_rsa_blob(env->rsa.pkey, LT_RSA1, &good));
	memcpy(n, good.p + 24 + 3, sizeof(n));
	ASSERT_EQ(0, lt_blob_dup(&good, &b));

	/* Shorter than the header: not a blob. */
	EXPECT_ST(NTE_BAD_DATA, IMPORT_PUB(b.p, sizeof(BCRYPT_RSAKEY_BLOB) - 1));
	EXPECT_ST(NTE_BAD_DATA, IMPORT_PUB(b.p, 1));
	/* The header alone; one byte short. */
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, sizeof(BCRYPT_RSAKEY_BLOB)));
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len - 1));

	/* Magics. */
	LT_HDR(&b, Magic) = BCRYPT_RSAPRIVATE_MAGIC;
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	LT_HDR(&b, Magic) = 0;
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	LT_HDR(&b, Magic) = __builtin_bswap32(BCRYPT_RSAPUBLIC_MAGIC);
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	LT_HDR(&b, Magic) = BCRYPT_RSAPUBLIC_MAGIC;

	/* Lengths: zero, past the end, wrapping round in 32 bits, primes. */
	LT_HDR(&b, cbPublicExp) = 0;
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	LT_HDR(&b, cbPublicExp) = 3;
	LT_HDR(&b, cbModulus) = 0;
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	LT_HDR(&b, cbModulus) = 0xffffffff;
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	LT_HDR(&b, cbModulus) = 256 + 0x80000000;
	LT_HDR(&b, cbPublicExp) = 3 + 0x80000000;
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	LT_HDR(&b, cbModulus) = 256;
	LT_HDR(&b, cbPublicExp) = 3;
	LT_HDR(&b, cbPrime1) = 1;
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	LT_HDR(&b, cbPrime1) = 0;
	LT_HDR(&b, cbPrime2) = 1;
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	LT_HDR(&b, cbPrime2) = 0;

	/* BitLength must be the modulus's. */
	LT_HDR(&b, BitLength) = 2047;
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	LT_HDR(&b, BitLength) = 2049;
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	LT_HDR(&b, BitLength) = 0;
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	LT_HDR(&b, BitLength) = 2048;

	/* The unchanged copy still imports. */
	EXPECT_EQ(0, memcmp(good.p, b.p, good.len));
	EXPECT_ST(ERROR_SUCCESS, IMPORT_PUB(b.p, b.len));
	if (h)
		lt_free(_metadata, env, h);
	lt_blob_free(&b);

	/* Keys the kernel refuses: n even, e = 1, e even, e = n. */
	n[255] &= 0xfe;
	ASSERT_EQ(0, lt_pub_blob(good.p + 24, 3, n, 256, 2048, &b));
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	lt_blob_free(&b);
	n[255] |= 1;
	ASSERT_EQ(0, lt_pub_blob(e_one, 1, n, 256, 2048, &b));
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	lt_blob_free(&b);
	ASSERT_EQ(0, lt_pub_blob(e_two, 1, n, 256, 2048, &b));
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	lt_blob_free(&b);
	ASSERT_EQ(0, lt_pub_blob(n, 256, n, 256, 2048, &b));
	EXPECT_ST(NTE_BAD_KEY, IMPORT_PUB(b.p, b.len));
	lt_blob_free(&b);

	/* 512 bits: a well-formed key the provider does not support. */
	ASSERT_EQ(0, tk_rsa_gen(512, &small)) TH_LOG("%s", tk_ossl_err());
	ASSERT_EQ(0, lt_rsa_blob(small.pkey, LT_RSA1, &b));
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_PUB(b.p, b.len));
	lt_blob_free(&b);
	tk_rsa_free(&small);
	lt_blob_free(&good);
#undef IMPORT_PUB
}

/* SslExportKey's documented errors (contract 3.11, 5.3). */
TEST_F_TIMEOUT(keys, export_errors, SP_TIMEOUT)
{
	static const WCHAR lower[] = u"rsapublicblob";
	static const LPCWSTR refused[] = {
		BCRYPT_RSAPRIVATE_BLOB, BCRYPT_RSAFULLPRIVATE_BLOB,
		SSLPROV_PKCS8_PRIVATEKEY_BLOB, BCRYPT_OPAQUE_KEY_BLOB,
		BCRYPT_ECCPUBLIC_BLOB, lower,
	};
	struct lt_env *env = &self->env;
	NCRYPT_KEY_HANDLE key, pubh, hash, master, stale;
	NCRYPT_PROV_HANDLE other;
	struct lt_blob priv, pub;
	uint8_t out[600];
	struct lt_list l;
	struct tk_hs hs;
	unsigned int i;
	DWORD cb, total;

#define EXPORT(prov, k, type, p, n) SslExportKey((prov), (k), (type), \
						 (PBYTE)(p), (n), &cb, 0)

	ASSERT_EQ(0, lt_rsa_blob(env->rsa.pkey, LT_RSA2, &priv));
	ASSERT_EQ(0, lt_rsa_blob(env->rsa.pkey, LT_RSA1, &pub));
	ASSERT_ST(ERROR_SUCCESS,
		  KEEP(env, key, SslImportKey(env->prov, &key,
					      BCRYPT_RSAPRIVATE_BLOB, priv.p,
					      (DWORD)priv.len, 0)));
	ASSERT_ST(ERROR_SUCCESS,
		  KEEP(env, pubh, SslImportKey(env->prov, &pubh,
					       BCRYPT_RSAPUBLIC_BLOB, pub.p,
					       (DWORD)pub.len, 0)));
	total = (DWORD)pub.len;

	/* Private and other blob types: never, and nothing is written. */
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		cb = 0x5a5a;
		memset(out, 0x5a, sizeof(out));
		EXPECT_ST(NTE_NOT_SUPPORTED, EXPORT(env->prov, key, refused[i],
						    out, sizeof(out)));
		EXPECT_EQ(0x5a5a, cb);
		EXPECT_EQ(0x5a, out[0]);
		EXPECT_EQ(0x5a, out[sizeof(out) - 1]);
	}

	/* NULL pointers, flags. */
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslExportKey(env->prov, key, BCRYPT_RSAPUBLIC_BLOB, out,
			       sizeof(out), NULL, 0));
	EXPECT_ST(NTE_INVALID_PARAMETER, EXPORT(env->prov, key, NULL, out,
						sizeof(out)));
	EXPECT_ST(NTE_BAD_FLAGS,
		  SslExportKey(env->prov, key, BCRYPT_RSAPUBLIC_BLOB, out,
			       sizeof(out), &cb, 1));
	EXPECT_ST(NTE_BAD_FLAGS,
		  SslExportKey(env->prov, key, BCRYPT_RSAPUBLIC_BLOB, out,
			       sizeof(out), &cb, 0x80000000));

	/* Too small: the size comes back, the buffer stays as it was. */
	memset(out, 0x5a, sizeof(out));
	cb = 0;
	EXPECT_ST(NTE_BUFFER_TOO_SMALL, EXPORT(env->prov, key,
					       BCRYPT_RSAPUBLIC_BLOB, out,
					       total - 1));
	EXPECT_EQ(total, cb);
	EXPECT_EQ(0x5a, out[0]);
	EXPECT_EQ(0x5a, out[total - 2]);
	cb = 0;
	EXPECT_ST(NTE_BUFFER_TOO_SMALL, EXPORT(env->prov, pubh,
					       BCRYPT_RSAPUBLIC_BLOB, out, 0));
	EXPECT_EQ(total, cb);
	/* Exactly enough. */
	EXPECT_ST(ERROR_SUCCESS, EXPORT(env->prov, key, BCRYPT_RSAPUBLIC_BLOB,
					out, total));
	EXPECT_EQ(0, memcmp(pub.p, out, total));

	/* Keys without a public blob. */
	ASSERT_EQ(0, tk_hs_new(&hs, &env->rsa, SP_TLS1_2,
			       SP_RSA_AES128_GCM_SHA256, SP_TLS1_2));
	ASSERT_ST(ERROR_SUCCESS,
		  lt_import_master(_metadata, env, key, &hs,
				   lt_randoms(&l, hs.cr, hs.sr), &master));
	EXPECT_ST(NTE_NOT_SUPPORTED, EXPORT(env->prov, master,
					    BCRYPT_RSAPUBLIC_BLOB, out,
					    sizeof(out)));

	/* Handles: a hash, 0, garbage, a provider, a freed key. */
	ASSERT_ST(ERROR_SUCCESS,
		  KEEP(env, hash, SslCreateHandshakeHash(env->prov, &hash,
							 SP_TLS1_2,
							 SP_RSA_AES128_GCM_SHA256,
							 0)));
	EXPECT_ST(NTE_INVALID_HANDLE, EXPORT(env->prov, hash,
					     BCRYPT_RSAPUBLIC_BLOB, out,
					     sizeof(out)));
	EXPECT_ST(NTE_INVALID_HANDLE, EXPORT(env->prov, 0,
					     BCRYPT_RSAPUBLIC_BLOB, out,
					     sizeof(out)));
	EXPECT_ST(NTE_INVALID_HANDLE, EXPORT(env->prov, LT_GARBAGE_HANDLE,
					     BCRYPT_RSAPUBLIC_BLOB, out,
					     sizeof(out)));
	EXPECT_ST(NTE_INVALID_HANDLE, EXPORT(env->prov, env->prov,
					     BCRYPT_RSAPUBLIC_BLOB, out,
					     sizeof(out)));
	ASSERT_ST(ERROR_SUCCESS,
		  KEEP(env, stale, SslImportKey(env->prov, &stale,
						BCRYPT_RSAPUBLIC_BLOB, pub.p,
						(DWORD)pub.len, 0)));
	lt_free(_metadata, env, stale);
	EXPECT_ST(NTE_INVALID_HANDLE, EXPORT(env->prov, stale,
					     BCRYPT_RSAPUBLIC_BLOB, out,
					     sizeof(out)));

	/* Provider handles: 0, garbage, freed, another provider's. */
	EXPECT_ST(NTE_INVALID_HANDLE, EXPORT(0, key, BCRYPT_RSAPUBLIC_BLOB,
					     out, sizeof(out)));
	EXPECT_ST(NTE_INVALID_HANDLE, EXPORT(LT_GARBAGE_PROV, key,
					     BCRYPT_RSAPUBLIC_BLOB, out,
					     sizeof(out)));
	EXPECT_ST(NTE_INVALID_HANDLE, EXPORT(env->stale_prov, key,
					     BCRYPT_RSAPUBLIC_BLOB, out,
					     sizeof(out)));
	EXPECT_ST(NTE_INVALID_HANDLE, EXPORT(key, key, BCRYPT_RSAPUBLIC_BLOB,
					     out, sizeof(out)));
	ASSERT_ST(ERROR_SUCCESS, SslOpenProvider(&other, NULL, 0));
	EXPECT_ST(NTE_INVALID_HANDLE, EXPORT(other, key,
					     BCRYPT_RSAPUBLIC_BLOB, out,
					     sizeof(out)));
	EXPECT_ST(ERROR_SUCCESS, SslFreeObject(other, 0));

	/* None of that disturbed a good export. */
	lt_check_public(env, pubh, &pub, "after the errors");
	lt_blob_free(&priv);
	lt_blob_free(&pub);
#undef EXPORT
}

/* Load the program's key into the key store for uid 0 (raw ioctl). */
static void lt_store_load(struct __test_metadata *_metadata, struct lt_env *env)
{
	uint8_t fp[SSLPROV_FINGERPRINT_LEN];
	int ret;

	ASSERT_LE(0, env->store_fd);
	ret = tk_key_load(env->store_fd, env->rsa.der, (uint32_t)env->rsa.der_len,
			  SSLPROV_KEY_UID, 0, 0, fp);
	ASSERT_EQ(0, ret) TH_LOG("KEY_LOAD: %s", sp_errname(ret));
	memcpy(env->loaded_fp, fp, sizeof(fp));
	env->loaded = true;
	TK_EXPECT_MEM(env->rsa.fp, fp, sizeof(fp),
		      "KEY_LOAD fingerprint vs SHA-256(i2d_PUBKEY)");
}

#define LT_REQUIRE_ROOT() do {						\
	if (geteuid() != 0)						\
		SKIP(return, "loading a key needs CAP_SYS_ADMIN");	\
} while (0)

/*
 * SslOpenPrivateKey finds the loaded key by the certificate's public key:
 * not before it is loaded, any certificate of that key after, none of
 * another key; the handle decrypts like the key itself and outlives the
 * unload.
 */
TEST_F_TIMEOUT(keys, open_private_key, SP_TIMEOUT_LONG)
{
	struct lt_env *env = &self->env;
	struct lt_blob cert, cert2, other_cert, ec_cert;
	CERT_CONTEXT cc, cc2, occ, ecc;
	NCRYPT_KEY_HANDLE h, h2, hx;
	struct tk_rsa other;
	EVP_PKEY *ec;
	SECURITY_STATUS st;
	int ret;

	LT_REQUIRE_ROOT();
	ASSERT_EQ(0, lt_cert(env->rsa.pkey, "lib_tls12_test", 1, &cert));
	ASSERT_EQ(0, lt_cert(env->rsa.pkey, "another name, same key", 77,
			     &cert2));
	ASSERT_EQ(0, tk_rsa_gen(1024, &other)) TH_LOG("%s", tk_ossl_err());
	ASSERT_EQ(0, lt_cert(other.pkey, "another key", 2, &other_cert));
	ec = EVP_EC_gen("P-256");
	ASSERT_NE(NULL, ec);
	ASSERT_EQ(0, lt_cert(ec, "an EC key", 3, &ec_cert));
	EVP_PKEY_free(ec);
	cc = lt_cert_ctx(&cert);
	cc2 = lt_cert_ctx(&cert2);
	occ = lt_cert_ctx(&other_cert);
	ecc = lt_cert_ctx(&ec_cert);

	EXPECT_ST(NTE_NO_KEY, KEEP(env, hx, SslOpenPrivateKey(env->prov, &hx,
							      &cc, 0)));
	lt_store_load(_metadata, env);

	st = KEEP(env, h, SslOpenPrivateKey(env->prov, &h, &cc, 0));
	ASSERT_ST(ERROR_SUCCESS, st);
	lt_check_key(env, h, &env->rsa, "SslOpenPrivateKey");
	/* Matching is by SubjectPublicKeyInfo, not by the certificate. */
	st = KEEP(env, h2, SslOpenPrivateKey(env->prov, &h2, &cc2, 0));
	EXPECT_ST(ERROR_SUCCESS, st);
	if (!st) {
		EXPECT_NE(h, h2);
		lt_check_key(env, h2, &env->rsa,
			     "SslOpenPrivateKey, second certificate");
	}
	EXPECT_ST(NTE_NO_KEY, KEEP(env, hx, SslOpenPrivateKey(env->prov, &hx,
							      &occ, 0)));
	EXPECT_ST(NTE_NO_KEY, KEEP(env, hx, SslOpenPrivateKey(env->prov, &hx,
							      &ecc, 0)));

	/* Unloaded: no new handles, but the open one keeps working. */
	ret = tk_key_unload(env->store_fd, env->loaded_fp);
	EXPECT_EQ(0, ret) TH_LOG("KEY_UNLOAD: %s", sp_errname(ret));
	if (!ret)
		env->loaded = false;
	EXPECT_ST(NTE_NO_KEY, KEEP(env, hx, SslOpenPrivateKey(env->prov, &hx,
							      &cc, 0)));
	lt_check_key(env, h, &env->rsa, "SslOpenPrivateKey handle after unload");

	lt_blob_free(&cert);
	lt_blob_free(&cert2);
	lt_blob_free(&other_cert);
	lt_blob_free(&ec_cert);
	tk_rsa_free(&other);
}

/* The errors of SslOpenPrivateKey, with the key loaded (so each would succeed). */
TEST_F_TIMEOUT(keys, open_private_key_errors, SP_TIMEOUT)
{
	struct lt_env *env = &self->env;
	NCRYPT_KEY_HANDLE h, hash;
	struct lt_blob cert;
	CERT_CONTEXT cc, bad;
	uint8_t junk[400];
	SECURITY_STATUS st;

	LT_REQUIRE_ROOT();
	ASSERT_EQ(0, lt_cert(env->rsa.pkey, "lib_tls12_test", 1, &cert));
	cc = lt_cert_ctx(&cert);
	lt_store_load(_metadata, env);

	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslOpenPrivateKey(env->prov, NULL, &cc, 0));
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  KEEP(env, h, SslOpenPrivateKey(env->prov, &h, NULL, 0)));
	bad = cc;
	bad.pbCertEncoded = NULL;
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  KEEP(env, h, SslOpenPrivateKey(env->prov, &h, &bad, 0)));
	bad = cc;
	bad.cbCertEncoded = 0;
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  KEEP(env, h, SslOpenPrivateKey(env->prov, &h, &bad, 0)));

	/* Not DER certificates. */
	ASSERT_EQ(0, tk_random(junk, sizeof(junk)));
	bad = cc;
	bad.pbCertEncoded = junk;
	bad.cbCertEncoded = sizeof(junk);
	EXPECT_ST(NTE_BAD_DATA,
		  KEEP(env, h, SslOpenPrivateKey(env->prov, &h, &bad, 0)));
	bad = cc;
	bad.cbCertEncoded = (DWORD)cert.len - 1;
	EXPECT_ST(NTE_BAD_DATA,
		  KEEP(env, h, SslOpenPrivateKey(env->prov, &h, &bad, 0)));
	bad.cbCertEncoded = 10;
	EXPECT_ST(NTE_BAD_DATA,
		  KEEP(env, h, SslOpenPrivateKey(env->prov, &h, &bad, 0)));

	EXPECT_ST(NTE_BAD_FLAGS,
		  KEEP(env, h, SslOpenPrivateKey(env->prov, &h, &cc, 1)));
	EXPECT_ST(NTE_BAD_FLAGS,
		  KEEP(env, h, SslOpenPrivateKey(env->prov, &h, &cc,
						 NCRYPT_SSL_SERVER_FLAG)));

	EXPECT_ST(NTE_INVALID_HANDLE,
		  KEEP(env, h, SslOpenPrivateKey(0, &h, &cc, 0)));
	EXPECT_ST(NTE_INVALID_HANDLE,
		  KEEP(env, h, SslOpenPrivateKey(LT_GARBAGE_PROV, &h, &cc, 0)));
	EXPECT_ST(NTE_INVALID_HANDLE,
		  KEEP(env, h, SslOpenPrivateKey(env->stale_prov, &h, &cc, 0)));
	st = KEEP(env, hash, SslCreateHandshakeHash(env->prov, &hash, SP_TLS1_2,
						     SP_RSA_AES128_GCM_SHA256, 0));
	ASSERT_ST(ERROR_SUCCESS, st);
	EXPECT_ST(NTE_INVALID_HANDLE,
		  KEEP(env, h, SslOpenPrivateKey(hash, &h, &cc, 0)));

	/* The control. */
	st = KEEP(env, h, SslOpenPrivateKey(env->prov, &h, &cc, 0));
	EXPECT_ST(ERROR_SUCCESS, st);
	lt_blob_free(&cert);
}

/* --- 5. SslLookupCipherLengths --------------------------------------------------- */

TEST_F_TIMEOUT(keys, cipher_lengths, SP_TIMEOUT)
{
	static const DWORD suites[] = { TLS_RSA_WITH_AES_128_GCM_SHA256,
					TLS_RSA_WITH_AES_256_GCM_SHA384 };
	struct lt_env *env = &self->env;
	union {
		NCRYPT_SSL_CIPHER_LENGTHS cl;
		uint8_t raw[32];
	} u;
	uint8_t sentinel[32];
	unsigned int i;

	memset(sentinel, 0xa5, sizeof(sentinel));
	for (i = 0; i < ARRAY_SIZE(suites); i++) {
		TH_LOG("suite %#06x", suites[i]);
		memset(&u, 0xa5, sizeof(u));
		EXPECT_ST(ERROR_SUCCESS,
			  SslLookupCipherLengths(env->prov, TLS1_2_PROTOCOL_VERSION,
						 suites[i], 0, &u.cl,
						 sizeof(u.cl), 0));
		EXPECT_EQ(20u, u.cl.cbLength);
		EXPECT_EQ(13u, u.cl.dwHeaderLen);
		EXPECT_EQ(16u, u.cl.dwFixedTrailerLen);
		EXPECT_EQ(0u, u.cl.dwMaxVariableTrailerLen);
		EXPECT_EQ(0u, u.cl.dwFlags);
		/* A larger buffer: 20 bytes are written, no more. */
		memset(&u, 0xa5, sizeof(u));
		EXPECT_ST(ERROR_SUCCESS,
			  SslLookupCipherLengths(env->prov, TLS1_2_PROTOCOL_VERSION,
						 suites[i], 0, &u.cl,
						 sizeof(u.raw), 0));
		EXPECT_EQ(20u, u.cl.cbLength);
		EXPECT_EQ(0, memcmp(u.raw + 20, sentinel, sizeof(u.raw) - 20));

		/* 19 bytes: refused, and nothing written. */
		memset(&u, 0xa5, sizeof(u));
		EXPECT_ST(NTE_INVALID_PARAMETER,
			  SslLookupCipherLengths(env->prov, TLS1_2_PROTOCOL_VERSION,
						 suites[i], 0, &u.cl, 19, 0));
		EXPECT_EQ(0, memcmp(u.raw, sentinel, sizeof(u.raw)));
		EXPECT_ST(NTE_INVALID_PARAMETER,
			  SslLookupCipherLengths(env->prov, TLS1_2_PROTOCOL_VERSION,
						 suites[i], 0, &u.cl, 0, 0));
		EXPECT_ST(NTE_INVALID_PARAMETER,
			  SslLookupCipherLengths(env->prov, TLS1_2_PROTOCOL_VERSION,
						 suites[i], 0, NULL,
						 sizeof(u.cl), 0));
		EXPECT_ST(NTE_BAD_FLAGS,
			  SslLookupCipherLengths(env->prov, TLS1_2_PROTOCOL_VERSION,
						 suites[i], 0, &u.cl,
						 sizeof(u.cl), 1));
		EXPECT_ST(NTE_NOT_SUPPORTED,
			  SslLookupCipherLengths(env->prov, TLS1_1_PROTOCOL_VERSION,
						 suites[i], 0, &u.cl,
						 sizeof(u.cl), 0));
		EXPECT_ST(NTE_INVALID_HANDLE,
			  SslLookupCipherLengths(0, TLS1_2_PROTOCOL_VERSION,
						 suites[i], 0, &u.cl,
						 sizeof(u.cl), 0));
		EXPECT_ST(NTE_INVALID_HANDLE,
			  SslLookupCipherLengths(env->stale_prov,
						 TLS1_2_PROTOCOL_VERSION,
						 suites[i], 0, &u.cl,
						 sizeof(u.cl), 0));
	}
	EXPECT_ST(NTE_NOT_SUPPORTED,
		  SslLookupCipherLengths(env->prov, TLS1_2_PROTOCOL_VERSION,
					 0x1234, 0, &u.cl, sizeof(u.cl), 0));
	EXPECT_ST(NTE_NOT_SUPPORTED,
		  SslLookupCipherLengths(env->prov, TLS1_2_PROTOCOL_VERSION,
					 0, 0, &u.cl, sizeof(u.cl), 0));
}

/* --- 3. SslImportMasterKey ------------------------------------------------------ */

FIXTURE(master) {
	struct lt_env env;
	NCRYPT_KEY_HANDLE key;
	struct tk_hs hs;
};

FIXTURE_VARIANT(master) {
	uint32_t protocol;
	uint32_t suite;
	unsigned int session_hash_len;
};

FIXTURE_VARIANT_ADD(master, tls12_aes128_gcm_sha256) {
	.protocol = TLS1_2_PROTOCOL_VERSION,
	.suite = TLS_RSA_WITH_AES_128_GCM_SHA256,
	.session_hash_len = 32,
};

FIXTURE_VARIANT_ADD(master, tls12_aes256_gcm_sha384) {
	.protocol = TLS1_2_PROTOCOL_VERSION,
	.suite = TLS_RSA_WITH_AES_256_GCM_SHA384,
	.session_hash_len = 48,
};

FIXTURE_VARIANT_ADD(master, tls10_aes128_cbc_sha) {
	.protocol = TLS1_0_PROTOCOL_VERSION,
	.suite = TLS_RSA_WITH_AES_128_CBC_SHA,
	.session_hash_len = 36,
};

FIXTURE_SETUP(master)
{
	struct lt_env *env = &self->env;
	struct lt_blob p8;
	SECURITY_STATUS st;

	lt_env_setup(_metadata, env);
	ASSERT_EQ(0, lt_pkcs8(env->rsa.pkey, &p8));
	st = KEEP(env, self->key,
		  SslImportKey(env->prov, &self->key,
			       SSLPROV_PKCS8_PRIVATEKEY_BLOB, p8.p,
			       (DWORD)p8.len, 0));
	lt_blob_free(&p8);
	ASSERT_ST(ERROR_SUCCESS, st);
	ASSERT_EQ(0, tk_hs_new(&self->hs, &env->rsa, variant->protocol,
			       variant->suite, variant->protocol))
		TH_LOG("oracle: %s", tk_ossl_err());
}

FIXTURE_TEARDOWN(master)
{
	lt_env_teardown(_metadata, &self->env);
}

/* The plain case: randoms only; and with HIGHEST_VERSION = dwProtocol. */
TEST_F_TIMEOUT(master, oracle, SP_TIMEOUT)
{
	struct lt_env *env = &self->env;
	DWORD ver = variant->protocol;
	NCRYPT_KEY_HANDLE m;
	struct lt_list l;
	SECURITY_STATUS st;

	st = lt_import_master(_metadata, env, self->key, &self->hs,
			      lt_randoms(&l, self->hs.cr, self->hs.sr), &m);
	ASSERT_ST(ERROR_SUCCESS, st);
	lt_check_master(env, m, variant->protocol, variant->suite,
			self->hs.ms, "randoms");
	/* The server random first, then the client one: order is free. */
	lt_list_init(&l);
	lt_list_add(&l, NCRYPTBUFFER_SSL_SERVER_RANDOM, self->hs.sr,
		    SSLPROV_RANDOM_LEN);
	lt_list_add(&l, NCRYPTBUFFER_SSL_HIGHEST_VERSION, &ver, sizeof(ver));
	lt_list_add(&l, NCRYPTBUFFER_SSL_CLIENT_RANDOM, self->hs.cr,
		    SSLPROV_RANDOM_LEN);
	st = lt_import_master(_metadata, env, self->key, &self->hs, &l.d, &m);
	ASSERT_ST(ERROR_SUCCESS, st);
	lt_check_master(env, m, variant->protocol, variant->suite,
			self->hs.ms, "server random first, HIGHEST_VERSION");
}

/* Handles, flags, protocols, suites. */
TEST_F_TIMEOUT(master, errors, SP_TIMEOUT)
{
	struct lt_env *env = &self->env;
	const struct tk_hs *hs = &self->hs;
	NCRYPT_KEY_HANDLE m, good, hash, stale, rk, wk;
	struct lt_blob p8;
	struct lt_list l;
	NCryptBufferDesc *list = lt_randoms(&l, hs->cr, hs->sr);
	SECURITY_STATUS st;

#define IMPORT_M(prov, key, proto, suite, fl)				\
	KEEP(env, m, SslImportMasterKey((prov), (key), &m, (proto), (suite), \
					list, (PBYTE)hs->enc,		\
					(DWORD)hs->enc_len, (fl)))

	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslImportMasterKey(env->prov, self->key, NULL, hs->protocol,
				     hs->suite, list, (PBYTE)hs->enc,
				     (DWORD)hs->enc_len, NCRYPT_SSL_SERVER_FLAG));

	/* Provider handles. */
	EXPECT_ST(NTE_INVALID_HANDLE, IMPORT_M(0, self->key, hs->protocol,
					       hs->suite, NCRYPT_SSL_SERVER_FLAG));
	EXPECT_ST(NTE_INVALID_HANDLE, IMPORT_M(LT_GARBAGE_PROV, self->key,
					       hs->protocol, hs->suite,
					       NCRYPT_SSL_SERVER_FLAG));
	EXPECT_ST(NTE_INVALID_HANDLE, IMPORT_M(env->stale_prov, self->key,
					       hs->protocol, hs->suite,
					       NCRYPT_SSL_SERVER_FLAG));
	EXPECT_ST(NTE_INVALID_HANDLE, IMPORT_M(self->key, self->key,
					       hs->protocol, hs->suite,
					       NCRYPT_SSL_SERVER_FLAG));

	/* Key handles: 0, garbage, a provider, a freed key, a hash. */
	EXPECT_ST(NTE_INVALID_HANDLE, IMPORT_M(env->prov, 0, hs->protocol,
					       hs->suite, NCRYPT_SSL_SERVER_FLAG));
	EXPECT_ST(NTE_INVALID_HANDLE, IMPORT_M(env->prov, LT_GARBAGE_HANDLE,
					       hs->protocol, hs->suite,
					       NCRYPT_SSL_SERVER_FLAG));
	EXPECT_ST(NTE_INVALID_HANDLE, IMPORT_M(env->prov, env->prov,
					       hs->protocol, hs->suite,
					       NCRYPT_SSL_SERVER_FLAG));
	ASSERT_EQ(0, lt_pkcs8(env->rsa.pkey, &p8));
	st = KEEP(env, stale, SslImportKey(env->prov, &stale,
					   SSLPROV_PKCS8_PRIVATEKEY_BLOB, p8.p,
					   (DWORD)p8.len, 0));
	lt_blob_free(&p8);
	ASSERT_ST(ERROR_SUCCESS, st);
	lt_free(_metadata, env, stale);
	EXPECT_ST(NTE_INVALID_HANDLE, IMPORT_M(env->prov, stale, hs->protocol,
					       hs->suite, NCRYPT_SSL_SERVER_FLAG));
	st = KEEP(env, hash, SslCreateHandshakeHash(env->prov, &hash,
						     hs->protocol, hs->suite, 0));
	ASSERT_ST(ERROR_SUCCESS, st);
	EXPECT_ST(NTE_INVALID_HANDLE, IMPORT_M(env->prov, hash, hs->protocol,
					       hs->suite, NCRYPT_SSL_SERVER_FLAG));

	/* A key of another kind: a master, a record key. */
	st = IMPORT_M(env->prov, self->key, hs->protocol, hs->suite,
		      NCRYPT_SSL_SERVER_FLAG);
	ASSERT_ST(ERROR_SUCCESS, st);
	good = m;
	EXPECT_ST(NTE_BAD_KEY_STATE, IMPORT_M(env->prov, good, hs->protocol,
					      hs->suite, NCRYPT_SSL_SERVER_FLAG));
	if (hs->suite == TLS_RSA_WITH_AES_128_GCM_SHA256 ||
	    hs->suite == TLS_RSA_WITH_AES_256_GCM_SHA384) {
		st = KEEP2(env, rk, wk,
			   SslGenerateSessionKeys(env->prov, good, &rk, &wk,
						  list, 0));
		ASSERT_ST(ERROR_SUCCESS, st);
		EXPECT_ST(NTE_BAD_KEY_STATE,
			  IMPORT_M(env->prov, wk, hs->protocol, hs->suite,
				   NCRYPT_SSL_SERVER_FLAG));
		EXPECT_ST(NTE_BAD_KEY_STATE,
			  IMPORT_M(env->prov, rk, hs->protocol, hs->suite,
				   NCRYPT_SSL_SERVER_FLAG));
	}

	/* Flags: the server flag and nothing else. */
	EXPECT_ST(NTE_BAD_FLAGS, IMPORT_M(env->prov, self->key, hs->protocol,
					  hs->suite, 0));
	EXPECT_ST(NTE_BAD_FLAGS, IMPORT_M(env->prov, self->key, hs->protocol,
					  hs->suite, NCRYPT_SSL_CLIENT_FLAG));
	EXPECT_ST(NTE_BAD_FLAGS, IMPORT_M(env->prov, self->key, hs->protocol,
					  hs->suite, NCRYPT_SSL_CLIENT_FLAG |
						     NCRYPT_SSL_SERVER_FLAG));
	EXPECT_ST(NTE_BAD_FLAGS, IMPORT_M(env->prov, self->key, hs->protocol,
					  hs->suite,
					  NCRYPT_SSL_SERVER_FLAG | 0x100));

	/* Protocols: SSL 2.0 and 3.0 are refused, TLS 1.3 has no RSA exchange. */
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_M(env->prov, self->key,
					      SSL3_PROTOCOL_VERSION, hs->suite,
					      NCRYPT_SSL_SERVER_FLAG));
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_M(env->prov, self->key,
					      SSL2_PROTOCOL_VERSION, hs->suite,
					      NCRYPT_SSL_SERVER_FLAG));
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_M(env->prov, self->key,
					      TLS1_3_PROTOCOL_VERSION,
					      hs->suite, NCRYPT_SSL_SERVER_FLAG));
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_M(env->prov, self->key,
					      TLS1_3_PROTOCOL_VERSION,
					      TLS_AES_128_GCM_SHA256,
					      NCRYPT_SSL_SERVER_FLAG));
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_M(env->prov, self->key, 0,
					      hs->suite, NCRYPT_SSL_SERVER_FLAG));
	/* Suites: unknown, not an RSA key exchange, too new for the protocol. */
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_M(env->prov, self->key,
					      hs->protocol, 0x1234,
					      NCRYPT_SSL_SERVER_FLAG));
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_M(env->prov, self->key,
					      hs->protocol, 0,
					      NCRYPT_SSL_SERVER_FLAG));
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_M(env->prov, self->key,
					      hs->protocol,
					      TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
					      NCRYPT_SSL_SERVER_FLAG));
	EXPECT_ST(NTE_NOT_SUPPORTED, IMPORT_M(env->prov, self->key,
					      TLS1_1_PROTOCOL_VERSION,
					      TLS_RSA_WITH_AES_128_GCM_SHA256,
					      NCRYPT_SSL_SERVER_FLAG));

	/* Ciphertext pointer and length. */
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  KEEP(env, m, SslImportMasterKey(env->prov, self->key, &m,
						  hs->protocol, hs->suite, list,
						  NULL, (DWORD)hs->enc_len,
						  NCRYPT_SSL_SERVER_FLAG)));
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  KEEP(env, m, SslImportMasterKey(env->prov, self->key, &m,
						  hs->protocol, hs->suite, list,
						  (PBYTE)hs->enc, 0,
						  NCRYPT_SSL_SERVER_FLAG)));

	/* None of that spoilt the key. */
	lt_check_master(env, good, hs->protocol, hs->suite, hs->ms,
			"the master made between the errors");
	st = IMPORT_M(env->prov, self->key, hs->protocol, hs->suite,
		      NCRYPT_SSL_SERVER_FLAG);
	EXPECT_ST(ERROR_SUCCESS, st);
	if (!st)
		lt_check_master(env, m, hs->protocol, hs->suite, hs->ms,
				"after the errors");
#undef IMPORT_M
}

/* Malformed parameter lists (contract 4.1, 5.5). */
TEST_F_TIMEOUT(master, param_lists, SP_TIMEOUT_LONG)
{
	struct lt_env *env = &self->env;
	const struct tk_hs *hs = &self->hs;
	uint8_t other_cr[SSLPROV_RANDOM_LEN], other_sr[SSLPROV_RANDOM_LEN];
	uint8_t r33[33], data[7] = "payload", ver2[2] = { 3, 3 };
	DWORD ver0 = 0, verbig = 0x10000;
	NCryptBuffer *many;
	NCRYPT_KEY_HANDLE m;
	struct lt_list l;
	SECURITY_STATUS st;

#define IMPORT_L(desc)							\
	KEEP(env, m, SslImportMasterKey(env->prov, self->key, &m,	\
					hs->protocol, hs->suite, (desc), \
					(PBYTE)hs->enc,			\
					(DWORD)hs->enc_len,		\
					NCRYPT_SSL_SERVER_FLAG))

	ASSERT_EQ(0, tk_random(other_cr, sizeof(other_cr)));
	ASSERT_EQ(0, tk_random(other_sr, sizeof(other_sr)));
	ASSERT_EQ(0, tk_random(r33, sizeof(r33)));

	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(NULL));
	lt_list_init(&l);
	l.d.pBuffers = NULL;
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));	/* empty */
	/* A random missing. */
	lt_list_init(&l);
	lt_list_add(&l, NCRYPTBUFFER_SSL_CLIENT_RANDOM, hs->cr, 32);
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));
	lt_list_init(&l);
	lt_list_add(&l, NCRYPTBUFFER_SSL_SERVER_RANDOM, hs->sr, 32);
	lt_list_add(&l, NCRYPTBUFFER_SSL_HIGHEST_VERSION, ver2, 2);
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));
	/* Randoms of 31 and 33 bytes, and of 0 bytes. */
	lt_randoms(&l, hs->cr, hs->sr);
	l.b[0].cbBuffer = 31;
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));
	lt_randoms(&l, hs->cr, r33);
	l.b[1].cbBuffer = 33;
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));
	lt_randoms(&l, hs->cr, hs->sr);
	l.b[1].cbBuffer = 0;
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));
	/* The descriptor itself. */
	lt_randoms(&l, hs->cr, hs->sr);
	l.d.ulVersion = 1;
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));
	lt_randoms(&l, hs->cr, hs->sr);
	l.d.pBuffers = NULL;
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));
	lt_randoms(&l, hs->cr, hs->sr);
	lt_list_add(&l, NCRYPTBUFFER_DATA, NULL, 5);	/* cb > 0, no buffer */
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));
	lt_randoms(&l, hs->cr, hs->sr);
	l.b[0].pvBuffer = NULL;
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));
	/*
	 * 1000 buffers, all there and well-formed (the first two the
	 * randoms, the rest empty): refused for the count alone.
	 */
	many = calloc(1000, sizeof(*many));
	ASSERT_NE(NULL, many);
	many[0] = (NCryptBuffer){ 32, NCRYPTBUFFER_SSL_CLIENT_RANDOM,
				  (void *)hs->cr };
	many[1] = (NCryptBuffer){ 32, NCRYPTBUFFER_SSL_SERVER_RANDOM,
				  (void *)hs->sr };
	lt_list_init(&l);
	l.d.cBuffers = 1000;
	l.d.pBuffers = many;
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));
	free(many);
	/* HIGHEST_VERSION: 3 bytes, 0, above 0xffff. */
	lt_randoms(&l, hs->cr, hs->sr);
	lt_list_add(&l, NCRYPTBUFFER_SSL_HIGHEST_VERSION, r33, 3);
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));
	lt_randoms(&l, hs->cr, hs->sr);
	lt_list_add(&l, NCRYPTBUFFER_SSL_HIGHEST_VERSION, &ver0, 4);
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));
	lt_randoms(&l, hs->cr, hs->sr);
	lt_list_add(&l, NCRYPTBUFFER_SSL_HIGHEST_VERSION, &verbig, 4);
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));
	/* SESSION_HASH: a length no hash has, and one of another hash. */
	lt_randoms(&l, hs->cr, hs->sr);
	lt_list_add(&l, NCRYPTBUFFER_SSL_SESSION_HASH, r33, 31);
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));
	lt_randoms(&l, hs->cr, hs->sr);
	lt_list_add(&l, NCRYPTBUFFER_SSL_SESSION_HASH, r33,
		    variant->session_hash_len == 32 ? 48 : 32);
	EXPECT_ST(NTE_INVALID_PARAMETER, IMPORT_L(&l.d));

	/* Unknown and unused buffer types are ignored. */
	lt_list_init(&l);
	lt_list_add(&l, 999, data, sizeof(data));
	lt_list_add(&l, NCRYPTBUFFER_EMPTY, NULL, 0);
	lt_list_add(&l, NCRYPTBUFFER_DATA, data, sizeof(data));
	lt_list_add(&l, NCRYPTBUFFER_SSL_CLIENT_RANDOM, hs->cr, 32);
	lt_list_add(&l, NCRYPTBUFFER_PKCS_OID, data, 3);
	lt_list_add(&l, NCRYPTBUFFER_SSL_SERVER_RANDOM, hs->sr, 32);
	lt_list_add(&l, 0xffffffff, NULL, 0);
	st = IMPORT_L(&l.d);
	EXPECT_ST(ERROR_SUCCESS, st);
	if (!st)
		lt_check_master(env, m, hs->protocol, hs->suite, hs->ms,
				"unknown buffer types");

	/* A type given twice: the first one counts (contract 4.1). */
	lt_randoms(&l, hs->cr, hs->sr);
	lt_list_add(&l, NCRYPTBUFFER_SSL_CLIENT_RANDOM, other_cr, 32);
	lt_list_add(&l, NCRYPTBUFFER_SSL_SERVER_RANDOM, other_sr, 32);
	st = IMPORT_L(&l.d);
	EXPECT_ST(ERROR_SUCCESS, st);
	if (!st)
		lt_check_master(env, m, hs->protocol, hs->suite, hs->ms,
				"duplicate randoms, the right ones first");
	lt_randoms(&l, other_cr, other_sr);
	lt_list_add(&l, NCRYPTBUFFER_SSL_CLIENT_RANDOM, hs->cr, 32);
	lt_list_add(&l, NCRYPTBUFFER_SSL_SERVER_RANDOM, hs->sr, 32);
	st = IMPORT_L(&l.d);
	EXPECT_ST(ERROR_SUCCESS, st);
	if (!st) {
		uint8_t ms[TK_MASTER_LEN];

		ASSERT_EQ(0, tk_master(hs->protocol, hs->suite, hs->pm,
				       other_cr, other_sr, NULL, 0, ms));
		lt_check_master(env, m, hs->protocol, hs->suite, ms,
				"duplicate randoms, other ones first");
	}
#undef IMPORT_L
}

/*
 * NCRYPTBUFFER_SSL_HIGHEST_VERSION as a DWORD and as two wire bytes: the
 * premaster's version bytes are ClientHello.client_version, whatever the
 * ciphertext holds there (RFC 5246 7.4.7.1, contract 6.6).
 */
TEST_F_TIMEOUT(master, highest_version, SP_TIMEOUT_LONG)
{
	struct lt_env *env = &self->env;
	/* Two versions other than dwProtocol, and what the ciphertext says. */
	const uint16_t vers[2] = {
		variant->protocol == TLS1_2_PROTOCOL_VERSION ? 0x0302 : 0x0303,
		variant->protocol == TLS1_2_PROTOCOL_VERSION ? 0x0301 : 0x0302,
	};
	uint8_t pm[TK_PREMASTER_LEN], ms[TK_MASTER_LEN], wire[2];
	char what[128];
	NCRYPT_KEY_HANDLE m;
	struct tk_hs hs;
	struct lt_list l;
	SECURITY_STATUS st;
	DWORD dw;
	int form, c;

	for (form = 0; form < 2; form++) {
		for (c = 0; c < 2; c++) {
			/*
			 * c == 0: the ciphertext carries that version too;
			 * c == 1: it carries 0x0000, replaced all the same.
			 */
			uint16_t ct_ver = c ? 0x0000 : vers[form];

			snprintf(what, sizeof(what),
				 "HIGHEST_VERSION %#06x as %s, %#06x in the premaster",
				 vers[form], form ? "2 wire bytes" : "a DWORD",
				 ct_ver);
			hs = self->hs;
			ASSERT_EQ(0, tk_premaster(pm, ct_ver));
			hs.enc_len = sizeof(hs.enc);
			ASSERT_EQ(0, tk_rsa_encrypt(env->rsa.pkey,
						    RSA_PKCS1_PADDING, pm,
						    sizeof(pm), hs.enc,
						    &hs.enc_len));
			/* The oracle: client_version || pm[2..47]. */
			pm[0] = vers[form] >> 8;
			pm[1] = vers[form] & 0xff;
			ASSERT_EQ(0, tk_master(hs.protocol, hs.suite, pm,
					       hs.cr, hs.sr, NULL, 0, ms));
			lt_randoms(&l, hs.cr, hs.sr);
			if (form) {
				wire[0] = vers[form] >> 8;
				wire[1] = vers[form] & 0xff;
				lt_list_add(&l, NCRYPTBUFFER_SSL_HIGHEST_VERSION,
					    wire, 2);
			} else {
				dw = vers[form];
				lt_list_add(&l, NCRYPTBUFFER_SSL_HIGHEST_VERSION,
					    &dw, sizeof(dw));
			}
			st = lt_import_master(_metadata, env, self->key, &hs,
					      &l.d, &m);
			EXPECT_ST(ERROR_SUCCESS, st) TH_LOG("%s", what);
			if (!st)
				lt_check_master(env, m, hs.protocol, hs.suite,
						ms, what);
		}
	}
}

/*
 * The extended master secret (RFC 7627): SslComputeSessionHash equals the
 * oracle's digest of the transcript, and that value as
 * NCRYPTBUFFER_SSL_SESSION_HASH selects the EMS derivation, with or
 * without the randoms.
 */
TEST_F_TIMEOUT(master, extended_master_secret, SP_TIMEOUT_LONG)
{
	struct lt_env *env = &self->env;
	const struct tk_hs *hs = &self->hs;
	uint8_t msgs[1500], sh[64], want[EVP_MAX_MD_SIZE];
	uint8_t ms[TK_MASTER_LEN];
	NCRYPT_HASH_HANDLE hash;
	NCRYPT_KEY_HANDLE m;
	unsigned int wl = 0;
	struct lt_list l;
	SECURITY_STATUS st;
	DWORD cb;

	ASSERT_EQ(0, tk_random(msgs, sizeof(msgs)));
	ASSERT_EQ(0, tk_digest(tk_prf_md(hs->protocol, hs->suite), msgs,
			       sizeof(msgs), want, &wl));
	ASSERT_EQ(variant->session_hash_len, wl);
	st = KEEP(env, hash, SslCreateHandshakeHash(env->prov, &hash,
						     hs->protocol, hs->suite, 0));
	ASSERT_ST(ERROR_SUCCESS, st);
	ASSERT_ST(ERROR_SUCCESS, SslHashHandshake(env->prov, hash, msgs, 1000, 0));
	ASSERT_ST(ERROR_SUCCESS, SslHashHandshake(env->prov, hash, msgs + 1000,
						  sizeof(msgs) - 1000, 0));

	cb = 0xdeadbeef;
	EXPECT_ST(ERROR_SUCCESS, SslComputeSessionHash(env->prov, hash,
						       hs->protocol, NULL, 0,
						       &cb, 0));
	EXPECT_EQ(wl, cb);
	cb = 0xdeadbeef;
	memset(sh, 0xa5, sizeof(sh));
	EXPECT_ST(NTE_BUFFER_TOO_SMALL,
		  SslComputeSessionHash(env->prov, hash, hs->protocol, sh,
					wl - 1, &cb, 0));
	EXPECT_EQ(wl, cb);
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslComputeSessionHash(env->prov, hash, hs->protocol, sh,
					sizeof(sh), NULL, 0));
	EXPECT_ST(NTE_BAD_FLAGS,
		  SslComputeSessionHash(env->prov, hash, hs->protocol, sh,
					sizeof(sh), &cb, 1));
	EXPECT_ST(NTE_INVALID_HANDLE,
		  SslComputeSessionHash(env->prov, self->key, hs->protocol, sh,
					sizeof(sh), &cb, 0));
	cb = 0;
	memset(sh, 0, sizeof(sh));
	ASSERT_ST(ERROR_SUCCESS, SslComputeSessionHash(env->prov, hash,
						       hs->protocol, sh,
						       sizeof(sh), &cb, 0));
	ASSERT_EQ(wl, cb);
	TK_EXPECT_MEM(want, sh, wl, "SslComputeSessionHash vs the oracle's digest");
	/* Reading it does not end the hash: the same value again. */
	memset(sh, 0, sizeof(sh));
	EXPECT_ST(ERROR_SUCCESS, SslComputeSessionHash(env->prov, hash,
						       hs->protocol, sh,
						       sizeof(sh), &cb, 0));
	TK_EXPECT_MEM(want, sh, wl, "SslComputeSessionHash, second read");

	ASSERT_EQ(0, tk_master(hs->protocol, hs->suite, hs->pm, hs->cr, hs->sr,
			       sh, cb, ms));
	/* The session hash alone. */
	lt_list_init(&l);
	lt_list_add(&l, NCRYPTBUFFER_SSL_SESSION_HASH, sh, cb);
	st = lt_import_master(_metadata, env, self->key, hs, &l.d, &m);
	EXPECT_ST(ERROR_SUCCESS, st);
	if (!st)
		lt_check_master(env, m, hs->protocol, hs->suite, ms,
				"EMS, session hash only");
	/* With the randoms too, before and after it: still EMS. */
	lt_randoms(&l, hs->cr, hs->sr);
	lt_list_add(&l, NCRYPTBUFFER_SSL_SESSION_HASH, sh, cb);
	st = lt_import_master(_metadata, env, self->key, hs, &l.d, &m);
	EXPECT_ST(ERROR_SUCCESS, st);
	if (!st)
		lt_check_master(env, m, hs->protocol, hs->suite, ms,
				"EMS, randoms then session hash");
	lt_list_init(&l);
	lt_list_add(&l, NCRYPTBUFFER_SSL_SESSION_HASH, sh, cb);
	lt_list_add(&l, NCRYPTBUFFER_SSL_CLIENT_RANDOM, hs->cr, 32);
	lt_list_add(&l, NCRYPTBUFFER_SSL_SERVER_RANDOM, hs->sr, 32);
	st = lt_import_master(_metadata, env, self->key, hs, &l.d, &m);
	EXPECT_ST(ERROR_SUCCESS, st);
	if (!st)
		lt_check_master(env, m, hs->protocol, hs->suite, ms,
				"EMS, session hash then randoms");
}


/*
 * The library holds handshake messages in the process until the hash is
 * read (lib/transcript.c).  Whatever the sizes and the interleaving, the
 * kernel must hash exactly the bytes given, in order, once: two hashes fed
 * alternately in pieces from 1 byte to over the 16 KiB buffer, read in the
 * middle and at the end, and a hash read by a child forked while bytes
 * were waiting (the child shares the kernel object: a resent copy would
 * show in the parent's digest), all against OpenSSL's digests and
 * verify_data over the same bytes.
 */
TEST_F_TIMEOUT(master, transcript_buffering, SP_TIMEOUT_LONG)
{
	static const DWORD cuts[] = { 1, 200, 4000, 13000, 16384, 20000, 5,
				      16383, 2, 700 };
	struct lt_env *env = &self->env;
	const struct tk_hs *hs = &self->hs;
	const char *md = tk_prf_md(hs->protocol, hs->suite);
	uint8_t want[EVP_MAX_MD_SIZE], got[64], vd[TK_VERIFY_LEN];
	uint8_t ref[TK_VERIFY_LEN];
	size_t off_a = 0, off_b = 0, total = 0, mid;
	NCRYPT_HASH_HANDLE a, b, c;
	NCRYPT_KEY_HANDLE m;
	unsigned int wl, i;
	struct lt_list l;
	SECURITY_STATUS st;
	uint8_t *msgs;
	int status;
	DWORD cb;
	pid_t pid;

	for (i = 0; i < ARRAY_SIZE(cuts); i++)
		total += cuts[i];
	msgs = malloc(total);
	ASSERT_NE(NULL, msgs);
	ASSERT_EQ(0, tk_random(msgs, total));
	st = lt_import_master(_metadata, env, self->key, &self->hs,
			      lt_randoms(&l, self->hs.cr, self->hs.sr), &m);
	ASSERT_ST(ERROR_SUCCESS, st);
	ASSERT_ST(ERROR_SUCCESS, KEEP(env, a, SslCreateHandshakeHash(env->prov, &a,
			hs->protocol, hs->suite, 0)));
	ASSERT_ST(ERROR_SUCCESS, KEEP(env, b, SslCreateHandshakeHash(env->prov, &b,
			hs->protocol, hs->suite, 0)));

	/* A in the pieces of cuts[], B in the same bytes cut in reverse. */
	mid = 0;
	for (i = 0; i < ARRAY_SIZE(cuts); i++) {
		DWORD nb = cuts[ARRAY_SIZE(cuts) - 1 - i];

		ASSERT_ST(ERROR_SUCCESS, SslHashHandshake(env->prov, a,
				msgs + off_a, cuts[i], 0));
		off_a += cuts[i];
		ASSERT_ST(ERROR_SUCCESS, SslHashHandshake(env->prov, b,
				msgs + off_b, nb, 0));
		off_b += nb;
		if (i != 3)
			continue;
		/* Read A halfway: the digest of what it was given so far. */
		mid = off_a;
		ASSERT_EQ(0, tk_digest(md, msgs, mid, want, &wl));
		cb = 0;
		EXPECT_ST(ERROR_SUCCESS, SslComputeSessionHash(env->prov, a,
				hs->protocol, got, sizeof(got), &cb, 0));
		ASSERT_EQ(wl, cb);
		EXPECT_EQ(0, memcmp(want, got, wl)) TH_LOG("A after %zu bytes", mid);
	}
	ASSERT_EQ(total, off_a);
	ASSERT_EQ(total, off_b);
	for (i = 0; i < 2; i++) {
		DWORD sender = i ? NCRYPT_SSL_SERVER_FLAG : NCRYPT_SSL_CLIENT_FLAG;

		ASSERT_EQ(0, tk_verify_data(hs->protocol, hs->suite, hs->ms,
					    i ? SSLPROV_SERVER : SSLPROV_CLIENT,
					    msgs, total, ref));
		EXPECT_ST(ERROR_SUCCESS, SslComputeFinishedHash(env->prov, m, a,
				vd, sizeof(vd), sender));
		EXPECT_EQ(0, memcmp(ref, vd, sizeof(vd))) TH_LOG("A, sender %u", i);
	}
	ASSERT_EQ(0, tk_digest(md, msgs, total, want, &wl));
	EXPECT_ST(ERROR_SUCCESS, SslComputeSessionHash(env->prov, b,
			hs->protocol, got, sizeof(got), &cb, 0));
	EXPECT_EQ(0, memcmp(want, got, wl)) TH_LOG("B, %zu bytes", total);

	/* Bytes waiting at fork(): sent once, before the copy. */
	ASSERT_ST(ERROR_SUCCESS, KEEP(env, c, SslCreateHandshakeHash(env->prov, &c,
			hs->protocol, hs->suite, 0)));
	ASSERT_ST(ERROR_SUCCESS, SslHashHandshake(env->prov, c, msgs, 300, 0));
	ASSERT_EQ(0, tk_digest(md, msgs, 300, want, &wl));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		cb = 0;
		st = SslComputeSessionHash(env->prov, c, hs->protocol, got,
					   sizeof(got), &cb, 0);
		_exit(st == ERROR_SUCCESS && cb == wl && !memcmp(want, got, wl) ?
		      0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("the child's digest of the 300 bytes hashed before fork()");
	ASSERT_ST(ERROR_SUCCESS, SslHashHandshake(env->prov, c, msgs + 300, 1000, 0));
	ASSERT_EQ(0, tk_digest(md, msgs, 1300, want, &wl));
	EXPECT_ST(ERROR_SUCCESS, SslComputeSessionHash(env->prov, c,
			hs->protocol, got, sizeof(got), &cb, 0));
	EXPECT_EQ(0, memcmp(want, got, wl)) TH_LOG("the parent's digest after fork()");
	free(msgs);
}

/*
 * Ciphertexts that are not a well-formed premaster succeed with a fresh
 * random premaster (RFC 5246 7.4.7.1, contract 5.5, 6.6): so two imports
 * of the same one give two different master secrets, neither of them the
 * one the good ciphertext gives.
 */
TEST_F_TIMEOUT(master, bad_ciphertexts, SP_TIMEOUT_LONG)
{
	struct lt_env *env = &self->env;
	const struct tk_hs *hs = &self->hs;
	const size_t k = env->rsa.mod_len;
	uint8_t ct[600], m47[TK_PREMASTER_LEN], msgs[200];
	uint8_t good[2][TK_VERIFY_LEN], a[2][TK_VERIFY_LEN], b[2][TK_VERIFY_LEN];
	NCRYPT_KEY_HANDLE m1, m2, mg;
	struct tk_hs bad;
	struct lt_list l;
	SECURITY_STATUS st1, st2;
	size_t len;
	unsigned int i;
	const struct {
		const char *what;
		size_t len;
		int fill;	/* -1 random, else the byte */
	} cases[] = {
		{ "random bytes of the modulus length", k, -1 },
		{ "one byte short", k - 1, -1 },
		{ "one byte long", k + 1, -1 },
		{ "a single byte", 1, 0x42 },
		{ "all zeros", k, 0x00 },
		{ "all 0xff (not below n)", k, 0xff },
		{ "a 47-byte premaster, well padded", k, -2 },
	};

	ASSERT_EQ(0, tk_random(msgs, sizeof(msgs)));
	ASSERT_ST(ERROR_SUCCESS,
		  lt_import_master(_metadata, env, self->key, hs,
				   lt_randoms(&l, hs->cr, hs->sr), &mg));
	ASSERT_TRUE(lt_finished(_metadata, env, mg, hs->protocol, hs->suite,
				msgs, sizeof(msgs), good));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		bad = *hs;
		if (cases[i].fill == -2) {
			/* A version-prefixed premaster one byte short. */
			ASSERT_EQ(0, tk_premaster(m47, (uint16_t)hs->protocol));
			len = sizeof(bad.enc);
			ASSERT_EQ(0, tk_rsa_encrypt(env->rsa.pkey,
						    RSA_PKCS1_PADDING, m47,
						    TK_PREMASTER_LEN - 1, bad.enc,
						    &len));
		} else if (cases[i].fill == -1) {
			len = cases[i].len;
			ASSERT_EQ(0, tk_random(ct, len));
			ct[0] &= 0x7f;	/* below n, mostly */
			memcpy(bad.enc, ct, len);
		} else {
			len = cases[i].len;
			memset(bad.enc, cases[i].fill, len);
		}
		bad.enc_len = len;
		st1 = lt_import_master(_metadata, env, self->key, &bad,
				       lt_randoms(&l, hs->cr, hs->sr), &m1);
		EXPECT_ST(ERROR_SUCCESS, st1) TH_LOG("%s", cases[i].what);
		st2 = lt_import_master(_metadata, env, self->key, &bad,
				       lt_randoms(&l, hs->cr, hs->sr), &m2);
		EXPECT_ST(ERROR_SUCCESS, st2) TH_LOG("%s", cases[i].what);
		if (st1 || st2)
			continue;
		if (!lt_finished(_metadata, env, m1, hs->protocol, hs->suite,
				 msgs, sizeof(msgs), a) ||
		    !lt_finished(_metadata, env, m2, hs->protocol, hs->suite,
				 msgs, sizeof(msgs), b))
			continue;
		EXPECT_NE(0, memcmp(a, b, sizeof(a)))
			TH_LOG("%s: two imports gave the same master secret",
			       cases[i].what);
		EXPECT_NE(0, memcmp(a, good, sizeof(a)))
			TH_LOG("%s: gave the good ciphertext's master secret",
			       cases[i].what);
		lt_free(_metadata, env, m1);
		lt_free(_metadata, env, m2);
	}
}

/* --- 4. SslGenerateSessionKeys, SslEncryptPacket, SslDecryptPacket ------------- */

FIXTURE(rec) {
	struct lt_env env;
	NCRYPT_KEY_HANDLE key, master, rk, wk;
	struct tk_hs hs;
	struct tk_keyblock kb;
	uint8_t pt[SSLPROV_MAX_RECORD_PLAINTEXT + 1];
	uint8_t buf[SSLPROV_MAX_RECORD_PLAINTEXT + 2 * TK_GCM_OVERHEAD + 64];
	uint8_t out[SSLPROV_MAX_RECORD_PLAINTEXT + 2 * TK_GCM_OVERHEAD + 64];
};

FIXTURE_VARIANT(rec) {
	uint32_t suite;
	unsigned int key_len;
};

FIXTURE_VARIANT_ADD(rec, aes128_gcm_sha256) {
	.suite = TLS_RSA_WITH_AES_128_GCM_SHA256,
	.key_len = 16,
};

FIXTURE_VARIANT_ADD(rec, aes256_gcm_sha384) {
	.suite = TLS_RSA_WITH_AES_256_GCM_SHA384,
	.key_len = 32,
};

FIXTURE_SETUP(rec)
{
	struct lt_env *env = &self->env;
	struct lt_blob p8;
	struct lt_list l;
	SECURITY_STATUS st;

	lt_env_setup(_metadata, env);
	ASSERT_EQ(0, tk_random(self->pt, sizeof(self->pt)));
	ASSERT_EQ(0, lt_pkcs8(env->rsa.pkey, &p8));
	st = KEEP(env, self->key,
		  SslImportKey(env->prov, &self->key,
			       SSLPROV_PKCS8_PRIVATEKEY_BLOB, p8.p,
			       (DWORD)p8.len, 0));
	lt_blob_free(&p8);
	ASSERT_ST(ERROR_SUCCESS, st);
	ASSERT_EQ(0, tk_hs_new(&self->hs, &env->rsa, SP_TLS1_2, variant->suite,
			       SP_TLS1_2))
		TH_LOG("oracle: %s", tk_ossl_err());
	ASSERT_EQ(0, tk_key_block(SP_TLS1_2, variant->suite, variant->key_len,
				  self->hs.ms, self->hs.cr, self->hs.sr,
				  &self->kb));
	ASSERT_ST(ERROR_SUCCESS,
		  lt_import_master(_metadata, env, self->key, &self->hs,
				   lt_randoms(&l, self->hs.cr, self->hs.sr),
				   &self->master));
	/* dwFlags 0: the master's side (server) decides. */
	st = KEEP2(env, self->rk, self->wk,
		   SslGenerateSessionKeys(env->prov, self->master, &self->rk,
					  &self->wk, &l.d, 0));
	ASSERT_ST(ERROR_SUCCESS, st);
}

FIXTURE_TEARDOWN(rec)
{
	lt_env_teardown(_metadata, &self->env);
}

/*
 * SslEncryptPacket of @len bytes of @pt with @wk at @seq into a buffer
 * with room to spare; the record must be exactly header || seq || ct ||
 * tag, open with the oracle under @key/@salt, and nothing past it may be
 * written.
 */
#define lt_check_encrypt(self, wk, key, salt, seq, type, len, what) \
	__lt_check_encrypt(_metadata, self, variant, wk, key, salt, seq, type, len, what)

static bool __lt_check_encrypt(struct __test_metadata *_metadata,
			       FIXTURE_DATA(rec) *self,
			       const FIXTURE_VARIANT(rec) *variant,
			       NCRYPT_KEY_HANDLE wk, const uint8_t *key,
			       const uint8_t *salt, uint64_t seq, uint8_t type,
			       size_t len, const char *what)
{
	const size_t reclen = len + TK_GCM_OVERHEAD;
	uint8_t hdr[TK_HDR + TK_GCM_EXPLICIT];
	SECURITY_STATUS st;
	DWORD cb = 0xdeadbeef;
	size_t i;
	long n;

	memset(self->buf, 0xa5, sizeof(self->buf));
	st = SslEncryptPacket(self->env.prov, wk, self->pt, (DWORD)len,
			      self->buf, (DWORD)(reclen + 40), &cb, seq, type, 0);
	EXPECT_ST(ERROR_SUCCESS, st) TH_LOG("%s", what);
	if (st)
		return false;
	EXPECT_EQ(reclen, cb) TH_LOG("%s: record length", what);
	for (i = reclen; i < reclen + 40; i++)
		if (self->buf[i] != 0xa5)
			break;
	EXPECT_EQ(reclen + 40, i) TH_LOG("%s: wrote past the record", what);
	hdr[0] = type;
	hdr[1] = 3;
	hdr[2] = 3;
	hdr[3] = (uint8_t)((reclen - TK_HDR) >> 8);
	hdr[4] = (uint8_t)(reclen - TK_HDR);
	tk_put_be64(hdr + TK_HDR, seq);
	if (!TK_EXPECT_MEM(hdr, self->buf, sizeof(hdr), what))
		TH_LOG("%s: header and explicit nonce (= sequence number)", what);
	memset(self->out, 0, len + 1);
	n = tk_record_open(key, variant->key_len, salt, seq, self->buf, reclen,
			   self->out);
	EXPECT_EQ((long)len, n) TH_LOG("%s: the oracle cannot open it: %s", what,
				       sp_errname((int)n));
	if (n != (long)len)
		return false;
	return TK_EXPECT_MEM(self->pt, self->out, len, what);
}

/* An OpenSSL-sealed record from the client at @seq, in self->buf. */
static size_t lt_client_record(FIXTURE_DATA(rec) *self,
			       const FIXTURE_VARIANT(rec) *variant,
			       uint64_t seq, uint8_t type, size_t len)
{
	if (tk_record_seal(self->kb.client_key, variant->key_len,
			   self->kb.client_salt, seq, type, self->pt, len,
			   self->buf))
		return 0;
	return len + TK_GCM_OVERHEAD;
}

/*
 * SslDecryptPacket of an OpenSSL-sealed record with @rk at @seq: the
 * plaintext, its length, and nothing written past it.
 */
#define lt_check_decrypt(self, rk, seq, type, len, what) \
	__lt_check_decrypt(_metadata, self, variant, rk, seq, type, len, what)

static bool __lt_check_decrypt(struct __test_metadata *_metadata,
			       FIXTURE_DATA(rec) *self,
			       const FIXTURE_VARIANT(rec) *variant,
			       NCRYPT_KEY_HANDLE rk, uint64_t seq,
			       uint8_t type, size_t len, const char *what)
{
	size_t reclen = lt_client_record(self, variant, seq, type, len), i;
	SECURITY_STATUS st;
	DWORD cb = 0xdeadbeef;

	EXPECT_EQ(len + TK_GCM_OVERHEAD, reclen) TH_LOG("oracle: %s",
							 tk_ossl_err());
	memset(self->out, 0x5a, sizeof(self->out));
	st = SslDecryptPacket(self->env.prov, rk, self->buf, (DWORD)reclen,
			      self->out, (DWORD)(len + 40), &cb, seq, 0);
	EXPECT_ST(ERROR_SUCCESS, st) TH_LOG("%s", what);
	if (st)
		return false;
	EXPECT_EQ(len, cb) TH_LOG("%s: plaintext length", what);
	for (i = len; i < len + 40; i++)
		if (self->out[i] != 0x5a)
			break;
	EXPECT_EQ(len + 40, i) TH_LOG("%s: wrote past the plaintext", what);
	return TK_EXPECT_MEM(self->pt, self->out, len, what);
}

/* The errors of SslGenerateSessionKeys; each call has fresh randoms. */
TEST_F_TIMEOUT(rec, session_key_errors, SP_TIMEOUT)
{
	struct lt_env *env = &self->env;
	uint8_t cr[SSLPROV_RANDOM_LEN], sr[SSLPROV_RANDOM_LEN];
	NCRYPT_KEY_HANDLE r, w, hash, stale;
	struct lt_list l, fresh;
	NCryptBufferDesc *list;
	SECURITY_STATUS st;

#define SK(prov, master, pr, pw, desc, fl) \
	KEEP2(env, r, w, SslGenerateSessionKeys((prov), (master), (pr), (pw), \
						(desc), (fl)))

	ASSERT_EQ(0, tk_random(cr, sizeof(cr)));
	ASSERT_EQ(0, tk_random(sr, sizeof(sr)));
	list = lt_randoms(&fresh, cr, sr);

	w = 0;
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslGenerateSessionKeys(env->prov, self->master, NULL, &w,
					 list, 0));
	EXPECT_EQ((NCRYPT_KEY_HANDLE)0, w);
	r = 0;
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslGenerateSessionKeys(env->prov, self->master, &r, NULL,
					 list, 0));
	EXPECT_EQ((NCRYPT_KEY_HANDLE)0, r);
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslGenerateSessionKeys(env->prov, self->master, NULL, NULL,
					 list, 0));

	/* Provider and master handles. */
	EXPECT_ST(NTE_INVALID_HANDLE, SK(0, self->master, &r, &w, list, 0));
	EXPECT_ST(NTE_INVALID_HANDLE, SK(env->stale_prov, self->master, &r, &w,
					 list, 0));
	EXPECT_ST(NTE_INVALID_HANDLE, SK(env->prov, 0, &r, &w, list, 0));
	EXPECT_ST(NTE_INVALID_HANDLE, SK(env->prov, LT_GARBAGE_HANDLE, &r, &w,
					 list, 0));
	EXPECT_ST(NTE_INVALID_HANDLE, SK(env->prov, env->prov, &r, &w, list, 0));
	st = KEEP(env, hash, SslCreateHandshakeHash(env->prov, &hash, SP_TLS1_2,
						     variant->suite, 0));
	ASSERT_ST(ERROR_SUCCESS, st);
	EXPECT_ST(NTE_INVALID_HANDLE, SK(env->prov, hash, &r, &w, list, 0));
	st = lt_import_master(_metadata, env, self->key, &self->hs, list, &stale);
	ASSERT_ST(ERROR_SUCCESS, st);
	lt_free(_metadata, env, stale);
	EXPECT_ST(NTE_INVALID_HANDLE, SK(env->prov, stale, &r, &w, list, 0));

	/* Keys of other kinds. */
	EXPECT_ST(NTE_BAD_KEY_STATE, SK(env->prov, self->key, &r, &w, list, 0));
	EXPECT_ST(NTE_BAD_KEY_STATE, SK(env->prov, self->wk, &r, &w, list, 0));
	EXPECT_ST(NTE_BAD_KEY_STATE, SK(env->prov, self->rk, &r, &w, list, 0));

	/* Flags: 0, client or server. */
	EXPECT_ST(NTE_BAD_FLAGS, SK(env->prov, self->master, &r, &w, list,
				    NCRYPT_SSL_CLIENT_FLAG | NCRYPT_SSL_SERVER_FLAG));
	EXPECT_ST(NTE_BAD_FLAGS, SK(env->prov, self->master, &r, &w, list, 4));
	EXPECT_ST(NTE_BAD_FLAGS, SK(env->prov, self->master, &r, &w, list,
				    0x80000000));

	/* The randoms: both needed, 32 bytes each, in a well-formed list. */
	EXPECT_ST(NTE_INVALID_PARAMETER, SK(env->prov, self->master, &r, &w,
					    NULL, 0));
	lt_list_init(&l);
	lt_list_add(&l, NCRYPTBUFFER_SSL_CLIENT_RANDOM, cr, 32);
	EXPECT_ST(NTE_INVALID_PARAMETER, SK(env->prov, self->master, &r, &w,
					    &l.d, 0));
	lt_list_init(&l);
	lt_list_add(&l, NCRYPTBUFFER_SSL_SERVER_RANDOM, sr, 32);
	EXPECT_ST(NTE_INVALID_PARAMETER, SK(env->prov, self->master, &r, &w,
					    &l.d, 0));
	lt_randoms(&l, cr, sr);
	l.b[0].cbBuffer = 31;
	EXPECT_ST(NTE_INVALID_PARAMETER, SK(env->prov, self->master, &r, &w,
					    &l.d, 0));
	lt_randoms(&l, cr, sr);
	l.d.ulVersion = 1;
	EXPECT_ST(NTE_INVALID_PARAMETER, SK(env->prov, self->master, &r, &w,
					    &l.d, 0));

	/*
	 * The same randoms and side twice: refused, or the same GCM key
	 * would start its sequence numbers again (uapi sslprov.h).
	 */
	lt_randoms(&l, self->hs.cr, self->hs.sr);
	EXPECT_ST(NTE_INVALID_PARAMETER, SK(env->prov, self->master, &r, &w,
					    &l.d, 0));
	EXPECT_ST(NTE_INVALID_PARAMETER, SK(env->prov, self->master, &r, &w,
					    &l.d, NCRYPT_SSL_SERVER_FLAG));
	/* The control: fresh randoms work after all that. */
	st = SK(env->prov, self->master, &r, &w, list, 0);
	EXPECT_ST(ERROR_SUCCESS, st);
	if (!st)
		EXPECT_NE(r, w);
#undef SK
}

/*
 * The side and the randoms: the server's write key seals with
 * server_write_key, the client's with client_write_key, and new randoms
 * from the list (not those of the master) make a new key block.
 */
TEST_F_TIMEOUT(rec, sides_and_randoms, SP_TIMEOUT_LONG)
{
	struct lt_env *env = &self->env;
	uint8_t cr[SSLPROV_RANDOM_LEN], sr[SSLPROV_RANDOM_LEN];
	NCRYPT_KEY_HANDLE crk, cwk, srk, swk;
	struct tk_keyblock kb2;
	struct lt_list l;
	SECURITY_STATUS st;
	DWORD cb;

	/* Server, from the fixture. */
	lt_check_encrypt(self, self->wk, self->kb.server_key,
			 self->kb.server_salt, 0, CT_HANDSHAKE, 16,
			 "server write key");
	lt_check_decrypt(self, self->rk, 0, CT_HANDSHAKE, 16, "server read key");

	/*
	 * The client side of the same randoms: the mirror image.  Its records
	 * open with the server's read key and the other way round.
	 */
	st = KEEP2(env, crk, cwk,
		   SslGenerateSessionKeys(env->prov, self->master, &crk, &cwk,
					  lt_randoms(&l, self->hs.cr, self->hs.sr),
					  NCRYPT_SSL_CLIENT_FLAG));
	ASSERT_ST(ERROR_SUCCESS, st);
	EXPECT_NE(crk, self->rk);
	EXPECT_NE(cwk, self->wk);
	if (lt_check_encrypt(self, cwk, self->kb.client_key,
			     self->kb.client_salt, 1, CT_APPLICATIONDATA, 100,
			     "client write key")) {
		cb = 0;
		EXPECT_ST(ERROR_SUCCESS,
			  SslDecryptPacket(env->prov, self->rk, self->buf,
					   100 + TK_GCM_OVERHEAD, self->out,
					   sizeof(self->out), &cb, 1, 0));
		EXPECT_EQ(100u, cb);
		EXPECT_EQ(0, memcmp(self->pt, self->out, 100));
	}
	if (lt_check_encrypt(self, self->wk, self->kb.server_key,
			     self->kb.server_salt, 1, CT_APPLICATIONDATA, 100,
			     "server write key, seq 1")) {
		cb = 0;
		EXPECT_ST(ERROR_SUCCESS,
			  SslDecryptPacket(env->prov, crk, self->buf,
					   100 + TK_GCM_OVERHEAD, self->out,
					   sizeof(self->out), &cb, 1, 0));
		EXPECT_EQ(100u, cb);
		EXPECT_EQ(0, memcmp(self->pt, self->out, 100));
	}

	/* New randoms: a new key block. */
	ASSERT_EQ(0, tk_random(cr, sizeof(cr)));
	ASSERT_EQ(0, tk_random(sr, sizeof(sr)));
	ASSERT_EQ(0, tk_key_block(SP_TLS1_2, variant->suite, variant->key_len,
				  self->hs.ms, cr, sr, &kb2));
	st = KEEP2(env, srk, swk,
		   SslGenerateSessionKeys(env->prov, self->master, &srk, &swk,
					  lt_randoms(&l, cr, sr),
					  NCRYPT_SSL_SERVER_FLAG));
	ASSERT_ST(ERROR_SUCCESS, st);
	lt_check_encrypt(self, swk, kb2.server_key, kb2.server_salt, 5,
			 CT_APPLICATIONDATA, 333, "server write key, new randoms");
	ASSERT_EQ(0, tk_record_seal(kb2.client_key, variant->key_len,
				    kb2.client_salt, 9, CT_ALERT, self->pt, 2,
				    self->buf));
	cb = 0;
	EXPECT_ST(ERROR_SUCCESS,
		  SslDecryptPacket(env->prov, srk, self->buf, 2 + TK_GCM_OVERHEAD,
				   self->out, sizeof(self->out), &cb, 9, 0));
	EXPECT_EQ(2u, cb);
	EXPECT_EQ(0, memcmp(self->pt, self->out, 2));
}

/*
 * Records against the oracle: every content type, sizes 0 .. 2^14,
 * growing sequence numbers with gaps; size queries and short buffers.
 */
TEST_F_TIMEOUT(rec, encrypt_decrypt, SP_TIMEOUT_LONG)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 100, 1000, 4096,
					SSLPROV_MAX_RECORD_PLAINTEXT };
	static const uint8_t types[] = { CT_CHANGE_CIPHER_SPEC, CT_ALERT,
					 CT_HANDSHAKE, CT_APPLICATIONDATA };
	struct lt_env *env = &self->env;
	NCRYPT_SSL_CIPHER_LENGTHS cl;
	uint64_t seq = 0;
	char what[96];
	unsigned int i;
	size_t reclen;
	DWORD cb;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		snprintf(what, sizeof(what), "%zu bytes, type %u, seq %llu",
			 sizes[i], types[i % 4], (unsigned long long)seq);
		lt_check_encrypt(self, self->wk, self->kb.server_key,
				 self->kb.server_salt, seq, types[i % 4],
				 sizes[i], what);
		lt_check_decrypt(self, self->rk, seq, types[(i + 1) % 4],
				 sizes[i], what);
		seq += 1 + i * 1000;
	}
	/* Across 2^32, and up to the largest allowed number. */
	seq = 0xffffffffULL;
	lt_check_encrypt(self, self->wk, self->kb.server_key,
			 self->kb.server_salt, seq, CT_APPLICATIONDATA, 50,
			 "seq 2^32 - 1");
	lt_check_encrypt(self, self->wk, self->kb.server_key,
			 self->kb.server_salt, seq + 1, CT_APPLICATIONDATA, 50,
			 "seq 2^32");
	lt_check_decrypt(self, self->rk, seq + 7, CT_APPLICATIONDATA, 50,
			 "seq 2^32 + 6");

	/* The overhead SslLookupCipherLengths announces is the real one. */
	ASSERT_ST(ERROR_SUCCESS,
		  SslLookupCipherLengths(env->prov, TLS1_2_PROTOCOL_VERSION,
					 variant->suite, 0, &cl, sizeof(cl), 0));
	seq = 0x100000000ULL + 100;

	/* Size query: *pcbResult, no sequence number spent. */
	cb = 0;
	EXPECT_ST(ERROR_SUCCESS,
		  SslEncryptPacket(env->prov, self->wk, self->pt, 777, NULL, 0,
				   &cb, seq, CT_APPLICATIONDATA, 0));
	EXPECT_EQ(777 + cl.dwHeaderLen + cl.dwFixedTrailerLen, cb);
	cb = 0;
	EXPECT_ST(ERROR_SUCCESS,
		  SslEncryptPacket(env->prov, self->wk, self->pt, 777, NULL,
				   100000, &cb, seq, CT_APPLICATIONDATA, 0));
	EXPECT_EQ(777u + TK_GCM_OVERHEAD, cb);
	/* One byte short: the size, nothing written, no sequence spent. */
	cb = 0;
	memset(self->buf, 0xa5, sizeof(self->buf));
	EXPECT_ST(NTE_BUFFER_TOO_SMALL,
		  SslEncryptPacket(env->prov, self->wk, self->pt, 777, self->buf,
				   777 + TK_GCM_OVERHEAD - 1, &cb, seq,
				   CT_APPLICATIONDATA, 0));
	EXPECT_EQ(777u + TK_GCM_OVERHEAD, cb);
	for (i = 0; i < 777 + TK_GCM_OVERHEAD; i++)
		if (self->buf[i] != 0xa5)
			break;
	EXPECT_EQ(777u + TK_GCM_OVERHEAD, i) TH_LOG("a too small buffer was written");
	lt_check_encrypt(self, self->wk, self->kb.server_key,
			 self->kb.server_salt, seq, CT_APPLICATIONDATA, 777,
			 "after the size query and the short buffer");

	/* The same for decryption. */
	reclen = lt_client_record(self, variant, seq, CT_APPLICATIONDATA, 555);
	ASSERT_EQ(555u + TK_GCM_OVERHEAD, reclen);
	cb = 0;
	EXPECT_ST(ERROR_SUCCESS,
		  SslDecryptPacket(env->prov, self->rk, self->buf, (DWORD)reclen,
				   NULL, 0, &cb, seq, 0));
	EXPECT_EQ(555u, cb);
	cb = 0;
	memset(self->out, 0x5a, sizeof(self->out));
	EXPECT_ST(NTE_BUFFER_TOO_SMALL,
		  SslDecryptPacket(env->prov, self->rk, self->buf, (DWORD)reclen,
				   self->out, 554, &cb, seq, 0));
	EXPECT_EQ(555u, cb);
	for (i = 0; i < 600; i++)
		if (self->out[i] != 0x5a)
			break;
	EXPECT_EQ(600u, i) TH_LOG("a too small buffer was written");
	lt_check_decrypt(self, self->rk, seq, CT_APPLICATIONDATA, 555,
			 "after the size query and the short buffer");
}

/*
 * What must not work: a forged tag (nothing written, and the sequence
 * number is not spent), replays, repeated or lower sequence numbers, the
 * wrong kind of key, bad arguments.
 */
TEST_F_TIMEOUT(rec, record_errors, SP_TIMEOUT_LONG)
{
	struct lt_env *env = &self->env;
	NCRYPT_KEY_HANDLE hash;
	SECURITY_STATUS st;
	size_t reclen, i;
	DWORD cb;

	/* A flipped tag bit, a flipped ciphertext bit, another type. */
	reclen = lt_client_record(self, variant, 3, CT_APPLICATIONDATA, 64);
	ASSERT_EQ(64u + TK_GCM_OVERHEAD, reclen);
	self->buf[reclen - 1] ^= 0x01;
	memset(self->out, 0x5a, sizeof(self->out));
	cb = 0;
	EXPECT_ST(NTE_BAD_DATA,
		  SslDecryptPacket(env->prov, self->rk, self->buf, (DWORD)reclen,
				   self->out, sizeof(self->out), &cb, 3, 0));
	for (i = 0; i < 200; i++)
		if (self->out[i] != 0x5a)
			break;
	EXPECT_EQ(200u, i) TH_LOG("a record that failed to authenticate was written out");
	self->buf[reclen - 1] ^= 0x01;
	self->buf[TK_HDR + TK_GCM_EXPLICIT + 10] ^= 0x80;
	EXPECT_ST(NTE_BAD_DATA,
		  SslDecryptPacket(env->prov, self->rk, self->buf, (DWORD)reclen,
				   self->out, sizeof(self->out), &cb, 3, 0));
	self->buf[TK_HDR + TK_GCM_EXPLICIT + 10] ^= 0x80;
	self->buf[0] = CT_HANDSHAKE;	/* in the AAD */
	EXPECT_ST(NTE_BAD_DATA,
		  SslDecryptPacket(env->prov, self->rk, self->buf, (DWORD)reclen,
				   self->out, sizeof(self->out), &cb, 3, 0));
	self->buf[0] = CT_APPLICATIONDATA;
	/* The right sequence number is in the AAD too. */
	EXPECT_ST(NTE_BAD_DATA,
		  SslDecryptPacket(env->prov, self->rk, self->buf, (DWORD)reclen,
				   self->out, sizeof(self->out), &cb, 4, 0));
	/* None of the failures spent sequence number 3. */
	lt_check_decrypt(self, self->rk, 3, CT_APPLICATIONDATA, 64,
			 "after the forgeries");
	/* A replay, and an older record. */
	reclen = lt_client_record(self, variant, 3, CT_APPLICATIONDATA, 64);
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslDecryptPacket(env->prov, self->rk, self->buf, (DWORD)reclen,
				   self->out, sizeof(self->out), &cb, 3, 0));
	reclen = lt_client_record(self, variant, 2, CT_APPLICATIONDATA, 64);
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslDecryptPacket(env->prov, self->rk, self->buf, (DWORD)reclen,
				   self->out, sizeof(self->out), &cb, 2, 0));
	/* Malformed records: too short, header length wrong, version wrong. */
	reclen = lt_client_record(self, variant, 10, CT_APPLICATIONDATA, 64);
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslDecryptPacket(env->prov, self->rk, self->buf,
				   TK_GCM_OVERHEAD - 1, self->out,
				   sizeof(self->out), &cb, 10, 0));
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslDecryptPacket(env->prov, self->rk, self->buf,
				   (DWORD)reclen - 1, self->out,
				   sizeof(self->out), &cb, 10, 0));
	self->buf[2] = 2;
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslDecryptPacket(env->prov, self->rk, self->buf, (DWORD)reclen,
				   self->out, sizeof(self->out), &cb, 10, 0));
	self->buf[2] = 3;
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslDecryptPacket(env->prov, self->rk, self->buf, (DWORD)reclen,
				   self->out, sizeof(self->out), &cb, UINT64_MAX, 0));
	EXPECT_ST(NTE_BAD_FLAGS,
		  SslDecryptPacket(env->prov, self->rk, self->buf, (DWORD)reclen,
				   self->out, sizeof(self->out), &cb, 10, 1));
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslDecryptPacket(env->prov, self->rk, self->buf, (DWORD)reclen,
				   self->out, sizeof(self->out), NULL, 10, 0));
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslDecryptPacket(env->prov, self->rk, NULL, (DWORD)reclen,
				   self->out, sizeof(self->out), &cb, 10, 0));
	lt_check_decrypt(self, self->rk, 10, CT_APPLICATIONDATA, 64,
			 "after the malformed records");

	/* Encryption: a repeated and a lower sequence number. */
	lt_check_encrypt(self, self->wk, self->kb.server_key,
			 self->kb.server_salt, 7, CT_APPLICATIONDATA, 32, "seq 7");
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslEncryptPacket(env->prov, self->wk, self->pt, 32, self->buf,
				   sizeof(self->buf), &cb, 7,
				   CT_APPLICATIONDATA, 0));
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslEncryptPacket(env->prov, self->wk, self->pt, 32, self->buf,
				   sizeof(self->buf), &cb, 6,
				   CT_APPLICATIONDATA, 0));
	/* Arguments. */
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslEncryptPacket(env->prov, self->wk, self->pt,
				   SSLPROV_MAX_RECORD_PLAINTEXT + 1, self->buf,
				   sizeof(self->buf), &cb, 8,
				   CT_APPLICATIONDATA, 0));
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslEncryptPacket(env->prov, self->wk, self->pt, 32, self->buf,
				   sizeof(self->buf), &cb, 8, 19, 0));
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslEncryptPacket(env->prov, self->wk, self->pt, 32, self->buf,
				   sizeof(self->buf), &cb, 8, 24, 0));
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslEncryptPacket(env->prov, self->wk, self->pt, 32, self->buf,
				   sizeof(self->buf), &cb, UINT64_MAX,
				   CT_APPLICATIONDATA, 0));
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslEncryptPacket(env->prov, self->wk, self->pt, 32, self->buf,
				   sizeof(self->buf), NULL, 8,
				   CT_APPLICATIONDATA, 0));
	EXPECT_ST(NTE_INVALID_PARAMETER,
		  SslEncryptPacket(env->prov, self->wk, NULL, 32, self->buf,
				   sizeof(self->buf), &cb, 8,
				   CT_APPLICATIONDATA, 0));
	EXPECT_ST(NTE_BAD_FLAGS,
		  SslEncryptPacket(env->prov, self->wk, self->pt, 32, self->buf,
				   sizeof(self->buf), &cb, 8,
				   CT_APPLICATIONDATA, 1));

	/* Keys of the wrong kind or direction, and not keys at all. */
	EXPECT_ST(NTE_BAD_KEY_STATE,
		  SslEncryptPacket(env->prov, self->rk, self->pt, 32, self->buf,
				   sizeof(self->buf), &cb, 8,
				   CT_APPLICATIONDATA, 0));
	EXPECT_ST(NTE_BAD_KEY_STATE,
		  SslEncryptPacket(env->prov, self->master, self->pt, 32,
				   self->buf, sizeof(self->buf), &cb, 8,
				   CT_APPLICATIONDATA, 0));
	EXPECT_ST(NTE_BAD_KEY_STATE,
		  SslEncryptPacket(env->prov, self->key, self->pt, 32, self->buf,
				   sizeof(self->buf), &cb, 8,
				   CT_APPLICATIONDATA, 0));
	reclen = lt_client_record(self, variant, 11, CT_APPLICATIONDATA, 64);
	EXPECT_ST(NTE_BAD_KEY_STATE,
		  SslDecryptPacket(env->prov, self->wk, self->buf, (DWORD)reclen,
				   self->out, sizeof(self->out), &cb, 11, 0));
	EXPECT_ST(NTE_BAD_KEY_STATE,
		  SslDecryptPacket(env->prov, self->master, self->buf,
				   (DWORD)reclen, self->out, sizeof(self->out),
				   &cb, 11, 0));
	st = KEEP(env, hash, SslCreateHandshakeHash(env->prov, &hash, SP_TLS1_2,
						     variant->suite, 0));
	ASSERT_ST(ERROR_SUCCESS, st);
	EXPECT_ST(NTE_INVALID_HANDLE,
		  SslEncryptPacket(env->prov, hash, self->pt, 32, self->buf,
				   sizeof(self->buf), &cb, 8,
				   CT_APPLICATIONDATA, 0));
	EXPECT_ST(NTE_INVALID_HANDLE,
		  SslDecryptPacket(env->prov, hash, self->buf, (DWORD)reclen,
				   self->out, sizeof(self->out), &cb, 11, 0));
	EXPECT_ST(NTE_INVALID_HANDLE,
		  SslEncryptPacket(env->prov, 0, self->pt, 32, self->buf,
				   sizeof(self->buf), &cb, 8,
				   CT_APPLICATIONDATA, 0));
	EXPECT_ST(NTE_INVALID_HANDLE,
		  SslEncryptPacket(env->prov, LT_GARBAGE_HANDLE, self->pt, 32,
				   self->buf, sizeof(self->buf), &cb, 8,
				   CT_APPLICATIONDATA, 0));
	EXPECT_ST(NTE_INVALID_HANDLE,
		  SslEncryptPacket(0, self->wk, self->pt, 32, self->buf,
				   sizeof(self->buf), &cb, 8,
				   CT_APPLICATIONDATA, 0));
	EXPECT_ST(NTE_INVALID_HANDLE,
		  SslDecryptPacket(env->stale_prov, self->rk, self->buf,
				   (DWORD)reclen, self->out, sizeof(self->out),
				   &cb, 11, 0));
	/* After all that, both keys go on from where they were. */
	lt_check_encrypt(self, self->wk, self->kb.server_key,
			 self->kb.server_salt, 8, CT_APPLICATIONDATA, 32,
			 "seq 8 after the errors");
	lt_check_decrypt(self, self->rk, 11, CT_APPLICATIONDATA, 64,
			 "seq 11 after the errors");
}

/*
 * In place: plaintext at pbOutput + 13 sealed into pbOutput, and a record
 * opened to pbInput + 13; also input and output at the same address.
 */
TEST_F_TIMEOUT(rec, in_place, SP_TIMEOUT)
{
	struct lt_env *env = &self->env;
	const size_t n = 1200, reclen = n + TK_GCM_OVERHEAD;
	uint8_t *b = self->buf;
	SECURITY_STATUS st;
	DWORD cb;
	long got;

	/* Encrypt: input at output + header + explicit nonce. */
	memset(b, 0xa5, sizeof(self->buf));
	memcpy(b + TK_HDR + TK_GCM_EXPLICIT, self->pt, n);
	cb = 0;
	st = SslEncryptPacket(env->prov, self->wk, b + TK_HDR + TK_GCM_EXPLICIT,
			      (DWORD)n, b, (DWORD)reclen, &cb, 1,
			      CT_APPLICATIONDATA, 0);
	EXPECT_ST(ERROR_SUCCESS, st);
	EXPECT_EQ(reclen, cb);
	got = tk_record_open(self->kb.server_key, variant->key_len,
			     self->kb.server_salt, 1, b, reclen, self->out);
	EXPECT_EQ((long)n, got);
	if (got == (long)n)
		TK_EXPECT_MEM(self->pt, self->out, n, "encrypted in place (+13)");

	/* Encrypt: input and output at the same address. */
	memcpy(b, self->pt, n);
	cb = 0;
	st = SslEncryptPacket(env->prov, self->wk, b, (DWORD)n, b,
			      (DWORD)reclen, &cb, 2, CT_APPLICATIONDATA, 0);
	EXPECT_ST(ERROR_SUCCESS, st);
	EXPECT_EQ(reclen, cb);
	got = tk_record_open(self->kb.server_key, variant->key_len,
			     self->kb.server_salt, 2, b, reclen, self->out);
	EXPECT_EQ((long)n, got);
	if (got == (long)n)
		TK_EXPECT_MEM(self->pt, self->out, n, "encrypted in place (+0)");

	/* Decrypt: plaintext to input + 13. */
	ASSERT_EQ(reclen, lt_client_record(self, variant, 1, CT_APPLICATIONDATA, n));
	cb = 0;
	st = SslDecryptPacket(env->prov, self->rk, b, (DWORD)reclen,
			      b + TK_HDR + TK_GCM_EXPLICIT, (DWORD)n, &cb, 1, 0);
	EXPECT_ST(ERROR_SUCCESS, st);
	EXPECT_EQ(n, cb);
	TK_EXPECT_MEM(self->pt, b + TK_HDR + TK_GCM_EXPLICIT, n,
		      "decrypted in place (+13)");
	/* Decrypt: plaintext to the record's own start. */
	ASSERT_EQ(reclen, lt_client_record(self, variant, 2, CT_APPLICATIONDATA, n));
	cb = 0;
	st = SslDecryptPacket(env->prov, self->rk, b, (DWORD)reclen, b,
			      (DWORD)reclen, &cb, 2, 0);
	EXPECT_ST(ERROR_SUCCESS, st);
	EXPECT_EQ(n, cb);
	TK_EXPECT_MEM(self->pt, b, n, "decrypted in place (+0)");
}

TEST_HARNESS_MAIN
