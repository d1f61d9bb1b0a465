// SPDX-License-Identifier: GPL-2.0
/*
 * RSA public keys: PUBKEY_IMPORT (SslImportKey with BCRYPT_RSAPUBLIC_BLOB)
 * and PUBKEY_EXPORT (SslExportKey with BCRYPT_RSAPUBLIC_BLOB) of public and
 * private key objects.  OpenSSL is the oracle for the DER form
 * (i2d_PublicKey) and for the exponent and modulus the module hands back;
 * the malformed keys are built here byte by byte, so that each one breaks
 * exactly one rule of the ioctl's contract.  After every refused call the
 * module's public_key counter must be where it was: no half-built object.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "kselftest_harness.h"
#include "sslprov_test.h"
#include "tls12_common.h"

#define RP_MAX_N	(SSLPROV_RSA_MAX_BITS / 8 + 2)
#define RP_MAX_DER	(RP_MAX_N + 64)

/* --- raw ioctl wrappers ----------------------------------------------------------- */

static int rp_import(int fd, const void *der, uint32_t len, uint32_t *handle)
{
	struct sslprov_pubkey_import a = {
		.size = sizeof(a),
		.der_len = len,
		.der = (uintptr_t)der,
	};
	int ret = sp_ioctl(fd, SSLPROV_IOC_PUBKEY_IMPORT, &a);

	if (!ret && handle)
		*handle = a.handle;
	return ret;
}

static int rp_export(int fd, struct sslprov_pubkey_export *a, uint32_t handle,
		     void *buf, uint32_t buf_len)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->handle = handle;
	a->buf = (uintptr_t)buf;
	a->buf_len = buf_len;
	return sp_ioctl(fd, SSLPROV_IOC_PUBKEY_EXPORT, a);
}

/* --- DER built by hand ------------------------------------------------------------ */

static size_t rp_der_len(uint8_t *out, size_t len)
{
	if (len < 0x80) {
		out[0] = (uint8_t)len;
		return 1;
	}
	if (len < 0x100) {
		out[0] = 0x81;
		out[1] = (uint8_t)len;
		return 2;
	}
	out[0] = 0x82;
	out[1] = (uint8_t)(len >> 8);
	out[2] = (uint8_t)len;
	return 3;
}

static size_t rp_der_tlv(uint8_t *out, uint8_t tag, const uint8_t *v,
			 size_t len)
{
	size_t h;

	out[0] = tag;
	h = 1 + rp_der_len(out + 1, len);
	memcpy(out + h, v, len);
	return h + len;
}

/*
 * SEQUENCE { INTEGER n, INTEGER e } with the INTEGERs' contents exactly as
 * given (no sign byte added, no leading zero removed).
 */
static size_t rp_der_pub(uint8_t *out, const uint8_t *n, size_t n_len,
			 const uint8_t *e, size_t e_len)
{
	static uint8_t body[RP_MAX_DER];
	size_t len;

	len = rp_der_tlv(body, 0x02, n, n_len);
	len += rp_der_tlv(body + len, 0x02, e, e_len);
	return rp_der_tlv(out, 0x30, body, len);
}

/*
 * A canonical positive INTEGER content for the big-endian magnitude @v:
 * a 0x00 in front when the top bit is set.
 */
static size_t rp_int(uint8_t *out, const uint8_t *v, size_t len)
{
	size_t pad = (v[0] & 0x80) ? 1 : 0;

	out[0] = 0;
	memcpy(out + pad, v, len);
	return len + pad;
}

/* An odd @bits-bit number (top bit set), big-endian into @out. */
static size_t rp_odd(uint8_t *out, unsigned int bits)
{
	size_t len = (bits + 7) / 8;
	unsigned int top = bits - (len - 1) * 8;

	if (tk_random(out, len))
		return 0;
	out[0] &= (uint8_t)((1u << top) - 1);
	out[0] |= (uint8_t)(1u << (top - 1));
	out[len - 1] |= 1;
	return len;
}

static const uint8_t rp_f4[] = { 0x01, 0x00, 0x01 };

/* DER of an odd @bits-bit modulus with e = 65537; 0 on failure. */
static size_t rp_der_bits(uint8_t *der, unsigned int bits)
{
	static uint8_t mag[RP_MAX_N], n[RP_MAX_N];
	size_t len = rp_odd(mag, bits);

	if (!len)
		return 0;
	len = rp_int(n, mag, len);
	return rp_der_pub(der, n, len, rp_f4, sizeof(rp_f4));
}

