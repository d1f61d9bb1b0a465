// SPDX-License-Identifier: GPL-2.0
/*
 * Record protection (SslEncryptPacket, SslDecryptPacket) for the TLS 1.2
 * AES-GCM suites of RFC 5288:
 *
 *	nonce	= salt(4) || nonce_explicit(8)
 *	AAD	= seq(8) || type(1) || version(2) || uint16(plaintext length)
 *	record	= type(1) || version(2) || length(2) ||
 *		  nonce_explicit(8) || ciphertext || tag(16)
 *
 * The caller supplies the sequence number, and the explicit nonce we send is
 * that number, so a caller bug could repeat a GCM nonce and give away the
 * authentication key.  Each key therefore refuses a sequence number it has
 * already passed; on read keys the same rule refuses replayed records.
 *
 * A record is copied whole into one kernel buffer laid out as
 *
 *	AAD(13) | data | tag(16) | nonce(12)
 *
 * and the AEAD works in place on a single scatterlist entry.  So output may
 * overlap input, and nothing unauthenticated ever reaches userspace.  The AAD
 * is exactly as long as header + explicit nonce: once a record is sealed, its
 * AAD is overwritten with those and the record is the start of the buffer.
 * The nonce sits in the buffer too rather than on the (virtually mapped)
 * stack, because a hardware AEAD may DMA it.
 */
#include <crypto/aead.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <linux/sslprov.h>

#include "key.h"

#define SSLPROV_HEADER_LEN	5
#define SSLPROV_GCM_SALT_LEN	4
#define SSLPROV_GCM_EXPLICIT_LEN 8
#define SSLPROV_GCM_NONCE_LEN	(SSLPROV_GCM_SALT_LEN + SSLPROV_GCM_EXPLICIT_LEN)
#define SSLPROV_GCM_TAG_LEN	16
#define SSLPROV_AAD_LEN		13
/* Bytes a record adds to its plaintext: header, explicit nonce, tag. */
#define SSLPROV_GCM_OVERHEAD	(SSLPROV_HEADER_LEN + SSLPROV_GCM_EXPLICIT_LEN + \
				 SSLPROV_GCM_TAG_LEN)

#define SSLPROV_CT_FIRST	20	/* change_cipher_spec */
#define SSLPROV_CT_LAST		23	/* application_data */

/*
 * The buffer arithmetic below depends on these sizes, so check the key
 * really is what it claims rather than trust the suite table alone.
 */
static bool sslprov_record_key_ok(const struct sslprov_session_key *key)
{
	const struct sslprov_suite *suite = key->suite;

	return key->protocol == SSLPROV_TLS1_2 &&
	       suite->cipher == SSLPROV_CIPHER_AES_GCM &&
	       suite->fixed_iv_len == SSLPROV_GCM_SALT_LEN &&
	       suite->record_iv_len == SSLPROV_GCM_EXPLICIT_LEN &&
	       suite->tag_len == SSLPROV_GCM_TAG_LEN;
}

/* The key's AEAD (made on first use), if it really is GCM as we use it. */
static struct crypto_aead *sslprov_record_aead(struct sslprov_session_key *key)
{
	struct crypto_aead *aead = sslprov_session_key_aead(key);

	if (IS_ERR(aead))
		return aead;
	if (crypto_aead_ivsize(aead) != SSLPROV_GCM_NONCE_LEN ||
	    crypto_aead_authsize(aead) != SSLPROV_GCM_TAG_LEN)
		return ERR_PTR(-EOPNOTSUPP);
	return aead;
}

/**
 * sslprov_record_key_get() - look up the key of a record operation.
 * @file: the caller's file.
 * @handle: the key's handle.
 * @write: true for ENCRYPT, which needs a write key; false for DECRYPT.
 *
 * Return: the key with a reference, or ERR_PTR(-EBADF), ERR_PTR(-EKEYREJECTED)
 * (another kind of key, or the other direction) or ERR_PTR(-EOPNOTSUPP).
 */
