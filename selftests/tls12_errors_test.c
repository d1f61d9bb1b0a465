// SPDX-License-Identifier: GPL-2.0
/*
 * Every documented error of MASTER_IMPORT, FINISHED and SESSION_KEYS
 * (uapi/linux/sslprov.h, "Errors"): bad, foreign and freed handles
 * (EBADF), a non-key where a key is expected (EBADF), a key of the wrong
 * kind (EKEYREJECTED), flags (EBADRQC), protocols and suites the module
 * does not do (EOPNOTSUPP), bad lengths and reserved fields (EINVAL), bad
 * pointers (EFAULT).  Each refused call must leave no object behind, and
 * the objects it named must still work afterwards.
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

FIXTURE(err) {
	struct tk_env env;
	struct tk_hs hs;	/* a good TLS 1.2 handshake */
	uint32_t master;	/* its master key */
	uint32_t hash;		/* a TLS 1.2 SHA-256 hash */
	uint32_t rk, wk;	/* session keys */
	uint32_t freed;		/* a freed handle */
	uint32_t foreign;	/* a handle number not in use on env.fd */
	int other;		/* another file */
	uint32_t other_key;	/* private key object of the other file */
};

FIXTURE_SETUP(err)
{
	uint32_t h[8];
	int i, ret;

	self->other = -1;
	TK_ENV_SETUP(&self->env);
	ASSERT_EQ(0, tk_hs_new(&self->hs, &self->env.rsa, 0x0303, 0x009c,
			       0x0303));
	ASSERT_EQ(0, tk_hs_import(self->env.fd, self->env.key, &self->hs,
				  &self->master));
	ASSERT_EQ(0, sp_new_hash(self->env.fd, &self->hash));
	ASSERT_EQ(0, sp_new_hash(self->env.fd, &self->freed));
	ASSERT_EQ(0, sp_free(self->env.fd, self->freed));
	ret = tk_session_keys(self->env.fd, self->master, 0, self->hs.cr,
			      self->hs.sr, &self->rk, &self->wk);
	ASSERT_EQ(0, ret) TH_LOG("SESSION_KEYS: %s", sp_errname(ret));

	/*
	 * Another file whose private key has a handle number this file does
	 * not use: the same number would name another object here.
	 */
	self->other = sp_open();
	ASSERT_LE(0, self->other);
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, sp_new_hash(self->other, &h[i]));
	ASSERT_EQ(0, tk_key_import(self->other, self->env.rsa.der,
				   self->env.rsa.der_len, &self->other_key));
	ASSERT_EQ(-EBADF, sp_free(self->env.fd, self->other_key))
		TH_LOG("handle %u is in use on both files: pick another",
		       self->other_key);
	self->foreign = self->other_key;
}

FIXTURE_TEARDOWN(err)
{
	if (self->other >= 0)
		close(self->other);
	TK_ENV_TEARDOWN(&self->env);
}


static void check_untouched(struct __test_metadata *_metadata,
			    FIXTURE_DATA(err) *self)
{
	/* key, master, hash, read key, write key */
	EXPECT_EQ(5, sp_live_objects(self->env.fd))
		TH_LOG("a refused call created or freed an object");
	EXPECT_TRUE(tk_check_master(self->env.fd, self->master, 0x0303, 0x009c,
				    self->hs.ms, "the master after refused calls"));
	EXPECT_TRUE(tk_check_key(self->env.fd, self->env.key, &self->env.rsa,
				 "the key after refused calls"));
}

/* --- MASTER_IMPORT ----------------------------------------------------------- */

/* A good MASTER_IMPORT argument; tests break one field. */
static void good_args(FIXTURE_DATA(err) *self, struct sslprov_master_import *a)
{
	tk_mi_init(a, self->env.key, 0x0303, 0x009c, 0x0303, self->hs.enc,
		   (uint32_t)self->hs.enc_len, self->hs.cr, self->hs.sr);
}

#define EXPECT_MI(want, a, fmt, ...) do {				\
	uint32_t __h = 0;						\
	int __ret = tk_master_import(self->env.fd, (a), &__h);		\
	EXPECT_EQ(want, __ret)						\
		TH_LOG("MASTER_IMPORT with " fmt ": %s, want %s",	\
		       ##__VA_ARGS__, sp_errname(__ret),		\
		       sp_errname(want));				\
	if (!__ret)							\
		sp_free(self->env.fd, __h);				\
} while (0)

