/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Key objects: private keys, master secrets and record (session) keys.
 */
#ifndef SSLPROV_KEY_H
#define SSLPROV_KEY_H

#include <crypto/aead.h>
#include <crypto/hash.h>
#include <linux/mpi.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>

#include <linux/sslprov.h>

#include "sslprov.h"
#include "suite.h"

#define SSLPROV_MASTER_LEN	48
#define SSLPROV_MAX_KEY_LEN	32
#define SSLPROV_MAX_FIXED_IV	12

/**
 * struct sslprov_rsa - an RSA private key, shared by the key store and by
 * every private key object opened from it.
 * @ref: references from the store and from objects.
 * @tfm: the kernel's raw "rsa" with the private key set.
 * @n: modulus, for blinding.
 * @e: public exponent, for blinding.
 * @mod_len: modulus bytes.
 * @bits: modulus bits.
 * @fingerprint: SHA-256 of the DER SubjectPublicKeyInfo.
 */
struct sslprov_rsa {
	struct kref ref;
	struct crypto_akcipher *tfm;
	MPI n;
	MPI e;
	unsigned int mod_len;
	unsigned int bits;
	u8 fingerprint[SSLPROV_FINGERPRINT_LEN];
};

struct sslprov_rsa *sslprov_rsa_create(const u8 *der, unsigned int len);
void sslprov_rsa_put(struct sslprov_rsa *rsa);
int sslprov_rsa_decrypt_premaster(struct sslprov_rsa *rsa, const u8 *enc,
				  unsigned int enc_len, u16 client_version,
				  u8 premaster[48]);

bool sslprov_der_exact(const u8 *der, unsigned int len);
int sslprov_mpi_to_be(MPI a, u8 *out, unsigned int len);

u8 *sslprov_der_from_user(u64 uptr, u32 len);
struct sslprov_rsa *sslprov_rsa_from_user(u64 uptr, u32 len);
int sslprov_private_key_publish(struct sslprov_file *file,
				struct sslprov_rsa *rsa, u32 *handle);

/* keystore.c */
void sslprov_keystore_exit(void);

/** struct sslprov_private_key - a private key object of one file. */
struct sslprov_private_key {
	struct sslprov_obj obj;
	struct sslprov_rsa *rsa;
};

/**
 * struct sslprov_prf_key - the TLS PRF keyed with one secret.
 * @tfm: TLS 1.2: @tfm[0], HMAC with the suite's hash; TLS 1.0 and 1.1:
 *	HMAC-MD5 keyed with the secret's first half and HMAC-SHA1 with its
 *	second.  Only ever used through descriptors on the caller's stack
 *	after setkey, so any number of callers may share it.
 */
struct sslprov_prf_key {
	struct crypto_shash *tfm[2];
};

/**
 * struct sslprov_master - a TLS 1.0-1.2 master secret.
 * @obj: object header.
 * @protocol: wire protocol version.
 * @suite: the negotiated suite.
 * @side: SSLPROV_CLIENT or SSLPROV_SERVER.
 * @prf: the PRF keyed with the 48-byte master secret (HMAC transforms
 *	with their keyed states); the secret itself is not kept.
 * @lock: guards @derived and @nr_derived.
 * @derived: the (server_random, client_random, side) that session keys
 *	were derived from, a tree of derive.c's claims; a repeat would give
 *	the same GCM keys in a fresh object whose sequence numbers start
 *	again at 0.
 * @nr_derived: entries in @derived.
 */
struct sslprov_master {
	struct sslprov_obj obj;
	u32 protocol;
	const struct sslprov_suite *suite;
	u32 side;
	struct sslprov_prf_key prf;
	struct mutex lock;	/* see @lock above */
	struct rb_root derived;
	unsigned int nr_derived;
};

/**
 * struct sslprov_session_key - one direction's record protection state.
 * @obj: object header.
 * @lock: guards @next_seq, @seq_started and requests on @aead.
 * @protocol: wire protocol version, also written in record headers.
 * @suite: the suite.
 * @write: true for a write (encrypt) key, false for a read key.
 * @seq_started: a record has been processed, so @next_seq is binding.
 * @next_seq: smallest sequence number still accepted; a nonce never
 *	repeats under one key and replayed records are refused.
 * @aead: the record AEAD with @key set, made by the first record
 *	operation (sslprov_session_key_aead()); NULL until then, and always
 *	for a key handed to kTLS.
 * @key: bulk key (@suite->key_len bytes), kept for kTLS.
 * @fixed_iv: implicit IV / GCM salt (@suite->fixed_iv_len bytes).
 * @ktls_attached: handed to a kTLS socket, which counts sequence numbers
 *	from then on: the object refuses records and can only be freed.
 */
struct sslprov_session_key {
	struct sslprov_obj obj;
	struct mutex lock;	/* see @lock above */
	u32 protocol;
	const struct sslprov_suite *suite;
	bool write;
	bool seq_started;
	bool ktls_attached;
	u64 next_seq;
	struct crypto_aead *aead;
	u8 key[SSLPROV_MAX_KEY_LEN];
	u8 fixed_iv[SSLPROV_MAX_FIXED_IV];
};

static inline struct sslprov_private_key *
sslprov_to_private_key(struct sslprov_obj *obj)
{
	return container_of(obj, struct sslprov_private_key, obj);
}

static inline struct sslprov_master *sslprov_to_master(struct sslprov_obj *obj)
{
	return container_of(obj, struct sslprov_master, obj);
}

static inline struct sslprov_session_key *
sslprov_to_session_key(struct sslprov_obj *obj)
{
	return container_of(obj, struct sslprov_session_key, obj);
}

struct sslprov_session_key *
sslprov_session_key_create(u32 protocol, const struct sslprov_suite *suite,
			   bool write, const u8 *key, const u8 *fixed_iv);
struct crypto_aead *sslprov_session_key_aead(struct sslprov_session_key *key);

/* derive.c */
#define SSLPROV_DERIVATION_ID_LEN	32	/* SHA-256 */
void sslprov_derivation_id(const u8 *server_random, const u8 *client_random,
			   u32 side, u8 id[SSLPROV_DERIVATION_ID_LEN]);
int sslprov_derivation_claim(struct sslprov_master *master,
			     const u8 id[SSLPROV_DERIVATION_ID_LEN]);
void sslprov_derivation_unclaim(struct sslprov_master *master,
				const u8 id[SSLPROV_DERIVATION_ID_LEN]);
void sslprov_derivations_free(struct sslprov_master *master);

/* prf.c */
int sslprov_prf_key_init(struct sslprov_prf_key *key, u32 protocol,
			 const struct sslprov_suite *suite, const u8 *secret,
			 unsigned int secret_len);
void sslprov_prf_key_destroy(struct sslprov_prf_key *key);
int sslprov_prf_keyed(const struct sslprov_prf_key *key, const char *label,
		      const u8 *seed1, unsigned int seed1_len,
		      const u8 *seed2, unsigned int seed2_len,
		      u8 *out, unsigned int out_len);
int sslprov_prf(u32 protocol, const struct sslprov_suite *suite,
		const u8 *secret, unsigned int secret_len, const char *label,
		const u8 *seed1, unsigned int seed1_len,
		const u8 *seed2, unsigned int seed2_len,
		u8 *out, unsigned int out_len);

#endif /* SSLPROV_KEY_H */
