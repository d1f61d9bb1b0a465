// SPDX-License-Identifier: GPL-2.0
/*
 * RSA private keys: KEY_IMPORT (a file's own key) and the key store
 * (KEY_LOAD, KEY_LIST, KEY_OPEN, KEY_UNLOAD), with OpenSSL as the oracle
 * for the DER forms and the fingerprint (SHA-256 of i2d_PUBKEY).  Every
 * key that is imported or opened is proved to work by a TLS 1.2 handshake
 * whose Finished messages match the oracle (tls12_common.h).
 *
 * The key store is global: each test unloads what it loaded (also when it
 * fails), and the teardown checks that the module's object counters are
 * back where they were.  The store tests need root (as in the test VM) and
 * use forked children with other uids/gids for the access rules.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdint.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/param_build.h>
#include "kselftest_harness.h"
#include "sslprov_test.h"
#include "tls12_common.h"

#define OTHER_UID	12345
#define OTHER_UID2	12346
#define OTHER_GID	54321

FIXTURE(keys) {
	int fd;
	struct sp_stats base;
	bool have_base;
	struct tk_rsa rsa;
	int nloaded;
	uint8_t loaded[4][SSLPROV_FINGERPRINT_LEN];
};

FIXTURE_SETUP(keys)
{
	int ret;

	self->fd = -1;
	SP_REQUIRE_DEVICE();
	ASSERT_EQ(0, sp_stats_read(&self->base));
	self->have_base = true;
	ASSERT_EQ(0, tk_rsa_get(&self->rsa))
		TH_LOG("RSA key generation: %s", tk_ossl_err());
	self->fd = sp_open();
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", sp_errname(self->fd));
	/* A test killed by its timeout may have left our key behind. */
	if (geteuid() == 0) {
		ret = tk_key_unload(self->fd, self->rsa.fp);
		if (!ret)
			TH_LOG("note: unloaded this program's key left loaded by an earlier test");
	}
}

FIXTURE_TEARDOWN(keys)
{
	char diff[256];
	int i, ret;

	/* No ASSERT here: it would jump back into the test wrapper. */
	for (i = 0; i < self->nloaded && self->fd >= 0; i++) {
		ret = tk_key_unload(self->fd, self->loaded[i]);
		if (ret && ret != -ENOKEY)
			TH_LOG("teardown KEY_UNLOAD: %s", sp_errname(ret));
		EXPECT_TRUE(ret == 0 || ret == -ENOKEY);
	}
	if (self->fd >= 0)
		close(self->fd);
	if (self->have_base) {
		ret = sp_stats_wait(&self->base, diff, sizeof(diff), 10);
		/* (no TH_LOG on EXPECT: a failed ASSERT left it armed) */
		if (ret)
			TH_LOG("leak after close: %s", diff);
		EXPECT_EQ(0, ret);
	}
	tk_rsa_free(&self->rsa);
}

/* Remember a loaded key for the teardown. */
static void track(FIXTURE_DATA(keys) *self, const uint8_t *fp)
{
	if (self->nloaded < 4)
		memcpy(self->loaded[self->nloaded++], fp,
		       SSLPROV_FINGERPRINT_LEN);
}

#define REQUIRE_ROOT() do {						\
	if (geteuid() != 0)						\
		SKIP(return, "the key store needs root (CAP_SYS_ADMIN)"); \
} while (0)

/* --- KEY_IMPORT ---------------------------------------------------------- */

TEST_F_TIMEOUT(keys, import_pkcs1_der, SP_TIMEOUT)
{
	struct sp_stats st;
	uint32_t h = 0, h2 = 0, m;
	struct tk_hs hs;
	int ret;

	/* What OpenSSL gave us is PKCS#1: SEQUENCE { INTEGER 0, INTEGER n ... */
	ASSERT_EQ(0, memcmp(self->rsa.der + 4, "\x02\x01\x00\x02", 4))
		TH_LOG("not PKCS#1: %s", tk_hex(self->rsa.der, 16));
	ASSERT_EQ(256, self->rsa.mod_len);

	ret = tk_key_import(self->fd, self->rsa.der, self->rsa.der_len, &h);
	ASSERT_EQ(0, ret) TH_LOG("KEY_IMPORT of a %d-byte PKCS#1 key: %s",
				 self->rsa.der_len, sp_errname(ret));
	EXPECT_NE(0, h);
	EXPECT_EQ(1, sp_live_objects(self->fd));
	ASSERT_EQ(0, sp_stats_read(&st));
	EXPECT_EQ(self->base.private_key + 1, st.private_key)
		TH_LOG("the private_key counter does not count the import");
	EXPECT_TRUE(tk_check_key(self->fd, h, &self->rsa, "imported key"));

	/* The same key twice is fine: objects of a file, not a store. */
	ret = tk_key_import(self->fd, self->rsa.der, self->rsa.der_len, &h2);
	ASSERT_EQ(0, ret) TH_LOG("second KEY_IMPORT: %s", sp_errname(ret));
	EXPECT_NE(h, h2);
	EXPECT_EQ(0, sp_free(self->fd, h));
	EXPECT_TRUE(tk_check_key(self->fd, h2, &self->rsa,
				 "second import after freeing the first"));
	ASSERT_EQ(0, tk_hs_new(&hs, &self->rsa, 0x0303, 0x009c, 0x0303));
	ret = tk_hs_import(self->fd, h, &hs, &m);
	EXPECT_EQ(-EBADF, ret) TH_LOG("MASTER_IMPORT with a freed key: %s",
				      sp_errname(ret));
	EXPECT_EQ(1, sp_live_objects(self->fd));
}

