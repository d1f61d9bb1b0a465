/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the tls12_*_test programs: raw ioctl wrappers for the key,
 * master-secret, Finished, session-key and record operations, one
 * server-side RSA handshake, a fixture body with a leak check, and checks
 * of the module against the oracles of tls12_oracle.h.
 *
 * Include after kselftest_harness.h and sslprov_test.h, once per program.
 * Functions named tk_*() never use the harness's assertions and return 0 or
 * a negative errno; tk_check_*() and TK_ENV_*() take the test's _metadata
 * and report mismatches with EXPECT_*().
 */
#ifndef TLS12_COMMON_H
#define TLS12_COMMON_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <linux/sslprov.h>

#include "tls12_oracle.h"

/* --- raw ioctl wrappers ----------------------------------------------------------- */

static TK_UNUSED int tk_key_import(int fd, const void *der, uint32_t len,
				   uint32_t *handle)
{
	struct sslprov_key_import a = {
		.size = sizeof(a),
		.der_len = len,
		.der = (uintptr_t)der,
	};
	int ret = sp_ioctl(fd, SSLPROV_IOC_KEY_IMPORT, &a);

	if (!ret && handle)
		*handle = a.handle;
	return ret;
}

static TK_UNUSED int tk_key_load(int fd, const void *der, uint32_t len,
				 uint32_t flags, uint32_t uid, uint32_t gid,
				 uint8_t fp[SSLPROV_FINGERPRINT_LEN])
{
	struct sslprov_key_load a = {
		.size = sizeof(a),
		.flags = flags,
		.uid = uid,
		.gid = gid,
		.der_len = len,
		.der = (uintptr_t)der,
	};
	int ret = sp_ioctl(fd, SSLPROV_IOC_KEY_LOAD, &a);

	if (!ret && fp)
		memcpy(fp, a.fingerprint, SSLPROV_FINGERPRINT_LEN);
	return ret;
}

static TK_UNUSED int tk_key_ref(int fd, unsigned long cmd,
				const uint8_t fp[SSLPROV_FINGERPRINT_LEN],
				uint32_t *handle)
{
	struct sslprov_key_ref a = { .size = sizeof(a) };
	int ret;

	memcpy(a.fingerprint, fp, SSLPROV_FINGERPRINT_LEN);
	ret = sp_ioctl(fd, cmd, &a);
	if (!ret && handle)
		*handle = a.handle;
	return ret;
}

static TK_UNUSED int tk_key_open(int fd, const uint8_t *fp, uint32_t *h)
{
	return tk_key_ref(fd, SSLPROV_IOC_KEY_OPEN, fp, h);
}

static TK_UNUSED int tk_key_unload(int fd, const uint8_t *fp)
{
	return tk_key_ref(fd, SSLPROV_IOC_KEY_UNLOAD, fp, NULL);
}

/* KEY_LIST into @e (room for @room); *count = keys loaded. */
static TK_UNUSED int tk_key_list(int fd, struct sslprov_key_entry *e,
				 uint32_t room, uint32_t *count)
{
	struct sslprov_key_list a = {
		.size = sizeof(a),
		.count = room,
		.entries = (uintptr_t)e,
	};
	int ret = sp_ioctl(fd, SSLPROV_IOC_KEY_LIST, &a);

	if (!ret)
		*count = a.count;
	return ret;
}

/* A MASTER_IMPORT argument for the RFC 5246 master secret. */
static TK_UNUSED void tk_mi_init(struct sslprov_master_import *a,
				 uint32_t key, uint32_t protocol,
				 uint32_t suite, uint32_t client_version,
				 const void *enc, uint32_t enc_len,
				 const uint8_t *cr, const uint8_t *sr)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->flags = SSLPROV_SERVER;
	a->private_key = key;
	a->protocol = protocol;
	a->cipher_suite = suite;
	a->client_version = client_version;
	a->enc_len = enc_len;
	a->enc = (uintptr_t)enc;
	memcpy(a->client_random, cr, SSLPROV_RANDOM_LEN);
	memcpy(a->server_random, sr, SSLPROV_RANDOM_LEN);
}

