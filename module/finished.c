// SPDX-License-Identifier: GPL-2.0
/*
 * Finished messages: SslComputeFinishedHash for TLS 1.0 - 1.2.
 *
 * verify_data = PRF(master_secret, finished_label,
 *		     Hash(handshake_messages))[0..11]	(RFC 5246 section 7.4.9)
 * The transcript digest comes from the hash object without finalizing it,
 * so the same hash serves both sides' Finished messages.
 */
#include <linux/err.h>
#include <linux/uaccess.h>

#include "hash.h"
#include "key.h"

#define SSLPROV_VERIFY_DATA_LEN	12

static int sslprov_finished_compute(struct sslprov_file *file,
				    const struct sslprov_finished *args,
				    u8 out[SSLPROV_VERIFY_DATA_LEN])
{
	u8 digest[SSLPROV_MAX_TRANSCRIPT_DIGEST];
	struct sslprov_obj *mobj, *hobj;
	struct sslprov_master *master;
	unsigned int dlen;
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
	ret = -EINVAL;
	/* A transcript hashed with another hash than the suite's PRF hash. */
	if (sslprov_to_hash(hobj)->protocol != master->protocol ||
	    sslprov_to_hash(hobj)->alg !=
	    sslprov_transcript_hash(master->protocol, master->suite))
		goto out_put_hash;
	ret = sslprov_hash_digest(sslprov_to_hash(hobj), digest, &dlen);
	if (ret)
		goto out_put_hash;
	ret = sslprov_prf_keyed(&master->prf,
				args->flags == SSLPROV_CLIENT ?
				"client finished" : "server finished",
				digest, dlen, NULL, 0, out,
				SSLPROV_VERIFY_DATA_LEN);
	memzero_explicit(digest, sizeof(digest));
out_put_hash:
	sslprov_obj_put(hobj);
out_put_master:
	sslprov_obj_put(mobj);
	return ret;
}

long sslprov_ioctl_finished(struct sslprov_file *file, void __user *uarg)
{
	u8 out[SSLPROV_VERIFY_DATA_LEN];
	struct sslprov_finished args;
	u32 usize;
	int ret;

	ret = sslprov_copy_args(&args, sizeof(args),
				SSLPROV_FINISHED_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	if (args.__reserved || args.out_len != SSLPROV_VERIFY_DATA_LEN)
		return -EINVAL;
	if (args.flags != SSLPROV_CLIENT && args.flags != SSLPROV_SERVER)
		return -EBADRQC;
	ret = sslprov_finished_compute(file, &args, out);
	if (!ret && copy_to_user(u64_to_user_ptr(args.out), out, sizeof(out)))
		ret = -EFAULT;
	memzero_explicit(out, sizeof(out));
	return ret;
}