TEST_F_TIMEOUT(err, master_import_handles, SP_TIMEOUT_LONG)
{
	static const uint32_t bad[] = { 0, 0xffff, 0x7fffffff, 0xffffffff };
	struct sslprov_master_import a;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		good_args(self, &a);
		a.private_key = bad[i];
		EXPECT_MI(-EBADF, &a, "private_key %#x (no such handle)",
			  bad[i]);
	}
	good_args(self, &a);
	a.private_key = self->freed;
	EXPECT_MI(-EBADF, &a, "a freed handle");
	a.private_key = self->foreign;
	EXPECT_MI(-EBADF, &a, "another file's private key %u", self->foreign);
	a.private_key = self->hash;
	EXPECT_MI(-EBADF, &a, "a hash handle (not a key)");
	a.private_key = self->master;
	EXPECT_MI(-EKEYREJECTED, &a, "a master key handle");
	a.private_key = self->rk;
	EXPECT_MI(-EKEYREJECTED, &a, "a session (read) key handle");
	a.private_key = self->wk;
	EXPECT_MI(-EKEYREJECTED, &a, "a session (write) key handle");
	/* The other file may use its own key. */
	good_args(self, &a);
	a.private_key = self->other_key;
	{
		uint32_t h;
		int ret = tk_master_import(self->other, &a, &h);

		EXPECT_EQ(0, ret) TH_LOG("the other file's own key: %s",
					 sp_errname(ret));
	}
	check_untouched(_metadata, self);
}

TEST_F_TIMEOUT(err, master_import_flags_protocol_suite, SP_TIMEOUT_LONG)
{
	static const uint32_t flags[] = {
		0, SSLPROV_CLIENT, SSLPROV_CLIENT | SSLPROV_SERVER, 4,
		SSLPROV_SERVER | 4, SSLPROV_SERVER | 0x80000000, 0xffffffff,
	};
	static const uint32_t protocols[] = {
		0x0300,		/* SSL 3.0 */
		0x0002,		/* SSL 2.0 */
		0x0304,		/* TLS 1.3: no RSA key exchange */
		0x0200, 0x0000, 0x0305, 0xfeff /* DTLS 1.0 */, 0xfefd,
		0x00010303, 0xffffffff,
	};
	static const struct { uint32_t protocol, suite; const char *what; } suites[] = {
		{ 0x0303, 0x0000, "TLS_NULL_WITH_NULL_NULL" },
		{ 0x0303, 0x1301, "TLS_AES_128_GCM_SHA256 (TLS 1.3)" },
		{ 0x0303, 0xc02f, "ECDHE_RSA_WITH_AES_128_GCM_SHA256 (not RSA kx)" },
		{ 0x0303, 0x009e, "DHE_RSA_WITH_AES_128_GCM_SHA256 (not RSA kx)" },
		{ 0x0303, 0xffff, "0xffff" },
		{ 0x0303, 0x0001009c, "0x0001009c (high bits)" },
		{ 0x0301, 0x009c, "0x009c with TLS 1.0 (GCM needs TLS 1.2)" },
		{ 0x0302, 0x009d, "0x009d with TLS 1.1" },
	};
	struct sslprov_master_import a;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		good_args(self, &a);
		a.flags = flags[i];
		EXPECT_MI(-EBADRQC, &a, "flags %#x", flags[i]);
	}
	for (i = 0; i < ARRAY_SIZE(protocols); i++) {
		good_args(self, &a);
		a.protocol = protocols[i];
		a.cipher_suite = 0x002f;
		EXPECT_MI(-EOPNOTSUPP, &a, "protocol %#x", protocols[i]);
	}
	for (i = 0; i < ARRAY_SIZE(suites); i++) {
		good_args(self, &a);
		a.protocol = suites[i].protocol;
		a.cipher_suite = suites[i].suite;
		EXPECT_MI(-EOPNOTSUPP, &a, "suite %s", suites[i].what);
	}
	check_untouched(_metadata, self);
}