static TK_UNUSED int tk_master_import(int fd, struct sslprov_master_import *a,
				      uint32_t *handle)
{
	int ret;

	a->handle = 0;
	ret = sp_ioctl(fd, SSLPROV_IOC_MASTER_IMPORT, a);
	if (!ret && handle)
		*handle = a->handle;
	return ret;
}

/* FINISHED, with @len handshake bytes at @pending appended first (VER1). */
static TK_UNUSED int tk_finished_pending(int fd, uint32_t master,
					 uint32_t hash, uint32_t flags,
					 const void *pending, uint32_t len,
					 void *out)
{
	struct sslprov_finished a = {
		.size = sizeof(a),
		.flags = flags,
		.master_key = master,
		.hash = hash,
		.out_len = TK_VERIFY_LEN,
		.out = (uintptr_t)out,
		.pending_len = len,
		.pending = (uintptr_t)pending,
	};

	return sp_ioctl(fd, SSLPROV_IOC_FINISHED, &a);
}

static TK_UNUSED int tk_finished(int fd, uint32_t master, uint32_t hash,
				 uint32_t flags, uint8_t out[TK_VERIFY_LEN])
{
	return tk_finished_pending(fd, master, hash, flags, NULL, 0, out);
}

static TK_UNUSED int tk_hash_digest(int fd, uint32_t hash, uint8_t *out,
				    uint32_t *len)
{
	struct sslprov_hash_digest a = { .size = sizeof(a), .hash = hash };
	int ret = sp_ioctl(fd, SSLPROV_IOC_HASH_DIGEST, &a);

	if (!ret) {
		*len = a.len;
		memcpy(out, a.digest, sizeof(a.digest));
	}
	return ret;
}

/* A hash object of @protocol/@suite fed with @len bytes of @msgs. */
static TK_UNUSED int tk_hash_of(int fd, uint32_t protocol, uint32_t suite,
				const void *msgs, uint32_t len, uint32_t *hash)
{
	int ret = sp_hash_create(fd, protocol, suite, hash);

	if (ret)
		return ret;
	ret = sp_hash_update(fd, *hash, msgs, len);
	if (ret)
		sp_free(fd, *hash);
	return ret;
}

/* The module's verify_data for @sender over @msgs (a temporary hash). */
static TK_UNUSED int tk_module_finished(int fd, uint32_t master,
					uint32_t protocol, uint32_t suite,
					uint32_t sender, const void *msgs,
					uint32_t len, uint8_t out[TK_VERIFY_LEN])
{
	uint32_t hash;
	int ret = tk_hash_of(fd, protocol, suite, msgs, len, &hash);

	if (ret)
		return ret;
	ret = tk_finished(fd, master, hash, sender, out);
	sp_free(fd, hash);
	return ret;
}

static TK_UNUSED int tk_session_keys(int fd, uint32_t master, uint32_t flags,
				     const uint8_t *cr, const uint8_t *sr,
				     uint32_t *read_key, uint32_t *write_key)
{
	struct sslprov_session_keys a = {
		.size = sizeof(a),
		.flags = flags,
		.master_key = master,
	};
	int ret;

	memcpy(a.client_random, cr, SSLPROV_RANDOM_LEN);
	memcpy(a.server_random, sr, SSLPROV_RANDOM_LEN);
	ret = sp_ioctl(fd, SSLPROV_IOC_SESSION_KEYS, &a);
	if (!ret) {
		*read_key = a.read_key;
		*write_key = a.write_key;
	}
	return ret;
}

/* ENCRYPT or DECRYPT; *result_len is set whenever the module wrote it. */
static TK_UNUSED int tk_record(int fd, unsigned long cmd, uint32_t key,
			       uint32_t type, uint64_t seq, const void *in,
			       uint32_t in_len, void *out, uint32_t out_len,
			       uint32_t *result_len)
{
	struct sslprov_record a = {
		.size = sizeof(a),
		.key = key,
		.content_type = type,
		.seq = seq,
		.in_len = in_len,
		.out_len = out_len,
		.in = (uintptr_t)in,
		.out = (uintptr_t)out,
		.result_len = 0xdeadbeef,
	};
	int ret = sp_ioctl(fd, cmd, &a);

	if (result_len)
		*result_len = a.result_len;
	return ret;
}