/* --- the oracle -------------------------------------------------------------------- */

/* e || n, each big-endian without leading zeros (OpenSSL's BN_bn2bin). */
static int rp_oracle_body(EVP_PKEY *pkey, uint8_t *out, size_t *e_len,
			  size_t *n_len)
{
	BIGNUM *n = NULL, *e = NULL;
	int ret = -EIO;

	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) != 1)
		goto out;
	*e_len = (size_t)BN_bn2bin(e, out);
	*n_len = (size_t)BN_bn2bin(n, out + *e_len);
	ret = 0;
out:
	BN_free(n);
	BN_free(e);
	return ret;
}

/* PKCS#1 RSAPublicKey DER of @pkey, from OpenSSL. */
static int rp_oracle_der(EVP_PKEY *pkey, uint8_t *out, size_t room)
{
	unsigned char *p = NULL;
	int len = i2d_PublicKey(pkey, &p);

	if (len <= 0 || (size_t)len > room) {
		OPENSSL_free(p);
		return -EIO;
	}
	memcpy(out, p, len);
	OPENSSL_free(p);
	return len;
}

static EVP_PKEY *rp_gen(unsigned int bits, unsigned int e)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *pkey = NULL;
	BIGNUM *bn = BN_new();

	if (ctx && bn && BN_set_word(bn, e) &&
	    EVP_PKEY_keygen_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) == 1 &&
	    EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, bn) == 1 &&
	    EVP_PKEY_keygen(ctx, &pkey) != 1)
		pkey = NULL;
	BN_free(bn);
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/* --- the fixture ------------------------------------------------------------------- */

FIXTURE(pub) {
	struct tk_env env;
	uint8_t der[RP_MAX_DER];
	int der_len;
};

FIXTURE_SETUP(pub)
{
	TK_ENV_SETUP(&self->env);
	self->der_len = rp_oracle_der(self->env.rsa.pkey, self->der,
				      sizeof(self->der));
	ASSERT_LT(0, self->der_len);
}

FIXTURE_TEARDOWN(pub)
{
	TK_ENV_TEARDOWN(&self->env);
}

static long rp_public_keys(void)
{
	struct sp_stats st;

	return sp_stats_read(&st) ? -1 : st.public_key;
}

/* The export of @handle must be OpenSSL's e || n for @pkey. */
#define rp_check_export(fd, handle, pkey, bits) \
	__rp_check_export(_metadata, fd, handle, pkey, bits)
static void __rp_check_export(struct __test_metadata *_metadata, int fd,
			      uint32_t handle, EVP_PKEY *pkey,
			      unsigned int bits)
{
	static uint8_t want[2 * RP_MAX_N], got[2 * RP_MAX_N];
	struct sslprov_pubkey_export a;
	size_t e_len, n_len;

	ASSERT_EQ(0, rp_oracle_body(pkey, want, &e_len, &n_len));
	/* Size query first: lengths only. */
	ASSERT_EQ(0, rp_export(fd, &a, handle, NULL, 0));
	EXPECT_EQ(bits, a.bits);
	EXPECT_EQ(e_len, a.e_len);
	EXPECT_EQ(n_len, a.n_len);

	memset(got, 0xa5, sizeof(got));
	ASSERT_EQ(0, rp_export(fd, &a, handle, got, sizeof(got)));
	EXPECT_EQ(bits, a.bits);
	ASSERT_EQ(e_len, a.e_len);
	ASSERT_EQ(n_len, a.n_len);
	EXPECT_EQ(0, memcmp(want, got, e_len + n_len));
	/* Nothing written past the body. */
	EXPECT_EQ(0xa5, got[e_len + n_len]);
}

TEST_F_TIMEOUT(pub, import_openssl_der, SP_TIMEOUT)
{
	struct sslprov_pubkey_export a;
	long before = rp_public_keys();
	uint32_t h;
	int ret;

	ret = rp_import(self->env.fd, self->der, self->der_len, &h);
	ASSERT_EQ(0, ret) TH_LOG("PUBKEY_IMPORT: %s", sp_errname(ret));
	EXPECT_EQ(before + 1, rp_public_keys());
	rp_check_export(self->env.fd, h, self->env.rsa.pkey, TK_RSA_BITS);
	EXPECT_EQ(0, sp_free(self->env.fd, h));
	EXPECT_EQ(before, rp_public_keys());
	/* A freed handle is gone. */
	EXPECT_EQ(-EBADF, rp_export(self->env.fd, &a, h, NULL, 0));
}