TEST_F_TIMEOUT(err, master_import_lengths_reserved, SP_TIMEOUT_LONG)
{
	static const struct { uint32_t protocol, suite, len; } sh[] = {
		{ 0x0303, 0x009c, 1 }, { 0x0303, 0x009c, 31 },
		{ 0x0303, 0x009c, 33 }, { 0x0303, 0x009c, 36 },
		{ 0x0303, 0x009c, 48 }, { 0x0303, 0x009c, 49 },
		{ 0x0303, 0x009c, 0xffffffff }, { 0x0303, 0x009d, 32 },
		{ 0x0303, 0x009d, 36 }, { 0x0303, 0x009d, 49 },
		{ 0x0301, 0x002f, 32 }, { 0x0302, 0x002f, 48 },
		{ 0x0303, 0x002f, 36 },
	};
	static const uint32_t enc_lens[] = { 0, 2049, 4096, 0x80000000,
					     0xffffffff };
	static uint8_t big[4096];
	struct sslprov_master_import a;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sh); i++) {
		good_args(self, &a);
		a.protocol = sh[i].protocol;
		a.cipher_suite = sh[i].suite;
		a.session_hash_len = sh[i].len;
		EXPECT_MI(-EINVAL, &a,
			  "session_hash_len %u for protocol %#x suite %#06x",
			  sh[i].len, sh[i].protocol, sh[i].suite);
	}
	for (i = 0; i < ARRAY_SIZE(enc_lens); i++) {
		good_args(self, &a);
		a.enc = (uintptr_t)big;
		a.enc_len = enc_lens[i];
		EXPECT_MI(-EINVAL, &a, "enc_len %u", enc_lens[i]);
	}
	/* 2048 bytes is the largest allowed (16384-bit keys): not EINVAL. */
	good_args(self, &a);
	a.enc = (uintptr_t)big;
	a.enc_len = 2048;
	EXPECT_MI(0, &a, "enc_len 2048 (implicit rejection for our 2048-bit key)");

	good_args(self, &a);
	a.__reserved = 1;
	EXPECT_MI(-EINVAL, &a, "__reserved 1");
	good_args(self, &a);
	a.__reserved = 0x80000000;
	EXPECT_MI(-EINVAL, &a, "__reserved 0x80000000");

	good_args(self, &a);
	a.enc = (uintptr_t)sp_unmapped_addr();
	EXPECT_MI(-EFAULT, &a, "an unmapped enc pointer");
	good_args(self, &a);
	a.enc = 0;
	EXPECT_MI(-EFAULT, &a, "a NULL enc pointer");
	check_untouched(_metadata, self);
}

/*
 * client_version is a 16-bit wire value carried in a __u32: bits above
 * must be refused, not silently cut off, so that they stay free for later
 * use (the same rule as unknown trailing bytes, uapi "Argument
 * structures").
 */
TEST_F_TIMEOUT(err, master_import_client_version_range, SP_TIMEOUT_LONG)
{
	struct sslprov_master_import a;

	good_args(self, &a);
	a.client_version = 0x00010303;
	EXPECT_MI(-EINVAL, &a, "client_version 0x00010303");
	good_args(self, &a);
	a.client_version = 0xffff0303;
	EXPECT_MI(-EINVAL, &a, "client_version 0xffff0303");
	check_untouched(_metadata, self);
}

/* --- FINISHED ---------------------------------------------------------------- */

#define EXPECT_FIN(want, m, h, fl, fmt, ...) do {			\
	uint8_t __out[TK_VERIFY_LEN + 4];				\
	int __ret;							\
	memset(__out, 0xa5, sizeof(__out));				\
	__ret = tk_finished(self->env.fd, (m), (h), (fl), __out);	\
	EXPECT_EQ(want, __ret)						\
		TH_LOG("FINISHED with " fmt ": %s, want %s",		\
		       ##__VA_ARGS__, sp_errname(__ret),		\
		       sp_errname(want));				\
	if (__ret)							\
		EXPECT_EQ(0xa5, __out[0]) TH_LOG("a failed FINISHED wrote its output"); \
} while (0)