/* --- one server-side RSA handshake ----------------------------------------------- */

struct tk_hs {
	uint32_t protocol;
	uint32_t suite;
	uint32_t client_version;
	uint8_t cr[SSLPROV_RANDOM_LEN];
	uint8_t sr[SSLPROV_RANDOM_LEN];
	uint8_t pm[TK_PREMASTER_LEN];
	uint8_t ms[TK_MASTER_LEN];	/* the oracle's master secret */
	uint8_t enc[1024];
	size_t enc_len;
};

/*
 * Fresh randoms and a premaster client_version || 46 random bytes,
 * RSAES-PKCS1-v1_5-encrypted to @k, and the oracle's RFC 5246 master.
 */
static TK_UNUSED int tk_hs_new(struct tk_hs *hs, const struct tk_rsa *k,
			       uint32_t protocol, uint32_t suite,
			       uint32_t client_version)
{
	int ret;

	memset(hs, 0, sizeof(*hs));
	hs->protocol = protocol;
	hs->suite = suite;
	hs->client_version = client_version;
	ret = tk_random(hs->cr, sizeof(hs->cr)) ?:
	      tk_random(hs->sr, sizeof(hs->sr)) ?:
	      tk_premaster(hs->pm, (uint16_t)client_version);
	if (ret)
		return ret;
	hs->enc_len = sizeof(hs->enc);
	ret = tk_rsa_encrypt(k->pkey, RSA_PKCS1_PADDING, hs->pm,
			     sizeof(hs->pm), hs->enc, &hs->enc_len);
	if (ret)
		return ret;
	return tk_master(protocol, suite, hs->pm, hs->cr, hs->sr, NULL, 0,
			 hs->ms);
}

/* MASTER_IMPORT of hs->enc with private key @key. */
static TK_UNUSED int tk_hs_import(int fd, uint32_t key, const struct tk_hs *hs,
				  uint32_t *master)
{
	struct sslprov_master_import a;

	tk_mi_init(&a, key, hs->protocol, hs->suite, hs->client_version,
		   hs->enc, (uint32_t)hs->enc_len, hs->cr, hs->sr);
	return tk_master_import(fd, &a, master);
}

/* --- a fixture body: a file with the program's key imported ------------------ */

/*
 * Embed in a FIXTURE(); TK_ENV_SETUP() / TK_ENV_TEARDOWN() in its
 * FIXTURE_SETUP() / FIXTURE_TEARDOWN().  The teardown closes the file and
 * checks that the module's object counters are back to what they were
 * before the test opened it: nothing leaked.
 */
struct tk_env {
	int fd;
	struct sp_stats base;
	bool have_base;
	struct tk_rsa rsa;
	uint32_t key;		/* the imported private key object */
};

#define TK_ENV_SETUP(env) do {						\
	int __ret;							\
	(env)->fd = -1;							\
	SP_REQUIRE_DEVICE();						\
	ASSERT_EQ(0, sp_stats_read(&(env)->base));			\
	(env)->have_base = true;					\
	ASSERT_EQ(0, tk_rsa_get(&(env)->rsa))				\
		TH_LOG("RSA key generation: %s", tk_ossl_err());	\
	(env)->fd = sp_open();						\
	ASSERT_LE(0, (env)->fd) TH_LOG("open: %s", sp_errname((env)->fd)); \
	__ret = tk_key_import((env)->fd, (env)->rsa.der,		\
			      (env)->rsa.der_len, &(env)->key);		\
	ASSERT_EQ(0, __ret) TH_LOG("KEY_IMPORT: %s", sp_errname(__ret)); \
} while (0)