/* One malformed key: the errno it must give. */
struct bad_der {
	const char *what;
	const uint8_t *der;
	uint32_t len;
	int want;
};

static void check_bad_ders(struct __test_metadata *_metadata, int fd,
			   const struct bad_der *b, int n)
{
	uint32_t h;
	int i, ret;

	for (i = 0; i < n; i++) {
		h = 0;
		ret = tk_key_import(fd, b[i].der, b[i].len, &h);
		EXPECT_EQ(b[i].want, ret)
			TH_LOG("KEY_IMPORT of %s (%u bytes: %s): %s, want %s",
			       b[i].what, b[i].len, tk_hex(b[i].der,
			       b[i].len < 24 ? b[i].len : 24),
			       sp_errname(ret), sp_errname(b[i].want));
		if (!ret)
			sp_free(fd, h);
	}
	EXPECT_EQ(0, sp_live_objects(fd)) TH_LOG("a failed import left an object");
}

TEST_F_TIMEOUT(keys, import_malformed, SP_TIMEOUT)
{
	static uint8_t garbage[1200], seqgarbage[1200], big[SSLPROV_MAX_KEY_DER + 1];
	unsigned char *pub1 = NULL, *spki = NULL, *p8 = NULL;
	OSSL_ENCODER_CTX *ectx;
	size_t p8len = 0;
	int pub1len, spkilen;
	const uint8_t *der = self->rsa.der;
	uint32_t len = self->rsa.der_len;

	ASSERT_EQ(0, tk_random(garbage, sizeof(garbage)));
	garbage[0] = 0x04;	/* not a SEQUENCE */
	/* A plausible SEQUENCE header with noise inside. */
	ASSERT_EQ(0, tk_random(seqgarbage, sizeof(seqgarbage)));
	seqgarbage[0] = 0x30;
	seqgarbage[1] = 0x82;
	seqgarbage[2] = (sizeof(seqgarbage) - 4) >> 8;
	seqgarbage[3] = (sizeof(seqgarbage) - 4) & 0xff;
	memcpy(big, der, len);

	pub1len = i2d_PublicKey(self->rsa.pkey, &pub1);	/* RSAPublicKey */
	ASSERT_LT(0, pub1len);
	spkilen = i2d_PUBKEY(self->rsa.pkey, &spki);	/* SubjectPublicKeyInfo */
	ASSERT_LT(0, spkilen);
	ectx = OSSL_ENCODER_CTX_new_for_pkey(self->rsa.pkey, EVP_PKEY_KEYPAIR,
					     "DER", "PrivateKeyInfo", NULL);
	ASSERT_NE(NULL, ectx);
	ASSERT_EQ(1, OSSL_ENCODER_to_data(ectx, &p8, &p8len));
	OSSL_ENCODER_CTX_free(ectx);

	{
		const struct bad_der bad[] = {
			{ "the key less its last byte", der, len - 1, -EILSEQ },
			{ "half the key", der, len / 2, -EILSEQ },
			{ "the first 10 bytes", der, 10, -EILSEQ },
			{ "one byte", der, 1, -EILSEQ },
			{ "random bytes", garbage, sizeof(garbage), -EILSEQ },
			{ "a SEQUENCE of random bytes", seqgarbage,
			  sizeof(seqgarbage), -EILSEQ },
			{ "a PKCS#1 RSAPublicKey", pub1, pub1len, -EILSEQ },
			{ "a SubjectPublicKeyInfo", spki, spkilen, -EILSEQ },
			{ "a PKCS#8 PrivateKeyInfo", p8, p8len, -EILSEQ },
			{ "0 bytes", der, 0, -EINVAL },
			{ "SSLPROV_MAX_KEY_DER + 1 bytes", big, sizeof(big),
			  -EINVAL },
			{ "0xffffffff bytes", der, 0xffffffff, -EINVAL },
		};

		check_bad_ders(_metadata, self->fd, bad, ARRAY_SIZE(bad));
	}
	OPENSSL_free(pub1);
	OPENSSL_free(spki);
	OPENSSL_free(p8);
}

