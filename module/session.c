// SPDX-License-Identifier: GPL-2.0
/*
 * Session keys: SslGenerateSessionKeys.
 *
 * key_block = PRF(master_secret, "key expansion",
 *		   server_random || client_random)	(RFC 5246 section 6.3)
 * sliced into client/server MAC keys (none for AEAD), client/server write
 * keys and client/server fixed IVs.  The server writes with the server's
 * keys and reads with the client's; the client the other way round.
 */
#include <crypto/aead.h>
#include <linux/err.h>
#include <linux/slab.h>

#include "key.h"

#define SSLPROV_AEAD_TAG_LEN	16
#define SSLPROV_MAX_KEY_BLOCK	(2 * (SSLPROV_MAX_KEY_LEN + SSLPROV_MAX_FIXED_IV))

static void sslprov_session_key_destroy(struct sslprov_obj *obj)
{
	struct sslprov_session_key *key = sslprov_to_session_key(obj);

	if (key->aead) {
		crypto_free_aead(key->aead);
		sslprov_stats_aead_del();
	}
	mutex_destroy(&key->lock);
	kfree_sensitive(key);
}

/**
 * sslprov_session_key_create() - a record key for one direction.
 * @protocol: wire protocol version.
 * @suite: the suite; only AEAD suites have records here.
 * @write: true to encrypt, false to decrypt.
 * @key: @suite->key_len bytes.
 * @fixed_iv: @suite->fixed_iv_len bytes.
 *
 * Return: the object with one reference, or an ERR_PTR.
 */
struct sslprov_session_key *
sslprov_session_key_create(u32 protocol, const struct sslprov_suite *suite,
			   bool write, const u8 *key, const u8 *fixed_iv)
{
	struct sslprov_session_key *sk;

	if (suite->cipher != SSLPROV_CIPHER_AES_GCM)
		return ERR_PTR(-EOPNOTSUPP);
	sk = kzalloc(sizeof(*sk), SSLPROV_GFP_USER);
	if (!sk)
		return ERR_PTR(-ENOMEM);
	mutex_init(&sk->lock);
	sk->protocol = protocol;
	sk->suite = suite;
	sk->write = write;
	memcpy(sk->key, key, suite->key_len);
	memcpy(sk->fixed_iv, fixed_iv, suite->fixed_iv_len);
	sslprov_obj_init(&sk->obj, SSLPROV_OBJ_SESSION_KEY,
			 sslprov_session_key_destroy);
	return sk;
}

/**
 * sslprov_session_key_aead() - the key's record AEAD, made on first use.
 * @key: the key, locked by the caller.
 *
 * SslGenerateSessionKeys does not make it: a key handed to kTLS never
 * needs one (kTLS keys a transform of its own), and making and freeing a
 * gcm(aes) transform was about a third of the kernel's time in
 * SslGenerateSessionKeys and freeing the pair (make bench-profile).  The
 * first SslEncryptPacket or SslDecryptPacket makes it; if that fails, the
 * call fails and the key is as it was.
 *
 * Return: the transform, with the key and tag length set, or an ERR_PTR.
 */
struct crypto_aead *sslprov_session_key_aead(struct sslprov_session_key *key)
{
	struct crypto_aead *aead;
	int ret;

	lockdep_assert_held(&key->lock);

	if (key->aead)
		return key->aead;
	aead = crypto_alloc_aead("gcm(aes)", 0, 0);
	if (IS_ERR(aead))
		return aead;
	ret = crypto_aead_setkey(aead, key->key, key->suite->key_len) ?:
	      crypto_aead_setauthsize(aead, SSLPROV_AEAD_TAG_LEN);
	if (ret) {
		crypto_free_aead(aead);
		return ERR_PTR(ret);
	}
	key->aead = aead;
	sslprov_stats_aead_add();
	return aead;
}

/* Build both keys from the key block; [0] is the client's, [1] the server's. */
static int sslprov_session_pair(const struct sslprov_master *master,
				const struct sslprov_session_keys *args,
				u32 side, struct sslprov_session_key *out[2])
{
	const struct sslprov_suite *suite = master->suite;
	unsigned int klen = suite->key_len, ivlen = suite->fixed_iv_len;
	u8 block[SSLPROV_MAX_KEY_BLOCK];
	int i, ret;

	ret = sslprov_prf_keyed(&master->prf, "key expansion",
				args->server_random, SSLPROV_RANDOM_LEN,
				args->client_random, SSLPROV_RANDOM_LEN,
				block, 2 * (klen + ivlen));
	for (i = 0; i < 2 && !ret; i++) {
		/* Client's keys write when we are the client. */
		bool write = (i == 0) == (side == SSLPROV_CLIENT);

		out[i] = sslprov_session_key_create(master->protocol, suite,
						    write, block + i * klen,
						    block + 2 * klen + i * ivlen);
		if (IS_ERR(out[i])) {
			ret = PTR_ERR(out[i]);
			out[i] = NULL;
		}
	}
	memzero_explicit(block, sizeof(block));
	return ret;
}

static int sslprov_session_publish(struct sslprov_file *file,
				   struct sslprov_session_key *keys[2],
				   u32 handles[2])
{
	int ret;

	ret = sslprov_obj_publish(file, &keys[0]->obj, &handles[0]);
	if (ret)
		return ret;
	keys[0] = NULL;		/* owned by the table now */
	ret = sslprov_obj_publish(file, &keys[1]->obj, &handles[1]);
	if (ret) {
		sslprov_obj_unpublish(file, handles[0]);
		return ret;
	}
	keys[1] = NULL;
	return 0;
}

long sslprov_ioctl_session_keys(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_session_key *keys[2] = {};
	struct sslprov_session_keys args;
	struct sslprov_master *master;
	struct sslprov_obj *obj;
	u8 id[SSLPROV_DERIVATION_ID_LEN];
	u32 usize, side, handles[2];
	int ret;

	ret = sslprov_copy_args(&args, sizeof(args),
				SSLPROV_SESSION_KEYS_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	if (args.__reserved || args.read_key || args.write_key)
		return -EINVAL;
	if (args.flags && args.flags != SSLPROV_CLIENT &&
	    args.flags != SSLPROV_SERVER)
		return -EBADRQC;
	obj = sslprov_obj_get(file, args.master_key, SSLPROV_OBJ_MASTER_KEY);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	master = sslprov_to_master(obj);
	side = args.flags ?: master->side;

	sslprov_derivation_id(args.server_random, args.client_random, side, id);
	ret = sslprov_derivation_claim(master, id);
	if (ret)
		goto out;
	ret = sslprov_session_pair(master, &args, side, keys);
	if (ret)
		goto out_unclaim;
	ret = sslprov_session_publish(file, keys, handles);
	if (ret)
		goto out_unclaim;
	args.write_key = side == SSLPROV_CLIENT ? handles[0] : handles[1];
	args.read_key = side == SSLPROV_CLIENT ? handles[1] : handles[0];
	ret = sslprov_copy_result(uarg, &args, sizeof(args), usize);
	if (!ret)
		goto out;
	/*
	 * Nobody learned the handles, so nobody can have used the keys:
	 * dropping them and the claim leaves no reusable nonce behind.
	 */
	sslprov_obj_unpublish(file, handles[0]);
	sslprov_obj_unpublish(file, handles[1]);
out_unclaim:
	sslprov_derivation_unclaim(master, id);
out:
	sslprov_obj_put(keys[0] ? &keys[0]->obj : NULL);
	sslprov_obj_put(keys[1] ? &keys[1]->obj : NULL);
	sslprov_obj_put(obj);
	return ret;
}