static struct sslprov_session_key *
sslprov_record_key_get(struct sslprov_file *file, u32 handle, bool write)
{
	struct sslprov_session_key *key;
	struct sslprov_obj *obj;
	int ret;

	obj = sslprov_obj_get(file, handle, SSLPROV_OBJ_SESSION_KEY);
	if (IS_ERR(obj))
		return ERR_CAST(obj);
	key = sslprov_to_session_key(obj);
	if (key->write != write) {
		ret = -EKEYREJECTED;
		goto out_put;
	}
	if (!sslprov_record_key_ok(key)) {
		ret = -EOPNOTSUPP;
		goto out_put;
	}
	return key;

out_put:
	sslprov_obj_put(obj);
	return ERR_PTR(ret);
}

/*
 * May @seq be used now?  A key handed to kTLS belongs to the socket: kTLS
 * counts its own sequence numbers, which this module cannot see, so any
 * record made here could repeat one of its nonces.
 */
static int sslprov_seq_check(const struct sslprov_session_key *key, u64 seq)
{
	lockdep_assert_held(&key->lock);

	if (key->ktls_attached)
		return -EKEYREJECTED;
	if (key->seq_started && seq < key->next_seq)
		return -EINVAL;
	return 0;
}

static void sslprov_seq_advance(struct sslprov_session_key *key, u64 seq)
{
	lockdep_assert_held(&key->lock);

	key->next_seq = seq + 1;	/* seq < U64_MAX was checked */
	key->seq_started = true;
}

static void sslprov_put_be16(u8 *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static unsigned int sslprov_get_be16(const u8 *p)
{
	return p[0] << 8 | p[1];
}

static void sslprov_build_aad(u8 aad[SSLPROV_AAD_LEN], u64 seq, u8 type,
			      u32 version, unsigned int len)
{
	__be64 seq_be = cpu_to_be64(seq);

	memcpy(aad, &seq_be, sizeof(seq_be));
	aad[8] = type;
	sslprov_put_be16(aad + 9, version);
	sslprov_put_be16(aad + 11, len);
}

/**
 * sslprov_gcm_crypt() - seal or open one record in place.
 * @key: the key, locked by the caller (its tfm is shared by all requests).
 * @buf: AAD | data | tag | nonce, the AAD and nonce already filled in.
 * @len: plaintext length.
 * @enc: true to seal (data is plaintext, tag is written), false to open.
 *
 * Return: 0, -EBADMSG when the tag does not match, or another errno.
 */
static int sslprov_gcm_crypt(struct sslprov_session_key *key, u8 *buf,
			     unsigned int len, bool enc)
{
	unsigned int total = SSLPROV_AAD_LEN + len + SSLPROV_GCM_TAG_LEN;
	struct aead_request *req;
	struct crypto_aead *aead;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	int ret;

	lockdep_assert_held(&key->lock);

	aead = sslprov_record_aead(key);
	if (IS_ERR(aead))
		return PTR_ERR(aead);
	req = aead_request_alloc(aead, SSLPROV_GFP_USER);
	if (!req)
		return -ENOMEM;
	sg_init_one(&sg, buf, total);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG |
				  CRYPTO_TFM_REQ_MAY_SLEEP,
				  crypto_req_done, &wait);
	aead_request_set_ad(req, SSLPROV_AAD_LEN);
	aead_request_set_crypt(req, &sg, &sg,
			       enc ? len : len + SSLPROV_GCM_TAG_LEN,
			       buf + total);
	if (enc)
		ret = crypto_wait_req(crypto_aead_encrypt(req), &wait);
	else
		ret = crypto_wait_req(crypto_aead_decrypt(req), &wait);
	aead_request_free(req);
	return ret;
}

/* Size of the record buffer for @len bytes of plaintext. */
static size_t sslprov_record_buf_size(unsigned int len)
{
	return SSLPROV_AAD_LEN + len + SSLPROV_GCM_TAG_LEN +
	       SSLPROV_GCM_NONCE_LEN;
}

static u8 *sslprov_record_nonce(u8 *buf, unsigned int len)
{
	return buf + SSLPROV_AAD_LEN + len + SSLPROV_GCM_TAG_LEN;
}

/**
 * sslprov_record_size() - settle a size query or a short output buffer.
 * @uarg: the caller's argument structure.
 * @args: our copy; @args->result_len is set to @needed.
 * @usize: the caller's structure size.
 * @needed: bytes the output takes.
 *
 * Return: 1 when the caller's @out has room and the record is to be
 * processed, 0 for a size query answered, or -ENOBUFS / -EFAULT.
 */
