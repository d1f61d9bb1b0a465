// SPDX-License-Identifier: GPL-2.0
/*
 * Finished messages: SslComputeFinishedHash for TLS 1.0 - 1.2.
 *
 * verify_data = PRF(master_secret, finished_label,
 *		     Hash(handshake_messages))[0..11]	(RFC 5246 section 7.4.9)
 * The transcript digest comes from the hash object without finalizing it,
 * so the same hash serves both sides' Finished messages.  The caller may
 * pass handshake bytes it has not sent yet (VER1 @pending): they are
 * appended first, in the same call, and kept only if the call succeeds.
 */
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include "hash.h"
#include "key.h"

#define SSLPROV_VERIFY_DATA_LEN	12

static const char *sslprov_finished_label(u32 flags)
{
	return flags == SSLPROV_CLIENT ? "client finished" : "server finished";
}

/* verify_data over the hash as it stands. */
static int sslprov_finished_plain(struct sslprov_master *master,
				  struct sslprov_hash *hash,
				  const struct sslprov_finished *args)
{
	u8 digest[SSLPROV_MAX_TRANSCRIPT_DIGEST], out[SSLPROV_VERIFY_DATA_LEN];
	unsigned int dlen;
	int ret;

	ret = sslprov_hash_digest(hash, digest, &dlen) ?:
	      sslprov_prf_keyed(&master->prf, sslprov_finished_label(args->flags),
				digest, dlen, NULL, 0, out, sizeof(out));
	if (!ret && copy_to_user(u64_to_user_ptr(args->out), out, sizeof(out)))
		ret = -EFAULT;
	memzero_explicit(digest, sizeof(digest));
	memzero_explicit(out, sizeof(out));
	return ret;
}

/*
 * verify_data over the hash with @pending appended, which the hash keeps
 * only if everything, the copy of the result included, succeeded.  The
 * lock is held throughout, so no update can slip in between.
 */
static int sslprov_finished_pending(struct sslprov_master *master,
				    struct sslprov_hash *hash,
				    const struct sslprov_finished *args,
				    const u8 *pending)
{
	u8 digest[SSLPROV_MAX_TRANSCRIPT_DIGEST], out[SSLPROV_VERIFY_DATA_LEN];
	struct sslprov_hash_stage st;
	unsigned int dlen;
	int ret;

	mutex_lock(&hash->lock);
	ret = sslprov_hash_stage(hash, pending, args->pending_len, &st,
				 digest, &dlen) ?:
	      sslprov_prf_keyed(&master->prf, sslprov_finished_label(args->flags),
				digest, dlen, NULL, 0, out, sizeof(out));
	if (!ret && copy_to_user(u64_to_user_ptr(args->out), out, sizeof(out)))
		ret = -EFAULT;
	if (!ret)
		sslprov_hash_commit(hash, &st);
	mutex_unlock(&hash->lock);
	sslprov_hash_stage_free(&st);
	memzero_explicit(digest, sizeof(digest));
	memzero_explicit(out, sizeof(out));
	return ret;
}

static int sslprov_finished_compute(struct sslprov_file *file,
				    const struct sslprov_finished *args,
				    const u8 *pending)
{
	struct sslprov_obj *mobj, *hobj;
	struct sslprov_master *master;
	struct sslprov_hash *hash;
	int ret;

	mobj = sslprov_obj_get(file, args->master_key, SSLPROV_OBJ_MASTER_KEY);
	if (IS_ERR(mobj))
		return PTR_ERR(mobj);
	hobj = sslprov_obj_get(file, args->hash, SSLPROV_OBJ_HASH);
	if (IS_ERR(hobj)) {
		ret = PTR_ERR(hobj);
		goto out_put_master;
	}
	master = sslprov_to_master(mobj);
	hash = sslprov_to_hash(hobj);
	ret = -EINVAL;
	/* A transcript hashed with another hash than the suite's PRF hash. */
	if (hash->protocol != master->protocol ||
	    hash->alg != sslprov_transcript_hash(master->protocol, master->suite))
		goto out_put_hash;
	if (args->pending_len)
		ret = sslprov_finished_pending(master, hash, args, pending);
	else
		ret = sslprov_finished_plain(master, hash, args);
out_put_hash:
	sslprov_obj_put(hobj);
out_put_master:
	sslprov_obj_put(mobj);
	return ret;
}

long sslprov_ioctl_finished(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_finished args;
	u8 *pending = NULL;
	u32 usize;
	int ret;

	ret = sslprov_copy_args(&args, sizeof(args),
				SSLPROV_FINISHED_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	if (args.__reserved || args.__reserved2 ||
	    args.out_len != SSLPROV_VERIFY_DATA_LEN ||
	    args.pending_len > SSLPROV_MAX_HASH_INPUT)
		return -EINVAL;
	if (args.flags != SSLPROV_CLIENT && args.flags != SSLPROV_SERVER)
		return -EBADRQC;
	/* Copy the bytes first, so a bad pointer leaves the hash as it was. */
	if (args.pending_len) {
		pending = kvmalloc(args.pending_len, SSLPROV_GFP_USER);
		if (!pending)
			return -ENOMEM;
		if (copy_from_user(pending, u64_to_user_ptr(args.pending),
				   args.pending_len)) {
			ret = -EFAULT;
			goto out_free;
		}
	}
	ret = sslprov_finished_compute(file, &args, pending);
out_free:
	kvfree(pending);
	return ret;
}
