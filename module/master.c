// SPDX-License-Identifier: GPL-2.0
/*
 * Master secrets: SslImportMasterKey, the server side of RSA key exchange.
 *
 * master_secret = PRF(premaster, "master secret", client_random ||
 *		       server_random)			(RFC 5246 section 8.1)
 *		 = PRF(premaster, "extended master secret", session_hash)
 *							(RFC 7627 section 4)
 * The premaster exists only on this function's stack and is wiped at once.
 */
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "hash.h"
#include "key.h"

#define SSLPROV_MAX_RSA_CIPHERTEXT	(16384 / 8)

static void sslprov_master_destroy(struct sslprov_obj *obj)
{
	struct sslprov_master *master = sslprov_to_master(obj);

	sslprov_derivations_free(master);
	sslprov_prf_key_destroy(&master->prf);
	mutex_destroy(&master->lock);
	kfree_sensitive(master);
}

/* The session hash length RFC 7627 implies for this protocol and suite. */
static unsigned int sslprov_session_hash_len(u32 protocol,
					     const struct sslprov_suite *suite)
{
	if (protocol < SSLPROV_TLS1_2)
		return 36;
	return suite->prf_hash == SSLPROV_HASH_SHA384 ? 48 : 32;
}

static int sslprov_master_check(const struct sslprov_master_import *args,
				const struct sslprov_suite **suite)
{
	if (args->__reserved)
		return -EINVAL;
	if (args->flags != SSLPROV_SERVER)
		return -EBADRQC;
	if (args->client_version > 0xffff)
		return -EINVAL;
	if (!sslprov_protocol_supported(args->protocol))
		return -EOPNOTSUPP;
	*suite = sslprov_suite_find(args->cipher_suite);
	if (!*suite || (*suite)->kx != SSLPROV_KX_RSA ||
	    args->protocol < (*suite)->min_protocol)
		return -EOPNOTSUPP;
	if (args->session_hash_len &&
	    args->session_hash_len !=
	    sslprov_session_hash_len(args->protocol, *suite))
		return -EINVAL;
	if (!args->enc_len || args->enc_len > SSLPROV_MAX_RSA_CIPHERTEXT)
		return -EINVAL;
	return 0;
}

/*
 * Premaster to master secret, then the premaster is gone; the master
 * secret is kept only as the keyed PRF that every later use needs.
 */
static int sslprov_master_derive(struct sslprov_master *master,
				 const struct sslprov_master_import *args,
				 u8 premaster[48])
{
	u8 secret[SSLPROV_MASTER_LEN];
	int ret;

	if (args->session_hash_len)
		ret = sslprov_prf(master->protocol, master->suite, premaster, 48,
				  "extended master secret", args->session_hash,
				  args->session_hash_len, NULL, 0,
				  secret, SSLPROV_MASTER_LEN);
	else
		ret = sslprov_prf(master->protocol, master->suite, premaster, 48,
				  "master secret", args->client_random,
				  SSLPROV_RANDOM_LEN, args->server_random,
				  SSLPROV_RANDOM_LEN, secret,
				  SSLPROV_MASTER_LEN);
	memzero_explicit(premaster, 48);
	if (!ret)
		ret = sslprov_prf_key_init(&master->prf, master->protocol,
					   master->suite, secret,
					   SSLPROV_MASTER_LEN);
	memzero_explicit(secret, sizeof(secret));
	return ret;
}

static struct sslprov_master *
sslprov_master_from_rsa(struct sslprov_file *file,
			const struct sslprov_master_import *args,
			const struct sslprov_suite *suite, const u8 *enc)
{
	struct sslprov_master *master;
	struct sslprov_obj *obj;
	u8 premaster[48];
	int ret;

	obj = sslprov_obj_get(file, args->private_key,
			      SSLPROV_OBJ_PRIVATE_KEY);
	if (IS_ERR(obj))
		return ERR_CAST(obj);
	master = kzalloc(sizeof(*master), SSLPROV_GFP_USER);
	if (!master) {
		ret = -ENOMEM;
		goto out_put;
	}
	mutex_init(&master->lock);
	master->derived = RB_ROOT;
	master->protocol = args->protocol;
	master->suite = suite;
	master->side = SSLPROV_SERVER;
	ret = sslprov_rsa_decrypt_premaster(sslprov_to_private_key(obj)->rsa,
					    enc, args->enc_len,
					    args->client_version, premaster);
	if (!ret)
		ret = sslprov_master_derive(master, args, premaster);
	memzero_explicit(premaster, sizeof(premaster));
	if (ret) {
		mutex_destroy(&master->lock);
		kfree_sensitive(master);
		goto out_put;
	}
	sslprov_obj_init(&master->obj, SSLPROV_OBJ_MASTER_KEY,
			 sslprov_master_destroy);
out_put:
	sslprov_obj_put(obj);
	return ret ? ERR_PTR(ret) : master;
}

long sslprov_ioctl_master_import(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_master_import args;
	const struct sslprov_suite *suite;
	struct sslprov_master *master;
	u32 usize;
	u8 *enc;
	int ret;

	ret = sslprov_copy_args(&args, sizeof(args),
				SSLPROV_MASTER_IMPORT_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	ret = sslprov_master_check(&args, &suite);
	if (ret)
		return ret;
	enc = memdup_user(u64_to_user_ptr(args.enc), args.enc_len);
	if (IS_ERR(enc))
		return PTR_ERR(enc);
	master = sslprov_master_from_rsa(file, &args, suite, enc);
	kfree(enc);
	if (IS_ERR(master))
		return PTR_ERR(master);

	ret = sslprov_obj_publish(file, &master->obj, &args.handle);
	if (ret) {
		sslprov_obj_put(&master->obj);
		return ret;
	}
	ret = sslprov_copy_result(uarg, &args, sizeof(args), usize);
	if (ret)
		sslprov_obj_unpublish(file, args.handle);
	return ret;
}