#define TK_ENV_TEARDOWN(env) do {					\
	char __diff[256];						\
	int __ret;							\
	if ((env)->fd >= 0)						\
		close((env)->fd);					\
	if ((env)->have_base) {						\
		__ret = sp_stats_wait(&(env)->base, __diff,		\
				      sizeof(__diff), 10);		\
		/* (no TH_LOG on EXPECT: a failed ASSERT left it armed) */ \
		if (__ret)						\
			TH_LOG("leak after close: %s", __diff);		\
		EXPECT_EQ(0, __ret);					\
	}								\
	tk_rsa_free(&(env)->rsa);					\
} while (0)

/* --- checks that report through the harness ---------------------------------------- */

/*
 * Check the master secret behind handle @master against @ms, through both
 * Finished messages over a fresh random transcript: the module's
 * verify_data must equal the oracle's.  Returns true when both match.
 */
#define tk_check_master(fd, master, protocol, suite, ms, what) \
	__tk_check_master(_metadata, fd, master, protocol, suite, ms, what)

static TK_UNUSED bool __tk_check_master(struct __test_metadata *_metadata,
					int fd, uint32_t master,
					uint32_t protocol, uint32_t suite,
					const uint8_t ms[TK_MASTER_LEN],
					const char *what)
{
	static const uint32_t senders[] = { SSLPROV_CLIENT, SSLPROV_SERVER };
	uint8_t msgs[517], want[TK_VERIFY_LEN], got[TK_VERIFY_LEN];
	char desc[160];
	bool ok = true;
	int i, ret;

	EXPECT_EQ(0, tk_random(msgs, sizeof(msgs)));
	for (i = 0; i < 2; i++) {
		snprintf(desc, sizeof(desc), "%s: %s Finished", what,
			 senders[i] == SSLPROV_CLIENT ? "client" : "server");
		ret = tk_verify_data(protocol, suite, ms, senders[i], msgs,
				     sizeof(msgs), want);
		EXPECT_EQ(0, ret) TH_LOG("%s: oracle: %s", desc, tk_ossl_err());
		memset(got, 0, sizeof(got));
		ret = tk_module_finished(fd, master, protocol, suite,
					 senders[i], msgs, sizeof(msgs), got);
		EXPECT_EQ(0, ret) TH_LOG("%s: FINISHED: %s", desc,
					 sp_errname(ret));
		if (ret || !TK_EXPECT_MEM(want, got, TK_VERIFY_LEN, desc)) {
			TH_LOG("%s: master secret (oracle) %s", desc,
			       tk_hex(ms, TK_MASTER_LEN));
			ok = false;
		}
	}
	return ok;
}

/*
 * The module's client verify_data for @master over a fixed transcript,
 * to compare a master against several candidate premasters.
 */
static TK_UNUSED const uint8_t *tk_fixed_transcript(size_t *len)
{
	static uint8_t msgs[300];
	static bool init;
	size_t i;

	if (!init) {
		for (i = 0; i < sizeof(msgs); i++)
			msgs[i] = (uint8_t)(i * 7 + 1);
		init = true;
	}
	*len = sizeof(msgs);
	return msgs;
}

/*
 * Prove that private key object @key decrypts with @k: a TLS 1.2 handshake
 * whose Finished messages match the oracle.  The master is freed again.
 */
#define tk_check_key(fd, key, k, what) \
	__tk_check_key(_metadata, fd, key, k, what)

static TK_UNUSED bool __tk_check_key(struct __test_metadata *_metadata, int fd,
				     uint32_t key, const struct tk_rsa *k,
				     const char *what)
{
	struct tk_hs hs;
	uint32_t master = 0;
	bool ok;
	int ret;

	ret = tk_hs_new(&hs, k, 0x0303, 0x009c, 0x0303);
	EXPECT_EQ(0, ret) TH_LOG("%s: oracle: %s", what, tk_ossl_err());
	if (ret)
		return false;
	ret = tk_hs_import(fd, key, &hs, &master);
	EXPECT_EQ(0, ret) TH_LOG("%s: MASTER_IMPORT with key %u: %s", what,
				 key, sp_errname(ret));
	if (ret)
		return false;
	ok = __tk_check_master(_metadata, fd, master, 0x0303, 0x009c, hs.ms,
			       what);
	EXPECT_EQ(0, sp_free(fd, master));
	return ok;
}

#endif /* TLS12_COMMON_H */