TEST_F_TIMEOUT(err, finished_errors, SP_TIMEOUT_LONG)
{
	static const uint32_t bad[] = { 0, 0xffff, 0xffffffff };
	static const uint32_t flags[] = { 0, SSLPROV_CLIENT | SSLPROV_SERVER,
					  4, SSLPROV_CLIENT | 0x100,
					  0xffffffff };
	static const uint32_t out_lens[] = { 0, 11, 13, 32, 48, 0xffffffff };
	struct sslprov_finished f;
	uint8_t out[64];
	uint32_t h10;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_FIN(-EBADF, bad[i], self->hash, SSLPROV_CLIENT,
			   "master_key %#x", bad[i]);
		EXPECT_FIN(-EBADF, self->master, bad[i], SSLPROV_CLIENT,
			   "hash %#x", bad[i]);
	}
	EXPECT_FIN(-EBADF, self->freed, self->hash, SSLPROV_CLIENT,
		   "a freed master_key");
	EXPECT_FIN(-EBADF, self->master, self->freed, SSLPROV_CLIENT,
		   "a freed hash");
	EXPECT_FIN(-EBADF, self->foreign, self->hash, SSLPROV_CLIENT,
		   "another file's handle as master_key");
	EXPECT_FIN(-EBADF, self->hash, self->hash, SSLPROV_CLIENT,
		   "a hash as master_key");
	EXPECT_FIN(-EKEYREJECTED, self->env.key, self->hash, SSLPROV_CLIENT,
		   "a private key as master_key");
	EXPECT_FIN(-EKEYREJECTED, self->wk, self->hash, SSLPROV_SERVER,
		   "a session key as master_key");
	EXPECT_FIN(-EBADF, self->master, self->master, SSLPROV_CLIENT,
		   "a master key as hash");
	EXPECT_FIN(-EBADF, self->master, self->env.key, SSLPROV_CLIENT,
		   "a private key as hash");
	for (i = 0; i < ARRAY_SIZE(flags); i++)
		EXPECT_FIN(-EBADRQC, self->master, self->hash, flags[i],
			   "flags %#x", flags[i]);

	for (i = 0; i < ARRAY_SIZE(out_lens); i++) {
		memset(&f, 0, sizeof(f));
		f.size = sizeof(f);
		f.flags = SSLPROV_CLIENT;
		f.master_key = self->master;
		f.hash = self->hash;
		f.out_len = out_lens[i];
		f.out = (uintptr_t)out;
		ret = sp_ioctl(self->env.fd, SSLPROV_IOC_FINISHED, &f);
		EXPECT_EQ(-EINVAL, ret) TH_LOG("out_len %u: %s", out_lens[i],
					       sp_errname(ret));
	}
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	f.flags = SSLPROV_CLIENT;
	f.master_key = self->master;
	f.hash = self->hash;
	f.out_len = TK_VERIFY_LEN;
	f.__reserved = 1;
	f.out = (uintptr_t)out;
	ret = sp_ioctl(self->env.fd, SSLPROV_IOC_FINISHED, &f);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("__reserved 1: %s", sp_errname(ret));
	f.__reserved = 0;
	f.out = (uintptr_t)sp_unmapped_addr();
	ret = sp_ioctl(self->env.fd, SSLPROV_IOC_FINISHED, &f);
	EXPECT_EQ(-EFAULT, ret) TH_LOG("unmapped out: %s", sp_errname(ret));

	/* A TLS 1.0 transcript cannot finish a TLS 1.2 master. */
	ASSERT_EQ(0, sp_hash_create(self->env.fd, 0x0301, 0x002f, &h10));
	EXPECT_FIN(-EINVAL, self->master, h10, SSLPROV_CLIENT,
		   "a TLS 1.0 hash and a TLS 1.2 master");
	EXPECT_EQ(0, sp_free(self->env.fd, h10));
	check_untouched(_metadata, self);
}

/*
 * The transcript hash must be the one of the master's suite: a SHA-384
 * (0x009d) hash cannot finish a SHA-256 (0x009c) master, just as a hash of
 * another protocol cannot (spec 6.2: the handshake hash of a TLS 1.2
 * suite is its PRF hash).  Mixing them would silently give a Finished
 * that no peer computes.
 */
TEST_F_TIMEOUT(err, finished_hash_of_other_suite, SP_TIMEOUT_LONG)
{
	uint32_t h384;

	ASSERT_EQ(0, sp_hash_create(self->env.fd, 0x0303, 0x009d, &h384));
	EXPECT_FIN(-EINVAL, self->master, h384, SSLPROV_CLIENT,
		   "a SHA-384 (0x009d) hash and a SHA-256 (0x009c) master");
	EXPECT_EQ(0, sp_free(self->env.fd, h384));
	check_untouched(_metadata, self);
}

