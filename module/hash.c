// SPDX-License-Identifier: GPL-2.0
/*
 * Handshake hashes (SslCreateHandshakeHash, SslHashHandshake).
 *
 * The transcript is public, but the digest feeds the Finished computation,
 * so the state lives here next to the master secret that uses it.  Reading
 * a digest never finalizes the running state: Finished for both sides, the
 * session hash and CertificateVerify all read the same transcript at
 * different points.
 */
#include <crypto/hash.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <linux/sslprov.h>

#include "hash.h"

static const char *const sslprov_hash_names[][2] = {
	[SSLPROV_HASH_MD5_SHA1] = { "md5", "sha1" },
	[SSLPROV_HASH_SHA256] = { "sha256", NULL },
	[SSLPROV_HASH_SHA384] = { "sha384", NULL },
};

/*
 * Unkeyed hash transforms are shared by every hash object: the running
 * state lives in each object's descriptor, and sharing keeps a hash object
 * down to a few hundred bytes of the caller's (accounted) memory.
 */
static struct crypto_shash *sslprov_shash_tfms[4];
static DEFINE_MUTEX(sslprov_shash_lock);	/* guards sslprov_shash_tfms */
static const char *const sslprov_shash_algs[] = {
	"md5", "sha1", "sha256", "sha384",
};

static struct crypto_shash *sslprov_shash_get(const char *name)
{
	struct crypto_shash *tfm = ERR_PTR(-ENOENT);
	size_t i;

	mutex_lock(&sslprov_shash_lock);
	for (i = 0; i < ARRAY_SIZE(sslprov_shash_algs); i++) {
		if (strcmp(sslprov_shash_algs[i], name))
			continue;
		if (!sslprov_shash_tfms[i]) {
			tfm = crypto_alloc_shash(name, 0, 0);
			if (!IS_ERR(tfm))
				sslprov_shash_tfms[i] = tfm;
		}
		if (sslprov_shash_tfms[i])
			tfm = sslprov_shash_tfms[i];
		break;
	}
	mutex_unlock(&sslprov_shash_lock);
	return tfm;
}

/* Module unload: no hash object exists any more. */
void sslprov_hash_exit(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sslprov_shash_tfms); i++) {
		crypto_free_shash(sslprov_shash_tfms[i]);
		sslprov_shash_tfms[i] = NULL;
	}
}

static void sslprov_desc_free(struct shash_desc *desc)
{
	kfree_sensitive(desc);
}

static struct shash_desc *sslprov_desc_alloc(const char *name)
{
	struct crypto_shash *tfm;
	struct shash_desc *desc;
	int ret;

	tfm = sslprov_shash_get(name);
	if (IS_ERR(tfm))
		return ERR_CAST(tfm);
	desc = kzalloc(sizeof(*desc) + crypto_shash_descsize(tfm),
		       SSLPROV_GFP_USER);
	if (!desc)
		return ERR_PTR(-ENOMEM);
	desc->tfm = tfm;
	ret = crypto_shash_init(desc);
	if (ret) {
		kfree_sensitive(desc);
		return ERR_PTR(ret);
	}
	return desc;
}

static void sslprov_hash_destroy(struct sslprov_obj *obj)
{
	struct sslprov_hash *hash = sslprov_to_hash(obj);

	sslprov_desc_free(hash->desc[0]);
	sslprov_desc_free(hash->desc[1]);
	mutex_destroy(&hash->lock);
	kfree_sensitive(hash);
}

static struct sslprov_hash *sslprov_hash_alloc(u32 protocol,
					       enum sslprov_hash_alg alg)
{
	struct sslprov_hash *hash;
	int i, ret;

	hash = kzalloc(sizeof(*hash), SSLPROV_GFP_USER);
	if (!hash)
		return ERR_PTR(-ENOMEM);
	mutex_init(&hash->lock);
	hash->protocol = protocol;
	hash->alg = alg;
	for (i = 0; i < 2 && sslprov_hash_names[alg][i]; i++) {
		hash->desc[i] = sslprov_desc_alloc(sslprov_hash_names[alg][i]);
		if (IS_ERR(hash->desc[i])) {
			ret = PTR_ERR(hash->desc[i]);
			hash->desc[i] = NULL;
			goto out_free;
		}
	}
	sslprov_obj_init(&hash->obj, SSLPROV_OBJ_HASH, sslprov_hash_destroy);
	return hash;

out_free:
	sslprov_desc_free(hash->desc[0]);
	mutex_destroy(&hash->lock);
	kfree(hash);
	return ERR_PTR(ret);
}

