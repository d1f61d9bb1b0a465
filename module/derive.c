// SPDX-License-Identifier: GPL-2.0
/*
 * Derivation claims: which (server_random, client_random, side) session
 * keys were already derived from a master secret.
 *
 * The same randoms and side give the same key bytes; in a fresh object
 * their sequence numbers would start again at 0 and a GCM nonce would
 * repeat.  So SslGenerateSessionKeys refuses a repeat.  Real callers never
 * see that (resumption brings fresh randoms), but a master may be resumed
 * many times, so the claims are a tree: one lookup costs O(log n), where a
 * flat array grown by one on every call cost O(n) and an O(n) copy.
 *
 * The identifiers hash public randoms: nothing here is secret.
 */
#include <crypto/sha2.h>
#include <linux/rbtree.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "key.h"

/* Session resumptions of one master secret; far beyond any real use. */
#define SSLPROV_MAX_DERIVATIONS	65536

struct sslprov_derivation {
	struct rb_node node;
	u8 id[SSLPROV_DERIVATION_ID_LEN];
};

#define to_derivation(n)	rb_entry((n), struct sslprov_derivation, node)

/* SHA-256 of server_random || client_random || side. */
void sslprov_derivation_id(const u8 *server_random, const u8 *client_random,
			   u32 side, u8 id[SSLPROV_DERIVATION_ID_LEN])
{
	struct sha256_state st;

	sha256_init(&st);
	sha256_update(&st, server_random, SSLPROV_RANDOM_LEN);
	sha256_update(&st, client_random, SSLPROV_RANDOM_LEN);
	sha256_update(&st, (const u8 *)&side, sizeof(side));
	sha256_final(&st, id);
}

static int sslprov_derivation_cmp(const void *id, const struct rb_node *n)
{
	return memcmp(id, to_derivation(n)->id, SSLPROV_DERIVATION_ID_LEN);
}

static bool sslprov_derivation_less(struct rb_node *a, const struct rb_node *b)
{
	return sslprov_derivation_cmp(to_derivation(a)->id, b) < 0;
}

/**
 * sslprov_derivation_claim() - record a derivation, or refuse a repeat.
 * @master: the master key.
 * @id: from sslprov_derivation_id().
 *
 * Return: 0, -EINVAL for a repeat, -ENOSPC beyond SSLPROV_MAX_DERIVATIONS,
 * or -ENOMEM.
 */
int sslprov_derivation_claim(struct sslprov_master *master,
			     const u8 id[SSLPROV_DERIVATION_ID_LEN])
{
	struct sslprov_derivation *d;
	int ret = 0;

	d = kmalloc(sizeof(*d), SSLPROV_GFP_USER);
	if (!d)
		return -ENOMEM;
	memcpy(d->id, id, sizeof(d->id));

	mutex_lock(&master->lock);
	if (rb_find(id, &master->derived, sslprov_derivation_cmp))
		ret = -EINVAL;
	else if (master->nr_derived >= SSLPROV_MAX_DERIVATIONS)
		ret = -ENOSPC;
	if (!ret) {
		rb_add(&d->node, &master->derived, sslprov_derivation_less);
		master->nr_derived++;
	}
	mutex_unlock(&master->lock);

	if (ret)
		kfree(d);
	return ret;
}

/* The derivation failed and no key exists: the randoms may be used again. */
void sslprov_derivation_unclaim(struct sslprov_master *master,
				const u8 id[SSLPROV_DERIVATION_ID_LEN])
{
	struct rb_node *n;

	mutex_lock(&master->lock);
	n = rb_find(id, &master->derived, sslprov_derivation_cmp);
	if (n) {
		rb_erase(n, &master->derived);
		master->nr_derived--;
	}
	mutex_unlock(&master->lock);
	kfree(n ? to_derivation(n) : NULL);
}

/* All claims, when the master key goes; nobody else holds it then. */
void sslprov_derivations_free(struct sslprov_master *master)
{
	struct sslprov_derivation *d, *next;

	rbtree_postorder_for_each_entry_safe(d, next, &master->derived, node)
		kfree(d);
	master->derived = RB_ROOT;
	master->nr_derived = 0;
}