/* --- SESSION_KEYS and HASH_DIGEST --------------------------------------------- */

#define EXPECT_SK(want, m, fl, fmt, ...) do {				\
	uint32_t __r = 0, __w = 0;					\
	int __ret = tk_session_keys(self->env.fd, (m), (fl),		\
				    self->hs.cr, self->hs.sr, &__r, &__w); \
	EXPECT_EQ(want, __ret)						\
		TH_LOG("SESSION_KEYS with " fmt ": %s, want %s",	\
		       ##__VA_ARGS__, sp_errname(__ret),		\
		       sp_errname(want));				\
	if (!__ret) {							\
		sp_free(self->env.fd, __r);				\
		sp_free(self->env.fd, __w);				\
	}								\
} while (0)

TEST_F_TIMEOUT(err, session_keys_errors, SP_TIMEOUT_LONG)
{
	static const uint32_t flags[] = { SSLPROV_CLIENT | SSLPROV_SERVER, 4,
					  0x80000000, 0xffffffff };
	struct sslprov_session_keys a;
	struct tk_hs hs10;
	uint32_t m10, dh;
	uint8_t d[SSLPROV_MAX_SESSION_HASH];
	size_t i;
	int ret;

	EXPECT_SK(-EBADF, 0, 0, "master_key 0");
	EXPECT_SK(-EBADF, 0xffffffff, 0, "master_key 0xffffffff");
	EXPECT_SK(-EBADF, self->freed, 0, "a freed handle");
	EXPECT_SK(-EBADF, self->foreign, 0, "another file's handle");
	EXPECT_SK(-EBADF, self->hash, 0, "a hash");
	EXPECT_SK(-EKEYREJECTED, self->env.key, 0, "a private key");
	EXPECT_SK(-EKEYREJECTED, self->rk, 0, "a session key");
	for (i = 0; i < ARRAY_SIZE(flags); i++)
		EXPECT_SK(-EBADRQC, self->master, flags[i], "flags %#x",
			  flags[i]);

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.master_key = self->master;
	a.__reserved = 1;
	ret = sp_ioctl(self->env.fd, SSLPROV_IOC_SESSION_KEYS, &a);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("__reserved 1: %s", sp_errname(ret));

	/* Records exist only for AES-GCM: a CBC master has no session keys. */
	ASSERT_EQ(0, tk_hs_new(&hs10, &self->env.rsa, 0x0301, 0x002f, 0x0301));
	ASSERT_EQ(0, tk_hs_import(self->env.fd, self->env.key, &hs10, &m10));
	EXPECT_SK(-EOPNOTSUPP, m10, 0, "a TLS 1.0 AES-CBC master");
	EXPECT_EQ(0, sp_free(self->env.fd, m10));

	/* HASH_DIGEST wants a hash. */
	ret = tk_hash_digest(self->env.fd, self->env.key, d, &dh);
	EXPECT_EQ(-EBADF, ret) TH_LOG("HASH_DIGEST of a private key: %s",
				      sp_errname(ret));
	ret = tk_hash_digest(self->env.fd, self->master, d, &dh);
	EXPECT_EQ(-EBADF, ret) TH_LOG("HASH_DIGEST of a master key: %s",
				      sp_errname(ret));
	check_untouched(_metadata, self);
}

/* Success: two distinct new handles, counted as session keys. */
TEST_F_TIMEOUT(err, session_keys_handles, SP_TIMEOUT_LONG)
{
	struct sp_stats before, after;
	uint8_t cr[3][32], sr[3][32];
	uint32_t r[3], w[3];
	uint32_t fl[3] = { 0, SSLPROV_SERVER, SSLPROV_CLIENT };
	int i, j, ret;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, tk_random(cr[i], 32));
		ASSERT_EQ(0, tk_random(sr[i], 32));
		ASSERT_EQ(0, sp_stats_read(&before));
		ret = tk_session_keys(self->env.fd, self->master, fl[i],
				      cr[i], sr[i], &r[i], &w[i]);
		ASSERT_EQ(0, ret) TH_LOG("flags %#x: %s", fl[i], sp_errname(ret));
		ASSERT_EQ(0, sp_stats_read(&after));
		EXPECT_EQ(before.session_key + 2, after.session_key);
		EXPECT_NE(0, r[i]);
		EXPECT_NE(0, w[i]);
		EXPECT_NE(r[i], w[i]);
		for (j = 0; j < i; j++) {
			EXPECT_NE(r[j], r[i]);
			EXPECT_NE(w[j], w[i]);
		}
		EXPECT_NE(self->rk, r[i]);
		EXPECT_NE(self->wk, w[i]);
	}
	EXPECT_EQ(5 + 6, sp_live_objects(self->env.fd));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0, sp_free(self->env.fd, r[i]));
		EXPECT_EQ(0, sp_free(self->env.fd, w[i]));
	}
	/* The master outlives its session keys and the other way round. */
	EXPECT_TRUE(tk_check_master(self->env.fd, self->master, 0x0303, 0x009c,
				    self->hs.ms, "master after freeing session keys"));
}