TEST_F_TIMEOUT(pub, export_private_key, SP_TIMEOUT)
{
	/* The private key object gives its public half, and only that. */
	rp_check_export(self->env.fd, self->env.key, self->env.rsa.pkey,
			TK_RSA_BITS);
}

TEST_F_TIMEOUT(pub, import_e3_1024, SP_TIMEOUT)
{
	static uint8_t der[RP_MAX_DER];
	EVP_PKEY *pkey = rp_gen(1024, 3);
	uint32_t h;
	int len, ret;

	ASSERT_NE(NULL, pkey) TH_LOG("keygen: %s", tk_ossl_err());
	len = rp_oracle_der(pkey, der, sizeof(der));
	ASSERT_LT(0, len);
	ret = rp_import(self->env.fd, der, len, &h);
	ASSERT_EQ(0, ret) TH_LOG("PUBKEY_IMPORT: %s", sp_errname(ret));
	rp_check_export(self->env.fd, h, pkey, 1024);
	EVP_PKEY_free(pkey);
}

/* The size limits: 1024 and 16384 bits are in, one bit less or more out. */
TEST_F_TIMEOUT(pub, import_size_limits, SP_TIMEOUT)
{
	static const struct { unsigned int bits; int want; } cases[] = {
		{ SSLPROV_RSA_MIN_BITS, 0 },
		{ SSLPROV_RSA_MAX_BITS, 0 },
		{ SSLPROV_RSA_MIN_BITS - 1, -EOPNOTSUPP },
		{ 512, -EOPNOTSUPP },
		{ SSLPROV_RSA_MAX_BITS + 1, -EOPNOTSUPP },
		{ SSLPROV_RSA_MAX_BITS + 8, -EOPNOTSUPP },
	};
	static uint8_t der[RP_MAX_DER];
	struct sslprov_pubkey_export a;
	long before = rp_public_keys();
	unsigned int i;
	uint32_t h;
	size_t len;
	int ret;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = rp_der_bits(der, cases[i].bits);
		ASSERT_LT(0, len);
		h = 0;
		ret = rp_import(self->env.fd, der, (uint32_t)len, &h);
		EXPECT_EQ(cases[i].want, ret)
			TH_LOG("%u bits: %s", cases[i].bits, sp_errname(ret));
		if (ret)
			continue;
		EXPECT_EQ(0, rp_export(self->env.fd, &a, h, NULL, 0));
		EXPECT_EQ(cases[i].bits, a.bits);
		EXPECT_EQ((cases[i].bits + 7) / 8, a.n_len);
		EXPECT_EQ(3, a.e_len);
		EXPECT_EQ(0, sp_free(self->env.fd, h));
	}
	EXPECT_EQ(before, rp_public_keys());
}

