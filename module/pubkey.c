// SPDX-License-Identifier: GPL-2.0
/*
 * RSA public keys: public key objects (SslImportKey with
 * BCRYPT_RSAPUBLIC_BLOB) and the export of the public half of any RSA key
 * object (SslExportKey with BCRYPT_RSAPUBLIC_BLOB).
 *
 * A public key object holds no secret; it exists so that code ported from
 * Windows can import, export and free one like any other key.  Its bytes
 * are kept canonical (big-endian, no leading zeros), so that an export
 * gives back exactly what was imported.
 */
#include <crypto/internal/rsa.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "key.h"

/**
 * struct sslprov_public_key - an RSA public key object of one file.
 * @obj: object header.
 * @bits: modulus bits.
 * @n_len: modulus bytes, (@bits + 7) / 8.
 * @e_len: public exponent bytes.
 * @bytes: the exponent, then the modulus, big-endian.
 */
struct sslprov_public_key {
	struct sslprov_obj obj;
	unsigned int bits;
	unsigned int n_len;
	unsigned int e_len;
	u8 bytes[];
};

static struct sslprov_public_key *to_public_key(struct sslprov_obj *obj)
{
	return container_of(obj, struct sslprov_public_key, obj);
}

static void sslprov_public_key_destroy(struct sslprov_obj *obj)
{
	kfree(to_public_key(obj));
}

/*
 * A DER INTEGER's content must be positive and minimal: no sign bit, and a
 * leading zero byte only in front of one that has it.  The kernel's parser
 * accepts both; an export could then not give back the imported bytes.
 */
static int sslprov_der_positive(const u8 **v, size_t *len)
{
	const u8 *p = *v;
	size_t n = *len;

	if (!n || p[0] & 0x80)
		return -EILSEQ;
	if (p[0] == 0) {
		if (n == 1 || !(p[1] & 0x80))
			return -EILSEQ;
		p++;
		n--;
	}
	*v = p;
	*len = n;
	return 0;
}

static unsigned int sslprov_be_bits(const u8 *v, size_t len)
{
	return (len - 1) * 8 + fls(v[0]);
}

/* Checks n and e; on success @raw's n and e are canonical. */
static int sslprov_pubkey_check(struct rsa_key *raw)
{
	unsigned int bits;
	int ret;

	ret = sslprov_der_positive(&raw->n, &raw->n_sz) ?:
	      sslprov_der_positive(&raw->e, &raw->e_sz);
	if (ret)
		return ret;
	if (!(raw->n[raw->n_sz - 1] & 1) || !(raw->e[raw->e_sz - 1] & 1))
		return -EILSEQ;
	/* e > 1: an odd canonical e is 1 only as the single byte 0x01. */
	if (raw->e_sz == 1 && raw->e[0] == 1)
		return -EILSEQ;
	/* e < n: compare lengths first, then the bytes (both canonical). */
	if (raw->e_sz > raw->n_sz ||
	    (raw->e_sz == raw->n_sz && memcmp(raw->e, raw->n, raw->n_sz) >= 0))
		return -EILSEQ;
	bits = sslprov_be_bits(raw->n, raw->n_sz);
	if (bits < SSLPROV_RSA_MIN_BITS || bits > SSLPROV_RSA_MAX_BITS)
		return -EOPNOTSUPP;
	return 0;
}

static struct sslprov_public_key *
sslprov_pubkey_parse(const u8 *der, u32 len)
{
	struct sslprov_public_key *key;
	struct rsa_key raw = {};
	int ret;

	if (!sslprov_der_exact(der, len) || rsa_parse_pub_key(&raw, der, len))
		return ERR_PTR(-EILSEQ);
	ret = sslprov_pubkey_check(&raw);
	if (ret)
		return ERR_PTR(ret);

	key = kzalloc(struct_size(key, bytes, raw.e_sz + raw.n_sz),
		      SSLPROV_GFP_USER);
	if (!key)
		return ERR_PTR(-ENOMEM);
	key->bits = sslprov_be_bits(raw.n, raw.n_sz);
	key->n_len = raw.n_sz;
	key->e_len = raw.e_sz;
	memcpy(key->bytes, raw.e, raw.e_sz);
	memcpy(key->bytes + raw.e_sz, raw.n, raw.n_sz);
	sslprov_obj_init(&key->obj, SSLPROV_OBJ_PUBLIC_KEY,
			 sslprov_public_key_destroy);
	return key;
}