static int sslprov_record_size(void __user *uarg, struct sslprov_record *args,
			       u32 usize, u32 needed)
{
	int ret;

	if (args->out && args->out_len >= needed)
		return 1;
	args->result_len = needed;
	ret = sslprov_copy_result(uarg, args, sizeof(*args), usize);
	if (ret)
		return ret;
	return args->out ? -ENOBUFS : 0;
}

static int sslprov_record_args(void __user *uarg, struct sslprov_record *args,
			       u32 *usize)
{
	int ret;

	ret = sslprov_copy_args(args, sizeof(*args), SSLPROV_RECORD_SIZE_VER0,
				uarg, usize);
	if (ret)
		return ret;
	/* U64_MAX is refused so that next_seq never wraps (spec 6.7). */
	if (args->flags || args->__reserved || args->seq == U64_MAX)
		return -EINVAL;
	return 0;
}

/* Seal the plaintext at buf + AAD under @seq; the key is locked. */
static int sslprov_encrypt_locked(struct sslprov_session_key *key,
				  const struct sslprov_record *args, u8 *buf)
{
	__be64 seq_be = cpu_to_be64(args->seq);
	u8 *nonce = sslprov_record_nonce(buf, args->in_len);
	int ret;

	ret = sslprov_seq_check(key, args->seq);
	if (ret)
		return ret;
	sslprov_build_aad(buf, args->seq, args->content_type, key->protocol,
			  args->in_len);
	memcpy(nonce, key->fixed_iv, SSLPROV_GCM_SALT_LEN);
	memcpy(nonce + SSLPROV_GCM_SALT_LEN, &seq_be, sizeof(seq_be));
	ret = sslprov_gcm_crypt(key, buf, args->in_len, true);
	if (ret)
		return ret;
	/*
	 * The nonce is spent as soon as a ciphertext exists, even if copying
	 * it out fails below: part of it may already be in userspace.
	 */
	sslprov_seq_advance(key, args->seq);
	return 0;
}

static int sslprov_encrypt(struct sslprov_session_key *key,
			   struct sslprov_record *args, u32 record_len)
{
	u8 *buf;
	int ret;

	buf = kmalloc(sslprov_record_buf_size(args->in_len),
		      SSLPROV_GFP_USER);
	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf + SSLPROV_AAD_LEN, u64_to_user_ptr(args->in),
			   args->in_len)) {
		ret = -EFAULT;
		goto out_free;
	}

	mutex_lock(&key->lock);
	ret = sslprov_encrypt_locked(key, args, buf);
	mutex_unlock(&key->lock);
	if (ret)
		goto out_free;

	/* AAD -> header || explicit nonce: the buffer is now the record. */
	buf[0] = args->content_type;
	sslprov_put_be16(buf + 1, key->protocol);
	sslprov_put_be16(buf + 3, record_len - SSLPROV_HEADER_LEN);
	memcpy(buf + SSLPROV_HEADER_LEN,
	       sslprov_record_nonce(buf, args->in_len) + SSLPROV_GCM_SALT_LEN,
	       SSLPROV_GCM_EXPLICIT_LEN);
	if (copy_to_user(u64_to_user_ptr(args->out), buf, record_len))
		ret = -EFAULT;

out_free:
	kfree_sensitive(buf);	/* held the plaintext */
	return ret;
}

long sslprov_ioctl_encrypt(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_session_key *key;
	struct sslprov_record args;
	u32 usize, record_len;
	int ret;

	ret = sslprov_record_args(uarg, &args, &usize);
	if (ret)
		return ret;
	if (args.content_type < SSLPROV_CT_FIRST ||
	    args.content_type > SSLPROV_CT_LAST ||
	    args.in_len > SSLPROV_MAX_RECORD_PLAINTEXT)
		return -EINVAL;

	key = sslprov_record_key_get(file, args.key, true);
	if (IS_ERR(key))
		return PTR_ERR(key);

	record_len = args.in_len + SSLPROV_GCM_OVERHEAD;
	ret = sslprov_record_size(uarg, &args, usize, record_len);
	if (ret <= 0)
		goto out_put;

	ret = sslprov_encrypt(key, &args, record_len);
	if (ret)
		goto out_put;
	args.result_len = record_len;
	ret = sslprov_copy_result(uarg, &args, sizeof(args), usize);

out_put:
	sslprov_obj_put(&key->obj);
	return ret;
}