/* Each DER below breaks one rule and must give -EILSEQ, no object. */
TEST_F_TIMEOUT(pub, import_malformed, SP_TIMEOUT)
{
	static uint8_t mag[RP_MAX_N], n[RP_MAX_N], bad[RP_MAX_N + 2];
	static uint8_t der[RP_MAX_DER];
	static const uint8_t e_one[] = { 0x01 }, e_two[] = { 0x02 };
	static const uint8_t e_zero_lead[] = { 0x00, 0x01, 0x00, 0x01 };
	static const uint8_t e_neg[] = { 0x81 };
	long before = rp_public_keys();
	size_t mlen, nlen, len;
	uint32_t h;
	int ret;

#define EXPECT_EILSEQ(buf, l, what) do {				\
	h = 0;								\
	ret = rp_import(self->env.fd, buf, (uint32_t)(l), &h);		\
	EXPECT_EQ(-EILSEQ, ret) TH_LOG("%s: %s", what, sp_errname(ret)); \
	if (!ret)							\
		sp_free(self->env.fd, h);				\
} while (0)

	mlen = rp_odd(mag, TK_RSA_BITS);
	ASSERT_EQ(TK_RSA_BITS / 8, mlen);
	nlen = rp_int(n, mag, mlen);

	/* The control: this modulus with F4 is accepted. */
	len = rp_der_pub(der, n, nlen, rp_f4, sizeof(rp_f4));
	ASSERT_EQ(0, rp_import(self->env.fd, der, (uint32_t)len, &h));
	ASSERT_EQ(0, sp_free(self->env.fd, h));

	/* A byte after the SEQUENCE; the SEQUENCE cut short. */
	der[len] = 0;
	EXPECT_EILSEQ(der, len + 1, "trailing byte");
	EXPECT_EILSEQ(der, len - 1, "truncated");
	EXPECT_EILSEQ(der, 2, "header only");

	/* n negative: the top bit set without the 0x00. */
	len = rp_der_pub(der, mag, mlen, rp_f4, sizeof(rp_f4));
	EXPECT_EILSEQ(der, len, "negative n");

	/* n with a needless leading zero. */
	bad[0] = 0;
	memcpy(bad + 1, n, nlen);
	len = rp_der_pub(der, bad, nlen + 1, rp_f4, sizeof(rp_f4));
	EXPECT_EILSEQ(der, len, "n: extra leading zero");

	/* e with a leading zero, e negative, e = 1, e even. */
	len = rp_der_pub(der, n, nlen, e_zero_lead, sizeof(e_zero_lead));
	EXPECT_EILSEQ(der, len, "e: leading zero");
	len = rp_der_pub(der, n, nlen, e_neg, sizeof(e_neg));
	EXPECT_EILSEQ(der, len, "e negative");
	len = rp_der_pub(der, n, nlen, e_one, sizeof(e_one));
	EXPECT_EILSEQ(der, len, "e = 1");
	len = rp_der_pub(der, n, nlen, e_two, sizeof(e_two));
	EXPECT_EILSEQ(der, len, "e = 2");

	/* e = n, and e longer than n. */
	len = rp_der_pub(der, n, nlen, n, nlen);
	EXPECT_EILSEQ(der, len, "e = n");
	memcpy(bad, n, nlen);
	bad[nlen] = 0x01;
	len = rp_der_pub(der, n, nlen, bad, nlen + 1);
	EXPECT_EILSEQ(der, len, "e longer than n");

	/* n even. */
	memcpy(bad, n, nlen);
	bad[nlen - 1] &= 0xfe;
	len = rp_der_pub(der, bad, nlen, rp_f4, sizeof(rp_f4));
	EXPECT_EILSEQ(der, len, "n even");

	/* Not a public key at all: the private key's DER, an OCTET STRING. */
	EXPECT_EILSEQ(self->env.rsa.der, self->env.rsa.der_len,
		      "RSAPrivateKey DER");
	len = rp_der_tlv(der, 0x04, n, nlen);
	EXPECT_EILSEQ(der, len, "OCTET STRING");
#undef EXPECT_EILSEQ

	EXPECT_EQ(before, rp_public_keys());
}

