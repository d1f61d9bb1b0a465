/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SSLPROV_HASH_H
#define SSLPROV_HASH_H

#include <crypto/hash.h>
#include <linux/mutex.h>

#include "sslprov.h"
#include "suite.h"

/* MD5 (16) + SHA-1 (20) for TLS 1.0/1.1; the largest TLS 1.2 hash is 48. */
#define SSLPROV_MAX_TRANSCRIPT_DIGEST	48

/**
 * struct sslprov_hash - a running handshake (transcript) hash.
 * @obj: object header.
 * @lock: serializes updates and reads of the state.
 * @protocol: wire protocol version it was created for.
 * @alg: which hash(es) run.
 * @desc: running state; [1] is SHA-1 next to MD5 in [0] for TLS 1.0/1.1.
 */
struct sslprov_hash {
	struct sslprov_obj obj;
	struct mutex lock;	/* guards desc[] */
	u32 protocol;
	enum sslprov_hash_alg alg;
	struct shash_desc *desc[2];
};

static inline struct sslprov_hash *sslprov_to_hash(struct sslprov_obj *obj)
{
	return container_of(obj, struct sslprov_hash, obj);
}

void sslprov_hash_exit(void);
int sslprov_hash_digest(struct sslprov_hash *hash, u8 *out, unsigned int *len);

/**
 * struct sslprov_hash_stage - a hash's state with more bytes appended,
 *	not yet the hash's own: sslprov_hash_commit() makes it so,
 *	sslprov_hash_stage_free() drops it.  Built and committed under the
 *	hash's lock.
 * @desc: the staged states, as sslprov_hash.desc.
 */
struct sslprov_hash_stage {
	struct shash_desc *desc[2];
};

int sslprov_hash_stage(struct sslprov_hash *hash, const u8 *data,
		       unsigned int len, struct sslprov_hash_stage *st,
		       u8 *digest, unsigned int *dlen);
void sslprov_hash_commit(struct sslprov_hash *hash,
			 struct sslprov_hash_stage *st);
void sslprov_hash_stage_free(struct sslprov_hash_stage *st);

#endif /* SSLPROV_HASH_H */