/*
 * The same keys twice would restart the sequence numbers of the same GCM
 * key, so one master derives once per (randoms, side): a repeat is refused
 * (also after the first pair is freed), the other side or other randoms
 * are not.
 */
TEST_F_TIMEOUT(err, session_keys_no_repeat, SP_TIMEOUT_LONG)
{
	uint8_t sr2[32];
	uint32_t r, w;
	int ret;

	/* The fixture derived (hs.cr, hs.sr, server) already. */
	EXPECT_SK(-EINVAL, self->master, 0, "the randoms and side of the fixture's keys");
	EXPECT_SK(-EINVAL, self->master, SSLPROV_SERVER,
		  "the same randoms, flags SERVER (the master's own side)");
	EXPECT_EQ(0, sp_free(self->env.fd, self->rk));
	EXPECT_EQ(0, sp_free(self->env.fd, self->wk));
	EXPECT_SK(-EINVAL, self->master, 0, "the same again after FREE of the first pair");
	EXPECT_SK(0, self->master, SSLPROV_CLIENT, "the same randoms, the other side");
	EXPECT_SK(-EINVAL, self->master, SSLPROV_CLIENT, "the client side again");

	memcpy(sr2, self->hs.sr, 32);
	sr2[31] ^= 1;
	ret = tk_session_keys(self->env.fd, self->master, 0, self->hs.cr, sr2,
			      &r, &w);
	EXPECT_EQ(0, ret) TH_LOG("one bit of server_random changed: %s",
				 sp_errname(ret));
	/* Swapped randoms are other randoms. */
	ret = tk_session_keys(self->env.fd, self->master, 0, self->hs.sr,
			      self->hs.cr, &self->rk, &self->wk);
	EXPECT_EQ(0, ret) TH_LOG("client and server random swapped: %s",
				 sp_errname(ret));
	if (!ret) {
		EXPECT_EQ(0, sp_free(self->env.fd, r));
		EXPECT_EQ(0, sp_free(self->env.fd, w));
	}
	check_untouched(_metadata, self);
}

/*
 * A master resumed many times keeps every claim: after a few hundred
 * distinct derivations (each pair freed at once) each earlier one is still
 * refused, in any order, and a new one still works.  The module keeps the
 * claims in a tree, so this also checks that its lookup and its insertion
 * order agree.
 */
#define MANY_DERIVATIONS 300

TEST_F_TIMEOUT(err, session_keys_many_derivations, SP_TIMEOUT_LONG)
{
	static uint8_t sr[MANY_DERIVATIONS][32];
	uint8_t cr[32], pick[2];
	uint32_t r, w;
	int i, k, ret;

	ASSERT_EQ(0, tk_random(cr, sizeof(cr)));
	ASSERT_EQ(0, tk_random(sr, sizeof(sr)));
	for (i = 0; i < MANY_DERIVATIONS; i++) {
		ret = tk_session_keys(self->env.fd, self->master, 0, cr, sr[i],
				      &r, &w);
		ASSERT_EQ(0, ret) TH_LOG("derivation %d: %s", i, sp_errname(ret));
		ASSERT_EQ(0, sp_free(self->env.fd, r));
		ASSERT_EQ(0, sp_free(self->env.fd, w));
	}
	for (k = 0; k < 64; k++) {
		ASSERT_EQ(0, tk_random(pick, sizeof(pick)));
		i = (pick[0] << 8 | pick[1]) % MANY_DERIVATIONS;
		ret = tk_session_keys(self->env.fd, self->master, 0, cr, sr[i],
				      &r, &w);
		EXPECT_EQ(-EINVAL, ret) TH_LOG("derivation %d again: %s", i,
					       sp_errname(ret));
	}
	/* The first and the last, which sit at the ends of any order. */
	EXPECT_EQ(-EINVAL, tk_session_keys(self->env.fd, self->master, 0, cr,
					   sr[0], &r, &w));
	EXPECT_EQ(-EINVAL, tk_session_keys(self->env.fd, self->master, 0, cr,
					   sr[MANY_DERIVATIONS - 1], &r, &w));
	cr[0] ^= 1;
	ret = tk_session_keys(self->env.fd, self->master, 0, cr, sr[0], &r, &w);
	EXPECT_EQ(0, ret) TH_LOG("a new client_random: %s", sp_errname(ret));
	if (!ret) {
		EXPECT_EQ(0, sp_free(self->env.fd, r));
		EXPECT_EQ(0, sp_free(self->env.fd, w));
	}
	check_untouched(_metadata, self);
}