static struct sslprov_public_key *sslprov_pubkey_from_user(u64 uptr, u32 len)
{
	struct sslprov_public_key *key;
	u8 *der;

	der = sslprov_der_from_user(uptr, len);
	if (IS_ERR(der))
		return ERR_CAST(der);
	key = sslprov_pubkey_parse(der, len);
	kfree(der);		/* a public key: nothing to wipe */
	return key;
}

long sslprov_ioctl_pubkey_import(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_pubkey_import args;
	struct sslprov_public_key *key;
	u32 usize;
	int ret;

	ret = sslprov_copy_args(&args, sizeof(args),
				SSLPROV_PUBKEY_IMPORT_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	if (args.flags)
		return -EINVAL;
	key = sslprov_pubkey_from_user(args.der, args.der_len);
	if (IS_ERR(key))
		return PTR_ERR(key);
	ret = sslprov_obj_publish(file, &key->obj, &args.handle);
	if (ret) {
		sslprov_obj_put(&key->obj);
		return ret;
	}
	ret = sslprov_copy_result(uarg, &args, sizeof(args), usize);
	if (ret)
		sslprov_obj_unpublish(file, args.handle);
	return ret;
}

/*
 * The public half of @obj, a public or private key object, into @out
 * (e_len + n_len bytes); with @out NULL only the lengths are set.
 */
static int sslprov_pubkey_bytes(struct sslprov_obj *obj,
				struct sslprov_pubkey_export *args, u8 *out)
{
	struct sslprov_public_key *pub;
	struct sslprov_rsa *rsa;

	if (obj->type == SSLPROV_OBJ_PUBLIC_KEY) {
		pub = to_public_key(obj);
		args->bits = pub->bits;
		args->e_len = pub->e_len;
		args->n_len = pub->n_len;
		if (out)
			memcpy(out, pub->bytes, pub->e_len + pub->n_len);
		return 0;
	}
	rsa = sslprov_to_private_key(obj)->rsa;
	args->bits = rsa->bits;
	args->e_len = DIV_ROUND_UP(mpi_get_nbits(rsa->e), 8);
	args->n_len = rsa->mod_len;
	if (!out)
		return 0;
	return sslprov_mpi_to_be(rsa->e, out, args->e_len) ?:
	       sslprov_mpi_to_be(rsa->n, out + args->e_len, args->n_len);
}

static struct sslprov_obj *sslprov_rsa_key_get(struct sslprov_file *file,
					       u32 handle)
{
	struct sslprov_obj *obj;

	obj = sslprov_obj_get(file, handle, SSLPROV_OBJ_PUBLIC_KEY);
	if (PTR_ERR_OR_ZERO(obj) == -EKEYREJECTED)
		obj = sslprov_obj_get(file, handle, SSLPROV_OBJ_PRIVATE_KEY);
	return obj;
}

static int sslprov_pubkey_copy_out(struct sslprov_obj *obj,
				   struct sslprov_pubkey_export *args)
{
	u32 len = args->e_len + args->n_len;
	u8 *buf;
	int ret;

	buf = kmalloc(len, SSLPROV_GFP_USER);
	if (!buf)
		return -ENOMEM;
	ret = sslprov_pubkey_bytes(obj, args, buf);
	if (!ret && copy_to_user(u64_to_user_ptr(args->buf), buf, len))
		ret = -EFAULT;
	kfree(buf);
	return ret;
}

long sslprov_ioctl_pubkey_export(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_pubkey_export args;
	struct sslprov_obj *obj;
	u32 usize;
	int ret;

	ret = sslprov_copy_args(&args, sizeof(args),
				SSLPROV_PUBKEY_EXPORT_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	if (args.flags || args.__reserved)
		return -EINVAL;
	obj = sslprov_rsa_key_get(file, args.handle);
	if (IS_ERR(obj))
		return PTR_ERR(obj);

	ret = sslprov_pubkey_bytes(obj, &args, NULL);
	if (ret)
		goto out_put;
	if (args.buf && args.buf_len >= args.e_len + args.n_len)
		ret = sslprov_pubkey_copy_out(obj, &args);
	if (!ret)
		ret = sslprov_copy_result(uarg, &args, sizeof(args), usize);
	if (!ret && args.buf && args.buf_len < args.e_len + args.n_len)
		ret = -ENOBUFS;
out_put:
	sslprov_obj_put(obj);
	return ret;
}