/*
 * The header as received must match what the record is: its length field
 * the bytes that follow it, its version the key's protocol.  The AAD would
 * catch a wrong version too, but only as a bad tag; this is a clearer error.
 */
static int sslprov_check_header(const struct sslprov_session_key *key,
				const u8 *buf, u32 in_len)
{
	if (sslprov_get_be16(buf + 3) != in_len - SSLPROV_HEADER_LEN)
		return -EINVAL;
	if (sslprov_get_be16(buf + 1) != key->protocol)
		return -EINVAL;
	return 0;
}

/* Open the record in @buf (plaintext length @len); the key is locked. */
static int sslprov_decrypt_locked(struct sslprov_session_key *key,
				  const struct sslprov_record *args, u8 *buf,
				  unsigned int len)
{
	u8 *nonce = sslprov_record_nonce(buf, len);
	int ret;

	ret = sslprov_seq_check(key, args->seq);
	if (ret)
		return ret;
	/*
	 * The nonce takes the explicit part the sender put in the record
	 * (RFC 5288 lets it be any unique value); the AAD takes our sequence
	 * number.  Both are read before the AAD overwrites header and nonce.
	 */
	memcpy(nonce, key->fixed_iv, SSLPROV_GCM_SALT_LEN);
	memcpy(nonce + SSLPROV_GCM_SALT_LEN, buf + SSLPROV_HEADER_LEN,
	       SSLPROV_GCM_EXPLICIT_LEN);
	sslprov_build_aad(buf, args->seq, buf[0], key->protocol, len);
	ret = sslprov_gcm_crypt(key, buf, len, false);
	if (ret)
		return ret;	/* -EBADMSG: the sequence does not move */
	sslprov_seq_advance(key, args->seq);
	return 0;
}

static int sslprov_decrypt(struct sslprov_session_key *key,
			   const struct sslprov_record *args, u32 len)
{
	u8 *buf;
	int ret;

	/* in_len == AAD + len + tag + explicit nonce: the same sizes again. */
	buf = kmalloc(sslprov_record_buf_size(len), SSLPROV_GFP_USER);
	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf, u64_to_user_ptr(args->in), args->in_len)) {
		ret = -EFAULT;
		goto out_free;
	}
	ret = sslprov_check_header(key, buf, args->in_len);
	if (ret)
		goto out_free;

	mutex_lock(&key->lock);
	ret = sslprov_decrypt_locked(key, args, buf, len);
	mutex_unlock(&key->lock);
	if (ret)
		goto out_free;

	if (copy_to_user(u64_to_user_ptr(args->out), buf + SSLPROV_AAD_LEN,
			 len))
		ret = -EFAULT;

out_free:
	kfree_sensitive(buf);	/* held the plaintext */
	return ret;
}

long sslprov_ioctl_decrypt(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_session_key *key;
	struct sslprov_record args;
	u32 usize, len;
	int ret;

	ret = sslprov_record_args(uarg, &args, &usize);
	if (ret)
		return ret;
	/*
	 * content_type comes from the record header here; the field must be
	 * zero so that a later version can give it a meaning.  An AEAD
	 * record's length tells its plaintext length, which may be at most
	 * 2^14 (RFC 5246 6.2.3, record_overflow): refuse before decrypting.
	 */
	if (args.content_type || args.in_len < SSLPROV_GCM_OVERHEAD ||
	    args.in_len > SSLPROV_GCM_OVERHEAD + SSLPROV_MAX_RECORD_PLAINTEXT)
		return -EINVAL;

	key = sslprov_record_key_get(file, args.key, false);
	if (IS_ERR(key))
		return PTR_ERR(key);

	len = args.in_len - SSLPROV_GCM_OVERHEAD;
	ret = sslprov_record_size(uarg, &args, usize, len);
	if (ret <= 0)
		goto out_put;

	ret = sslprov_decrypt(key, &args, len);
	if (ret)
		goto out_put;
	args.result_len = len;
	ret = sslprov_copy_result(uarg, &args, sizeof(args), usize);

out_put:
	sslprov_obj_put(&key->obj);
	return ret;
}