/*
 * A SESSION_KEYS that fails (no room for the objects, or the result cannot
 * be written back) hands out no keys, so nothing was ever encrypted under
 * them: the same derivation must work when retried.
 */
TEST_F_TIMEOUT(err, session_keys_retry_after_failure, SP_TIMEOUT_LONG)
{
	struct sslprov_session_keys *ro;
	uint8_t cr[32], sr[32];
	long saved, pg = sysconf(_SC_PAGESIZE);
	uint32_t r, w;
	int live, ret, ret2;

	if (geteuid() != 0)
		SKIP(return, "needs root to lower max_objects");
	live = sp_live_objects(self->env.fd);
	ASSERT_LT(0, live);
	ASSERT_EQ(0, tk_random(cr, 32));
	ASSERT_EQ(0, tk_random(sr, 32));

	/* Room for one object: the second session key does not fit. */
	ASSERT_EQ(0, sp_read_max_objects(&saved));
	ASSERT_EQ(0, sp_set_max_objects(live + 1));
	ret = tk_session_keys(self->env.fd, self->master, 0, cr, sr, &r, &w);
	ret2 = sp_set_max_objects(saved);
	ASSERT_EQ(0, ret2) TH_LOG("could not restore max_objects=%ld", saved);
	ASSERT_EQ(-ENOSPC, ret) TH_LOG("SESSION_KEYS with room for one object: %s",
				       sp_errname(ret));
	EXPECT_EQ(live, sp_live_objects(self->env.fd));
	ret = tk_session_keys(self->env.fd, self->master, 0, cr, sr, &r, &w);
	EXPECT_EQ(0, ret) TH_LOG("SESSION_KEYS retried after ENOSPC: %s (the failed call used up the derivation)",
				 sp_errname(ret));
	if (!ret) {
		EXPECT_EQ(0, sp_free(self->env.fd, r));
		EXPECT_EQ(0, sp_free(self->env.fd, w));
	}

	/* The argument in a read-only page: the handles cannot be written. */
	ASSERT_EQ(0, tk_random(cr, 32));
	ro = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		  -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	memset(ro, 0, sizeof(*ro));
	ro->size = sizeof(*ro);
	ro->master_key = self->master;
	memcpy(ro->client_random, cr, 32);
	memcpy(ro->server_random, sr, 32);
	ASSERT_EQ(0, mprotect(ro, pg, PROT_READ));
	ret = sp_ioctl(self->env.fd, SSLPROV_IOC_SESSION_KEYS, ro);
	EXPECT_EQ(-EFAULT, ret) TH_LOG("SESSION_KEYS with a read-only argument: %s",
				       sp_errname(ret));
	EXPECT_EQ(live, sp_live_objects(self->env.fd));
	munmap(ro, pg);
	ret = tk_session_keys(self->env.fd, self->master, 0, cr, sr, &r, &w);
	EXPECT_EQ(0, ret) TH_LOG("SESSION_KEYS retried after EFAULT: %s (the failed call used up the derivation)",
				 sp_errname(ret));
	if (!ret) {
		EXPECT_EQ(0, sp_free(self->env.fd, r));
		EXPECT_EQ(0, sp_free(self->env.fd, w));
	}
	check_untouched(_metadata, self);
}

TEST_HARNESS_MAIN