TEST_F_TIMEOUT(pub, import_bad_args, SP_TIMEOUT)
{
	struct sslprov_pubkey_import a;
	long before = rp_public_keys();
	uint8_t *ro;

	EXPECT_EQ(-EINVAL, rp_import(self->env.fd, self->der, 0, NULL));
	EXPECT_EQ(-EINVAL, rp_import(self->env.fd, self->der,
				     SSLPROV_MAX_KEY_DER + 1, NULL));
	EXPECT_EQ(-EINVAL, rp_import(self->env.fd, self->der, UINT32_MAX,
				     NULL));
	EXPECT_EQ(-EFAULT, rp_import(self->env.fd, NULL, self->der_len, NULL));
	EXPECT_EQ(-EFAULT, rp_import(self->env.fd, sp_unmapped_addr(),
				     self->der_len, NULL));

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.flags = 1;
	a.der_len = self->der_len;
	a.der = (uintptr_t)self->der;
	EXPECT_EQ(-EINVAL, sp_ioctl(self->env.fd, SSLPROV_IOC_PUBKEY_IMPORT,
				    &a));
	a.flags = 0x80000000;
	EXPECT_EQ(-EINVAL, sp_ioctl(self->env.fd, SSLPROV_IOC_PUBKEY_IMPORT,
				    &a));

	/* A read-only DER is fine: the module only reads it. */
	ro = mmap(NULL, 4096 * 2, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	memcpy(ro, self->der, self->der_len);
	ASSERT_EQ(0, mprotect(ro, 4096 * 2, PROT_READ));
	a.flags = 0;
	a.der = (uintptr_t)ro;
	EXPECT_EQ(0, sp_ioctl(self->env.fd, SSLPROV_IOC_PUBKEY_IMPORT, &a));
	EXPECT_EQ(0, sp_free(self->env.fd, a.handle));
	munmap(ro, 4096 * 2);

	EXPECT_EQ(before, rp_public_keys());
}

TEST_F_TIMEOUT(pub, export_bad_args, SP_TIMEOUT)
{
	static uint8_t buf[2 * RP_MAX_N];
	struct sslprov_pubkey_export a;
	uint32_t h, hash, master, need;
	struct tk_hs hs;
	int fd2, ret;

	ASSERT_EQ(0, rp_import(self->env.fd, self->der, self->der_len, &h));
	ASSERT_EQ(0, rp_export(self->env.fd, &a, h, NULL, 0));
	need = a.e_len + a.n_len;
	ASSERT_EQ(3 + TK_RSA_BITS / 8, need);

	/* One byte short: the lengths come back, the buffer is untouched. */
	memset(buf, 0x5a, sizeof(buf));
	ret = rp_export(self->env.fd, &a, h, buf, need - 1);
	EXPECT_EQ(-ENOBUFS, ret) TH_LOG("short buffer: %s", sp_errname(ret));
	EXPECT_EQ(TK_RSA_BITS, a.bits);
	EXPECT_EQ(need, a.e_len + a.n_len);
	EXPECT_EQ(0x5a, buf[0]);
	EXPECT_EQ(0x5a, buf[need - 2]);
	ret = rp_export(self->env.fd, &a, h, buf, 1);
	EXPECT_EQ(-ENOBUFS, ret);

	/* Exactly enough works. */
	EXPECT_EQ(0, rp_export(self->env.fd, &a, h, buf, need));

	/* Flags and the reserved word. */
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.handle = h;
	a.flags = 1;
	EXPECT_EQ(-EINVAL, sp_ioctl(self->env.fd, SSLPROV_IOC_PUBKEY_EXPORT,
				    &a));
	a.flags = 0;
	a.__reserved = 1;
	EXPECT_EQ(-EINVAL, sp_ioctl(self->env.fd, SSLPROV_IOC_PUBKEY_EXPORT,
				    &a));

	/* An unmapped or read-only buffer. */
	EXPECT_EQ(-EFAULT, rp_export(self->env.fd, &a, h, sp_unmapped_addr(),
				     need));
	EXPECT_EQ(-EFAULT, rp_export(self->env.fd, &a, h,
				     (void *)rp_f4, need));

	/* Handles: a hash, a master key, nothing, another file's key. */
	ASSERT_EQ(0, sp_new_hash(self->env.fd, &hash));
	EXPECT_EQ(-EBADF, rp_export(self->env.fd, &a, hash, NULL, 0));
	ASSERT_EQ(0, tk_hs_new(&hs, &self->env.rsa, SP_TLS1_2,
			       SP_RSA_AES128_GCM_SHA256, SP_TLS1_2));
	ASSERT_EQ(0, tk_hs_import(self->env.fd, self->env.key, &hs, &master));
	EXPECT_EQ(-EKEYREJECTED, rp_export(self->env.fd, &a, master, NULL, 0));
	EXPECT_EQ(-EBADF, rp_export(self->env.fd, &a, 0, NULL, 0));
	EXPECT_EQ(-EBADF, rp_export(self->env.fd, &a, UINT32_MAX, NULL, 0));
	fd2 = sp_open();
	ASSERT_LE(0, fd2);
	EXPECT_EQ(-EBADF, rp_export(fd2, &a, h, NULL, 0));
	EXPECT_EQ(-EBADF, rp_export(fd2, &a, self->env.key, NULL, 0));
	close(fd2);
}

/* A public key cannot stand in for a private one. */
TEST_F_TIMEOUT(pub, public_key_cannot_decrypt, SP_TIMEOUT)
{
	struct sp_stats st;
	uint32_t h, master = 0;
	struct tk_hs hs;
	long masters;
	int ret;

	ASSERT_EQ(0, rp_import(self->env.fd, self->der, self->der_len, &h));
	ASSERT_EQ(0, tk_hs_new(&hs, &self->env.rsa, SP_TLS1_2,
			       SP_RSA_AES128_GCM_SHA256, SP_TLS1_2));
	ASSERT_EQ(0, sp_stats_read(&st));
	masters = st.master_key;
	ret = tk_hs_import(self->env.fd, h, &hs, &master);
	EXPECT_EQ(-EKEYREJECTED, ret) TH_LOG("MASTER_IMPORT: %s",
					     sp_errname(ret));
	ASSERT_EQ(0, sp_stats_read(&st));
	EXPECT_EQ(masters, st.master_key);
}

TEST_HARNESS_MAIN