/* Finish a copy of @desc into @out, leaving @desc running. */
static int sslprov_desc_peek(struct shash_desc *desc, u8 *out)
{
	struct crypto_shash *tfm = desc->tfm;
	struct shash_desc *copy;
	size_t size = sizeof(*desc) + crypto_shash_descsize(tfm);
	int ret;

	copy = kmemdup(desc, size, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	ret = crypto_shash_final(copy, out);
	kfree_sensitive(copy);
	return ret;
}

/**
 * sslprov_hash_digest() - digest of the transcript so far.
 * @hash: the handshake hash.
 * @out: at least SSLPROV_MAX_TRANSCRIPT_DIGEST bytes.
 * @len: out: digest length (36 for MD5 || SHA-1).
 *
 * Return: 0 or a negative errno.
 */
int sslprov_hash_digest(struct sslprov_hash *hash, u8 *out, unsigned int *len)
{
	unsigned int off = 0;
	int i, ret = 0;

	mutex_lock(&hash->lock);
	for (i = 0; i < 2 && hash->desc[i]; i++) {
		ret = sslprov_desc_peek(hash->desc[i], out + off);
		if (ret)
			break;
		off += crypto_shash_digestsize(hash->desc[i]->tfm);
	}
	mutex_unlock(&hash->lock);
	*len = off;
	return ret;
}

static size_t sslprov_desc_size(const struct shash_desc *desc)
{
	return sizeof(*desc) + crypto_shash_descsize(desc->tfm);
}

/**
 * sslprov_hash_stage() - the hash's state with @data appended, and its
 *	digest, leaving the hash itself unchanged.
 * @hash: the handshake hash; locked by the caller until commit or free.
 * @data: the bytes to append, @len of them (may be 0).
 * @len: see @data.
 * @st: out: the staged state; sslprov_hash_stage_free() it in any case.
 * @digest: at least SSLPROV_MAX_TRANSCRIPT_DIGEST bytes.
 * @dlen: out: digest length.
 *
 * Return: 0 or a negative errno.
 */
int sslprov_hash_stage(struct sslprov_hash *hash, const u8 *data,
		       unsigned int len, struct sslprov_hash_stage *st,
		       u8 *digest, unsigned int *dlen)
{
	unsigned int off = 0;
	int i, ret = 0;

	lockdep_assert_held(&hash->lock);
	memset(st, 0, sizeof(*st));
	for (i = 0; i < 2 && hash->desc[i]; i++) {
		st->desc[i] = kmemdup(hash->desc[i],
				      sslprov_desc_size(hash->desc[i]),
				      SSLPROV_GFP_USER);
		if (!st->desc[i])
			return -ENOMEM;
		ret = crypto_shash_update(st->desc[i], data, len) ?:
		      sslprov_desc_peek(st->desc[i], digest + off);
		if (ret)
			return ret;
		off += crypto_shash_digestsize(st->desc[i]->tfm);
	}
	*dlen = off;
	return 0;
}

/* Make the staged state the hash's own; cannot fail.  Hash locked. */
void sslprov_hash_commit(struct sslprov_hash *hash,
			 struct sslprov_hash_stage *st)
{
	int i;

	lockdep_assert_held(&hash->lock);
	for (i = 0; i < 2; i++)
		swap(hash->desc[i], st->desc[i]);
}

/* Free a staged state (after a commit: the hash's old one). */
void sslprov_hash_stage_free(struct sslprov_hash_stage *st)
{
	sslprov_desc_free(st->desc[0]);
	sslprov_desc_free(st->desc[1]);
	memset(st, 0, sizeof(*st));
}

long sslprov_ioctl_hash_create(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_hash_create args;
	struct sslprov_hash *hash;
	int alg, ret;
	u32 usize;

	ret = sslprov_copy_args(&args, sizeof(args),
				SSLPROV_HASH_CREATE_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	if (args.flags || args.__reserved)
		return -EINVAL;
	alg = sslprov_transcript_hash(args.protocol,
				      sslprov_suite_find(args.cipher_suite));
	if (alg < 0)
		return alg;

	hash = sslprov_hash_alloc(args.protocol, alg);
	if (IS_ERR(hash))
		return PTR_ERR(hash);
	ret = sslprov_obj_publish(file, &hash->obj, &args.handle);
	if (ret) {
		sslprov_obj_put(&hash->obj);
		return ret;
	}
	ret = sslprov_copy_result(uarg, &args, sizeof(args), usize);
	if (ret)
		sslprov_obj_unpublish(file, args.handle);
	return ret;
}

long sslprov_ioctl_hash_update(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_hash_update args;
	struct sslprov_obj *obj;
	struct sslprov_hash *hash;
	void *data;
	int i, ret;
	u32 usize;

	ret = sslprov_copy_args(&args, sizeof(args),
				SSLPROV_HASH_UPDATE_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	if (args.flags || args.len > SSLPROV_MAX_HASH_INPUT)
		return -EINVAL;

	obj = sslprov_obj_get(file, args.handle, SSLPROV_OBJ_HASH);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	hash = sslprov_to_hash(obj);

	/* Copy all input first, so a bad pointer leaves the state as it was. */
	data = kvmalloc(max_t(u32, args.len, 1), SSLPROV_GFP_USER);
	if (!data) {
		ret = -ENOMEM;
		goto out_put;
	}
	if (copy_from_user(data, u64_to_user_ptr(args.data), args.len)) {
		ret = -EFAULT;
		goto out_free;
	}

	mutex_lock(&hash->lock);
	for (i = 0; i < 2 && hash->desc[i] && !ret; i++)
		ret = crypto_shash_update(hash->desc[i], data, args.len);
	mutex_unlock(&hash->lock);

out_free:
	kvfree(data);
out_put:
	sslprov_obj_put(obj);
	return ret;
}

long sslprov_ioctl_hash_digest(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_hash_digest args;
	struct sslprov_obj *obj;
	u32 usize;
	int ret;

	ret = sslprov_copy_args(&args, sizeof(args),
				SSLPROV_HASH_DIGEST_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	if (args.flags)
		return -EINVAL;
	obj = sslprov_obj_get(file, args.hash, SSLPROV_OBJ_HASH);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	memset(args.digest, 0, sizeof(args.digest));
	ret = sslprov_hash_digest(sslprov_to_hash(obj), args.digest, &args.len);
	sslprov_obj_put(obj);
	if (ret)
		return ret;
	return sslprov_copy_result(uarg, &args, sizeof(args), usize);
}