/*
 * DER is exact: bytes after the RSAPrivateKey are not part of a DER
 * encoding of it (uapi: "an RSAPrivateKey (PKCS#1) in DER").
 */
TEST_F_TIMEOUT(keys, import_trailing_bytes, SP_TIMEOUT)
{
	static uint8_t der[SSLPROV_MAX_KEY_DER];
	uint32_t len = self->rsa.der_len;
	const struct bad_der bad[] = {
		{ "the key followed by 16 bytes of garbage", der, len + 16,
		  -EILSEQ },
		{ "the key followed by a second copy", der, 2 * len, -EILSEQ },
	};

	memcpy(der, self->rsa.der, len);
	memcpy(der + len, self->rsa.der, len);
	ASSERT_EQ(0, tk_random(der + len, 16));
	check_bad_ders(_metadata, self->fd, bad, 1);
	memcpy(der + len, self->rsa.der, len);
	check_bad_ders(_metadata, self->fd, bad + 1, 1);
}

/*
 * A well-formed key whose CRT coefficient (q^-1 mod p) is not q's inverse:
 * every private operation would give a wrong result, so the module refuses
 * it when it first computes a blinding inverse and checks it.  Built by
 * OpenSSL from the test key's components with the coefficient plus one.
 */
static int wrong_qinv_der(EVP_PKEY *pkey, uint8_t *out, size_t *out_len)
{
	static const char *const names[] = {
		OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E,
		OSSL_PKEY_PARAM_RSA_D, OSSL_PKEY_PARAM_RSA_FACTOR1,
		OSSL_PKEY_PARAM_RSA_FACTOR2, OSSL_PKEY_PARAM_RSA_EXPONENT1,
		OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
	};
	BIGNUM *bn[ARRAY_SIZE(names)] = { NULL };
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_ENCODER_CTX *ectx = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY *bad = NULL;
	unsigned char *der = NULL;
	size_t i, len = 0;
	int ret = -EIO;

	if (!bld)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (EVP_PKEY_get_bn_param(pkey, names[i], &bn[i]) != 1)
			goto out;
	if (BN_add_word(bn[ARRAY_SIZE(names) - 1], 1) != 1)
		goto out;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (OSSL_PARAM_BLD_push_BN(bld, names[i], bn[i]) != 1)
			goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	pctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (!params || !pctx || EVP_PKEY_fromdata_init(pctx) != 1 ||
	    EVP_PKEY_fromdata(pctx, &bad, EVP_PKEY_KEYPAIR, params) != 1)
		goto out;
	ectx = OSSL_ENCODER_CTX_new_for_pkey(bad, EVP_PKEY_KEYPAIR, "DER",
					     "type-specific", NULL);
	if (!ectx || OSSL_ENCODER_to_data(ectx, &der, &len) != 1 ||
	    len > *out_len)
		goto out;
	memcpy(out, der, len);
	*out_len = len;
	ret = 0;
out:
	OPENSSL_free(der);
	OSSL_ENCODER_CTX_free(ectx);
	EVP_PKEY_free(bad);
	EVP_PKEY_CTX_free(pctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	for (i = 0; i < ARRAY_SIZE(names); i++)
		BN_clear_free(bn[i]);
	return ret;
}

TEST_F_TIMEOUT(keys, import_wrong_coefficient, SP_TIMEOUT)
{
	static uint8_t der[SSLPROV_MAX_KEY_DER];
	size_t len = sizeof(der);
	struct bad_der bad = { "the key with its coefficient plus one", der, 0,
			       -EILSEQ };

	ASSERT_EQ(0, wrong_qinv_der(self->rsa.pkey, der, &len))
		TH_LOG("building the key: %s", tk_ossl_err());
	/* Same length as the real key, and differs from it. */
	ASSERT_EQ((size_t)self->rsa.der_len, len);
	ASSERT_NE(0, memcmp(der, self->rsa.der, len));
	bad.len = (uint32_t)len;
	check_bad_ders(_metadata, self->fd, &bad, 1);
}

TEST_F_TIMEOUT(keys, import_small_key, SP_TIMEOUT)
{
	struct tk_rsa small;
	uint32_t h = 0;
	int ret;

	ASSERT_EQ(0, tk_rsa_gen(512, &small)) TH_LOG("%s", tk_ossl_err());
	ret = tk_key_import(self->fd, small.der, small.der_len, &h);
	/* privkey.c: -EOPNOTSUPP for an unsupported size (below 1024 bits). */
	EXPECT_TRUE(ret == -EOPNOTSUPP || ret == -EILSEQ)
		TH_LOG("KEY_IMPORT of a 512-bit key: %s, want EOPNOTSUPP",
		       sp_errname(ret));
	if (!ret)
		sp_free(self->fd, h);
	EXPECT_EQ(0, sp_live_objects(self->fd));
	tk_rsa_free(&small);
}

TEST_F_TIMEOUT(keys, import_bad_pointer_and_flags, SP_TIMEOUT)
{
	struct sslprov_key_import a;
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t *guarded;
	uint32_t len = self->rsa.der_len;
	int ret;

	ret = tk_key_import(self->fd, sp_unmapped_addr(), len, NULL);
	EXPECT_EQ(-EFAULT, ret) TH_LOG("unmapped der: %s", sp_errname(ret));

	/* The key's last byte in a PROT_NONE page. */
	guarded = sp_map_guarded(2);
	ASSERT_NE(NULL, guarded);
	memcpy(guarded + 2 * pg - len + 1, self->rsa.der, len - 1);
	ret = tk_key_import(self->fd, guarded + 2 * pg - len + 1, len, NULL);
	EXPECT_EQ(-EFAULT, ret) TH_LOG("der running into a guard page: %s",
				       sp_errname(ret));
	/* The same bytes where all of them are readable work. */
	memcpy(guarded + 2 * pg - len, self->rsa.der, len);
	ret = tk_key_import(self->fd, guarded + 2 * pg - len, len, NULL);
	EXPECT_EQ(0, ret) TH_LOG("der ending at the guard page: %s",
				 sp_errname(ret));
	munmap(guarded, 3 * pg);

	/* KEY_IMPORT defines no flags. */
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.flags = SSLPROV_SERVER;
	a.der_len = len;
	a.der = (uintptr_t)self->rsa.der;
	ret = sp_ioctl(self->fd, SSLPROV_IOC_KEY_IMPORT, &a);
	EXPECT_TRUE(ret == -EINVAL || ret == -EBADRQC)
		TH_LOG("KEY_IMPORT with flags 0x2: %s", sp_errname(ret));
	EXPECT_EQ(ret == 0 ? 2 : 1, sp_live_objects(self->fd));
}

/* --- the key store ----------------------------------------------------------- */

/* The entry of @fp in KEY_LIST, or -ENOENT; *count = keys loaded. */
static int find_entry(int fd, const uint8_t *fp, struct sslprov_key_entry *out,
		      uint32_t *count)
{
	static struct sslprov_key_entry e[1024];
	uint32_t n, i;
	int ret;

	ret = tk_key_list(fd, e, 1024, &n);
	if (ret)
		return ret;
	if (count)
		*count = n;
	for (i = 0; i < n && i < 1024; i++) {
		if (!memcmp(e[i].fingerprint, fp, SSLPROV_FINGERPRINT_LEN)) {
			if (out)
				*out = e[i];
			return 0;
		}
	}
	return -ENOENT;
}

TEST_F_TIMEOUT(keys, load_list_open_unload, SP_TIMEOUT_LONG)
{
	struct sslprov_key_entry e;
	uint8_t fp[SSLPROV_FINGERPRINT_LEN];
	uint32_t count, count2, h = 0, h2 = 0;
	int ret;

	REQUIRE_ROOT();
	memset(fp, 0, sizeof(fp));
	ret = tk_key_load(self->fd, self->rsa.der, self->rsa.der_len,
			  SSLPROV_KEY_UID, 0, 0, fp);
	ASSERT_EQ(0, ret) TH_LOG("KEY_LOAD for uid 0: %s", sp_errname(ret));
	track(self, self->rsa.fp);
	/* Fingerprint: SHA-256 of OpenSSL's DER SubjectPublicKeyInfo. */
	TK_EXPECT_MEM(self->rsa.fp, fp, sizeof(fp),
		      "KEY_LOAD fingerprint vs SHA-256(i2d_PUBKEY)");
	EXPECT_EQ(0, sp_live_objects(self->fd))
		TH_LOG("KEY_LOAD made an object of the file");

	ret = find_entry(self->fd, self->rsa.fp, &e, &count);
	ASSERT_EQ(0, ret) TH_LOG("KEY_LIST does not show the key: %s",
				 sp_errname(ret));
	EXPECT_EQ(2048, e.bits);
	EXPECT_EQ(SSLPROV_KEY_UID, e.flags);
	EXPECT_EQ(0, e.uid);

	/* Twice: EEXIST, and the store is unchanged. */
	ret = tk_key_load(self->fd, self->rsa.der, self->rsa.der_len,
			  SSLPROV_KEY_UID, 0, 0, NULL);
	EXPECT_EQ(-EEXIST, ret) TH_LOG("second KEY_LOAD: %s", sp_errname(ret));
	ret = tk_key_load(self->fd, self->rsa.der, self->rsa.der_len,
			  SSLPROV_KEY_GID, 0, 7, NULL);
	EXPECT_EQ(-EEXIST, ret)
		TH_LOG("KEY_LOAD of the same key for a group: %s",
		       sp_errname(ret));
	ASSERT_EQ(0, find_entry(self->fd, self->rsa.fp, &e, &count2));
	EXPECT_EQ(count, count2);
	EXPECT_EQ(SSLPROV_KEY_UID, e.flags) TH_LOG("a refused load changed the entry");

	/* Opened by root (uid 0 is named), it decrypts. */
	ret = tk_key_open(self->fd, self->rsa.fp, &h);
	ASSERT_EQ(0, ret) TH_LOG("KEY_OPEN as root: %s", sp_errname(ret));
	EXPECT_NE(0, h);
	EXPECT_EQ(1, sp_live_objects(self->fd));
	EXPECT_TRUE(tk_check_key(self->fd, h, &self->rsa, "opened key"));
	ret = tk_key_open(self->fd, self->rsa.fp, &h2);
	EXPECT_EQ(0, ret) TH_LOG("second KEY_OPEN: %s", sp_errname(ret));
	EXPECT_NE(h, h2);

	/* Unload: gone from the list and from KEY_OPEN ... */
	ret = tk_key_unload(self->fd, self->rsa.fp);
	ASSERT_EQ(0, ret) TH_LOG("KEY_UNLOAD: %s", sp_errname(ret));
	EXPECT_EQ(-ENOENT, find_entry(self->fd, self->rsa.fp, NULL, &count2));
	EXPECT_EQ(count - 1, count2);
	EXPECT_EQ(-ENOKEY, tk_key_open(self->fd, self->rsa.fp, NULL));
	EXPECT_EQ(-ENOKEY, tk_key_unload(self->fd, self->rsa.fp))
		TH_LOG("second KEY_UNLOAD");
	/* ... but objects opened before keep working. */
	EXPECT_TRUE(tk_check_key(self->fd, h, &self->rsa,
				 "key opened before KEY_UNLOAD"));
	EXPECT_EQ(0, sp_free(self->fd, h));
	EXPECT_TRUE(tk_check_key(self->fd, h2, &self->rsa,
				 "second handle after KEY_UNLOAD and FREE of the first"));
	EXPECT_EQ(0, sp_free(self->fd, h2));
	EXPECT_EQ(0, sp_live_objects(self->fd));
}

TEST_F_TIMEOUT(keys, store_errors, SP_TIMEOUT)
{
	static uint8_t big[SSLPROV_MAX_KEY_DER + 1];
	uint8_t fp[SSLPROV_FINGERPRINT_LEN];
	struct sslprov_key_ref ref;
	const uint8_t *der = self->rsa.der;
	uint32_t len = self->rsa.der_len, n;
	int ret;

	REQUIRE_ROOT();
	ASSERT_EQ(0, tk_random(fp, sizeof(fp)));
	EXPECT_EQ(-ENOKEY, tk_key_open(self->fd, fp, NULL))
		TH_LOG("KEY_OPEN of an unknown fingerprint");
	EXPECT_EQ(-ENOKEY, tk_key_unload(self->fd, fp))
		TH_LOG("KEY_UNLOAD of an unknown fingerprint");

	/* flags: at least one of UID/GID, nothing else. */
	ret = tk_key_load(self->fd, der, len, 0, 0, 0, NULL);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("flags 0: %s", sp_errname(ret));
	ret = tk_key_load(self->fd, der, len, SSLPROV_KEY_UID | 4, 0, 0, NULL);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("flags 0x5: %s", sp_errname(ret));
	/* A uid or gid that does not map is refused. */
	ret = tk_key_load(self->fd, der, len, SSLPROV_KEY_UID, 0xffffffff, 0,
			  NULL);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("uid -1: %s", sp_errname(ret));
	ret = tk_key_load(self->fd, der, len, SSLPROV_KEY_GID, 0, 0xffffffff,
			  NULL);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("gid -1: %s", sp_errname(ret));
	/* Malformed keys, as for KEY_IMPORT. */
	ret = tk_key_load(self->fd, der, len - 1, SSLPROV_KEY_UID, 0, 0, NULL);
	EXPECT_EQ(-EILSEQ, ret) TH_LOG("truncated: %s", sp_errname(ret));
	ret = tk_key_load(self->fd, der, 0, SSLPROV_KEY_UID, 0, 0, NULL);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("0 bytes: %s", sp_errname(ret));
	memcpy(big, der, len);
	ret = tk_key_load(self->fd, big, sizeof(big), SSLPROV_KEY_UID, 0, 0,
			  NULL);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("%zu bytes: %s", sizeof(big),
				       sp_errname(ret));
	ret = tk_key_load(self->fd, sp_unmapped_addr(), len, SSLPROV_KEY_UID,
			  0, 0, NULL);
	EXPECT_EQ(-EFAULT, ret) TH_LOG("unmapped der: %s", sp_errname(ret));
	/* None of that loaded anything. */
	EXPECT_EQ(-ENOENT, find_entry(self->fd, self->rsa.fp, NULL, &n));
	if (!tk_key_unload(self->fd, self->rsa.fp))
		TH_LOG("a failed KEY_LOAD loaded the key");

	/* KEY_OPEN / KEY_UNLOAD define no flags; handle is an output. */
	ASSERT_EQ(0, tk_key_load(self->fd, der, len, SSLPROV_KEY_UID, 0, 0,
				 NULL));
	track(self, self->rsa.fp);
	memset(&ref, 0, sizeof(ref));
	ref.size = sizeof(ref);
	memcpy(ref.fingerprint, self->rsa.fp, sizeof(ref.fingerprint));
	ref.flags = 1;
	ret = sp_ioctl(self->fd, SSLPROV_IOC_KEY_OPEN, &ref);
	EXPECT_TRUE(ret == -EINVAL || ret == -EBADRQC)
		TH_LOG("KEY_OPEN with flags 1: %s", sp_errname(ret));
	ref.flags = 0;
	ref.__reserved = 1;
	ret = sp_ioctl(self->fd, SSLPROV_IOC_KEY_OPEN, &ref);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("KEY_OPEN with __reserved 1: %s",
				       sp_errname(ret));
	ref.__reserved = 0;
	ref.flags = 1;
	ret = sp_ioctl(self->fd, SSLPROV_IOC_KEY_UNLOAD, &ref);
	EXPECT_TRUE(ret == -EINVAL || ret == -EBADRQC)
		TH_LOG("KEY_UNLOAD with flags 1: %s", sp_errname(ret));
	EXPECT_EQ(0, find_entry(self->fd, self->rsa.fp, NULL, &n))
		TH_LOG("a refused KEY_UNLOAD unloaded the key");
	EXPECT_EQ(0, sp_live_objects(self->fd));
}

TEST_F_TIMEOUT(keys, list_room, SP_TIMEOUT)
{
	struct sslprov_key_entry e[2];
	uint32_t n, n0;
	int ret;

	REQUIRE_ROOT();
	ASSERT_EQ(0, tk_key_load(self->fd, self->rsa.der, self->rsa.der_len,
				 SSLPROV_KEY_UID | SSLPROV_KEY_GID, 4242, 4343,
				 NULL));
	track(self, self->rsa.fp);
	/* A count of 0 is a size query: nothing is written. */
	memset(e, 0xa5, sizeof(e));
	ret = tk_key_list(self->fd, e, 0, &n0);
	ASSERT_EQ(0, ret) TH_LOG("KEY_LIST with no room: %s", sp_errname(ret));
	EXPECT_LE(1, n0);
	EXPECT_EQ(0xa5, ((uint8_t *)e)[0]) TH_LOG("KEY_LIST wrote with count 0");
	ret = tk_key_list(self->fd, NULL, 0, &n);
	EXPECT_EQ(0, ret) TH_LOG("KEY_LIST(NULL, 0): %s", sp_errname(ret));
	/* Room for one: one written, the second entry untouched. */
	ret = tk_key_list(self->fd, e, 1, &n);
	ASSERT_EQ(0, ret);
	EXPECT_EQ(n0, n);
	EXPECT_EQ(0xa5, ((uint8_t *)&e[1])[0])
		TH_LOG("KEY_LIST wrote beyond the room it was given");
	EXPECT_NE(0, e[0].bits);
	ret = find_entry(self->fd, self->rsa.fp, &e[0], NULL);
	ASSERT_EQ(0, ret);
	EXPECT_EQ(SSLPROV_KEY_UID | SSLPROV_KEY_GID, e[0].flags);
	EXPECT_EQ(4242, e[0].uid);
	EXPECT_EQ(4343, e[0].gid);
	EXPECT_EQ(2048, e[0].bits);
	ret = tk_key_list(self->fd, sp_unmapped_addr(), n0, &n);
	EXPECT_EQ(-EFAULT, ret) TH_LOG("KEY_LIST to unmapped memory: %s",
				       sp_errname(ret));
}

/* --- access rules, with children of other credentials ------------------------- */

struct child_result {
	int step;		/* 0 = all went well, else the failing step */
	int err;		/* the errno of that step */
	uint8_t finished[TK_VERIFY_LEN];
};

/* Drop to @uid with primary group @gid and only the groups @groups. */
static int drop_to(uid_t uid, gid_t gid, const gid_t *groups, int ngroups)
{
	if (setgroups(ngroups, groups) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		return -errno;
	/* fsuid follows euid, but be explicit: KEY_OPEN checks the fsuid. */
	setfsuid(uid);
	setfsgid(gid);
	return (geteuid() == uid && getegid() == gid) ? 0 : -EPERM;
}

/*
 * Child: open the key by fingerprint on a file of its own and run the
 * handshake @hs with it, leaving the client verify_data in @res.
 */
static int child_open_and_use(const uint8_t *fp, const struct tk_hs *hs,
			      struct child_result *res)
{
	size_t tlen;
	const uint8_t *t = tk_fixed_transcript(&tlen);
	uint32_t key, master;
	int fd, ret;

	fd = sp_open();
	if (fd < 0)
		return res->err = fd, res->step = 1;
	ret = tk_key_open(fd, fp, &key);
	if (ret)
		return res->err = ret, res->step = 2;
	ret = tk_hs_import(fd, key, hs, &master);
	if (ret)
		return res->err = ret, res->step = 3;
	ret = tk_module_finished(fd, master, hs->protocol, hs->suite,
				 SSLPROV_CLIENT, t, (uint32_t)tlen,
				 res->finished);
	if (ret)
		return res->err = ret, res->step = 4;
	close(fd);
	return 0;
}

enum child_job { JOB_OPEN, JOB_LOAD, JOB_UNLOAD };

/*
 * Run @job in a child with credentials @uid/@gid/@groups; returns the
 * child's result (step 100 + n: could not drop privileges).
 */
static struct child_result run_child(enum child_job job, uid_t uid, gid_t gid,
				     const gid_t *groups, int ngroups,
				     const struct tk_rsa *k,
				     const struct tk_hs *hs)
{
	struct child_result *shared, res = { .step = 200 };
	pid_t pid;
	int ret, fd;

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return res;
	memset(shared, 0, sizeof(*shared));
	pid = fork();
	if (pid == 0) {
		ret = drop_to(uid, gid, groups, ngroups);
		if (ret) {
			shared->step = 100;
			shared->err = ret;
			_exit(1);
		}
		switch (job) {
		case JOB_OPEN:
			_exit(child_open_and_use(k->fp, hs, shared) ? 1 : 0);
		case JOB_LOAD:
		case JOB_UNLOAD:
			fd = sp_open();
			if (fd < 0) {
				shared->step = 1;
				shared->err = fd;
				_exit(1);
			}
			ret = job == JOB_LOAD ?
			      tk_key_load(fd, k->der, k->der_len,
					  SSLPROV_KEY_UID, uid, 0, NULL) :
			      tk_key_unload(fd, k->fp);
			shared->step = ret ? 2 : 0;
			shared->err = ret;
			close(fd);
			_exit(0);
		}
		_exit(2);
	}
	if (pid > 0) {
		ret = sp_wait_child(pid);
		res = *shared;
		if (ret && !res.step) {
			res.step = 300;
			res.err = ret;
		}
	}
	munmap(shared, sizeof(*shared));
	return res;
}

static const char *step_name(int step)
{
	switch (step) {
	case 0: return "none";
	case 1: return "open /dev/sslprov";
	case 2: return "KEY_OPEN/KEY_LOAD/KEY_UNLOAD";
	case 3: return "MASTER_IMPORT";
	case 4: return "FINISHED";
	case 100: return "dropping privileges";
	case 200: return "mmap/fork";
	default: return "child crashed or exited badly";
	}
}

/* The client verify_data the oracle expects for @hs over the fixed transcript. */
static int expected_finished(const struct tk_hs *hs, uint8_t out[TK_VERIFY_LEN])
{
	size_t tlen;
	const uint8_t *t = tk_fixed_transcript(&tlen);

	return tk_verify_data(hs->protocol, hs->suite, hs->ms, SSLPROV_CLIENT,
			      t, tlen, out);
}

TEST_F_TIMEOUT(keys, uid_rules, SP_TIMEOUT_LONG)
{
	uint8_t want[TK_VERIFY_LEN];
	struct child_result r;
	struct tk_hs hs;
	int ret;

	REQUIRE_ROOT();
	ASSERT_EQ(0, tk_hs_new(&hs, &self->rsa, 0x0303, 0x009c, 0x0303));
	ASSERT_EQ(0, expected_finished(&hs, want));

	ret = tk_key_load(self->fd, self->rsa.der, self->rsa.der_len,
			  SSLPROV_KEY_UID, OTHER_UID, 0, NULL);
	ASSERT_EQ(0, ret) TH_LOG("KEY_LOAD for uid %d: %s", OTHER_UID,
				 sp_errname(ret));
	track(self, self->rsa.fp);

	/* Not even root may open a key that names another user. */
	ret = tk_key_open(self->fd, self->rsa.fp, NULL);
	EXPECT_EQ(-ENOKEY, ret) TH_LOG("root opened uid %d's key: %s",
				       OTHER_UID, sp_errname(ret));

	/* The named user can, and the key decrypts for it. */
	r = run_child(JOB_OPEN, OTHER_UID, OTHER_UID, NULL, 0, &self->rsa, &hs);
	EXPECT_EQ(0, r.step) TH_LOG("uid %d: %s failed: %s", OTHER_UID,
				    step_name(r.step), sp_errname(r.err));
	if (!r.step)
		TK_EXPECT_MEM(want, r.finished, TK_VERIFY_LEN,
			      "client Finished computed by the key's user");

	/* Another user cannot, and cannot tell "forbidden" from "absent". */
	r = run_child(JOB_OPEN, OTHER_UID2, OTHER_UID, NULL, 0, &self->rsa, &hs);
	EXPECT_EQ(2, r.step) TH_LOG("uid %d: step %s, %s", OTHER_UID2,
				    step_name(r.step), sp_errname(r.err));
	EXPECT_EQ(-ENOKEY, r.err);

	/* Neither can load, nor unload, keys. */
	ASSERT_EQ(0, tk_key_unload(self->fd, self->rsa.fp));
	r = run_child(JOB_LOAD, OTHER_UID, OTHER_UID, NULL, 0, &self->rsa, &hs);
	EXPECT_EQ(2, r.step) TH_LOG("uid %d KEY_LOAD: step %s, %s", OTHER_UID,
				    step_name(r.step), sp_errname(r.err));
	EXPECT_EQ(-EPERM, r.err);
	ret = find_entry(self->fd, self->rsa.fp, NULL, NULL);
	EXPECT_EQ(-ENOENT, ret) TH_LOG("a non-root KEY_LOAD loaded the key");
	if (!ret)
		tk_key_unload(self->fd, self->rsa.fp);

	ASSERT_EQ(0, tk_key_load(self->fd, self->rsa.der, self->rsa.der_len,
				 SSLPROV_KEY_UID, OTHER_UID, 0, NULL));
	r = run_child(JOB_UNLOAD, OTHER_UID, OTHER_UID, NULL, 0, &self->rsa,
		      &hs);
	EXPECT_EQ(2, r.step) TH_LOG("uid %d KEY_UNLOAD: step %s, %s",
				    OTHER_UID, step_name(r.step),
				    sp_errname(r.err));
	EXPECT_EQ(-EPERM, r.err);
	EXPECT_EQ(0, find_entry(self->fd, self->rsa.fp, NULL, NULL))
		TH_LOG("a non-root KEY_UNLOAD unloaded the key");
}

TEST_F_TIMEOUT(keys, gid_rules, SP_TIMEOUT_LONG)
{
	const gid_t member[] = { 100, OTHER_GID };
	const gid_t other[] = { 100 };
	uint8_t want[TK_VERIFY_LEN];
	struct child_result r;
	struct tk_hs hs;
	int ret;

	REQUIRE_ROOT();
	ASSERT_EQ(0, tk_hs_new(&hs, &self->rsa, 0x0303, 0x009c, 0x0303));
	ASSERT_EQ(0, expected_finished(&hs, want));
	ret = tk_key_load(self->fd, self->rsa.der, self->rsa.der_len,
			  SSLPROV_KEY_GID, 0, OTHER_GID, NULL);
	ASSERT_EQ(0, ret) TH_LOG("KEY_LOAD for gid %d: %s", OTHER_GID,
				 sp_errname(ret));
	track(self, self->rsa.fp);

	/* uid 0 is not named (only the group is), and root is not in it. */
	ret = tk_key_open(self->fd, self->rsa.fp, NULL);
	EXPECT_EQ(-ENOKEY, ret) TH_LOG("root opened gid %d's key: %s",
				       OTHER_GID, sp_errname(ret));

	/* A supplementary member. */
	r = run_child(JOB_OPEN, OTHER_UID, 100, member, 2, &self->rsa, &hs);
	EXPECT_EQ(0, r.step) TH_LOG("member of %d: %s failed: %s", OTHER_GID,
				    step_name(r.step), sp_errname(r.err));
	if (!r.step)
		TK_EXPECT_MEM(want, r.finished, TK_VERIFY_LEN,
			      "client Finished computed by a group member");
	/* The primary group. */
	r = run_child(JOB_OPEN, OTHER_UID, OTHER_GID, other, 1, &self->rsa,
		      &hs);
	EXPECT_EQ(0, r.step) TH_LOG("primary gid %d: %s failed: %s", OTHER_GID,
				    step_name(r.step), sp_errname(r.err));
	/* Not a member. */
	r = run_child(JOB_OPEN, OTHER_UID, 100, other, 1, &self->rsa, &hs);
	EXPECT_EQ(2, r.step) TH_LOG("non-member: step %s, %s",
				    step_name(r.step), sp_errname(r.err));
	EXPECT_EQ(-ENOKEY, r.err);
}

TEST_HARNESS_MAIN
