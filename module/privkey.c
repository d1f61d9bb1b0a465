// SPDX-License-Identifier: GPL-2.0
/*
 * Private key objects.  A private key object is a file's handle on an RSA
 * key that lives in kernel memory only: either opened from the key store
 * (SslOpenPrivateKey) or imported by the file itself (SslImportKey with a
 * private blob).  Nothing ever reads the key back.
 */
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "key.h"

static void sslprov_private_key_destroy(struct sslprov_obj *obj)
{
	struct sslprov_private_key *key = sslprov_to_private_key(obj);

	sslprov_rsa_put(key->rsa);
	kfree(key);
}

/**
 * sslprov_private_key_publish() - a new private key object for @file.
 * @file: the owning file.
 * @rsa: the key; the object takes its own reference.
 * @handle: out: the object's handle.
 *
 * Return: 0 or a negative errno.
 */
int sslprov_private_key_publish(struct sslprov_file *file,
				struct sslprov_rsa *rsa, u32 *handle)
{
	struct sslprov_private_key *key;
	int ret;

	key = kzalloc(sizeof(*key), SSLPROV_GFP_USER);
	if (!key)
		return -ENOMEM;
	kref_get(&rsa->ref);
	key->rsa = rsa;
	sslprov_obj_init(&key->obj, SSLPROV_OBJ_PRIVATE_KEY,
			 sslprov_private_key_destroy);
	ret = sslprov_obj_publish(file, &key->obj, handle);
	if (ret)
		sslprov_obj_put(&key->obj);
	return ret;
}

/**
 * sslprov_der_from_user() - copy a user's DER key into the kernel.
 * @uptr: user pointer.
 * @len: its length, at most SSLPROV_MAX_KEY_DER.
 *
 * Shared by private and public key import, which both read a bounded DER
 * blob before parsing it.
 *
 * Return: a kmalloc'd copy, which the caller frees with kfree_sensitive(),
 * or ERR_PTR(-EINVAL, -ENOMEM, -EFAULT).
 */
u8 *sslprov_der_from_user(u64 uptr, u32 len)
{
	u8 *der;

	if (!len || len > SSLPROV_MAX_KEY_DER)
		return ERR_PTR(-EINVAL);
	der = kmalloc(len, SSLPROV_GFP_USER);
	if (!der)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(der, u64_to_user_ptr(uptr), len)) {
		kfree(der);
		return ERR_PTR(-EFAULT);
	}
	return der;
}

/**
 * sslprov_rsa_from_user() - parse a user's DER RSAPrivateKey.
 * @uptr: user pointer.
 * @len: its length, at most SSLPROV_MAX_KEY_DER.
 *
 * Return: the key, or ERR_PTR(-EINVAL, -EFAULT, -EILSEQ, -EOPNOTSUPP,
 * -ENOMEM).  The kernel copy of the DER is wiped.
 */
struct sslprov_rsa *sslprov_rsa_from_user(u64 uptr, u32 len)
{
	struct sslprov_rsa *rsa;
	u8 *der;

	der = sslprov_der_from_user(uptr, len);
	if (IS_ERR(der))
		return ERR_CAST(der);
	rsa = sslprov_rsa_create(der, len);
	kfree_sensitive(der);
	return rsa;
}

long sslprov_ioctl_key_import(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_key_import args;
	struct sslprov_rsa *rsa;
	u32 usize;
	int ret;

	ret = sslprov_copy_args(&args, sizeof(args),
				SSLPROV_KEY_IMPORT_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	if (args.flags)
		return -EINVAL;
	rsa = sslprov_rsa_from_user(args.der, args.der_len);
	if (IS_ERR(rsa))
		return PTR_ERR(rsa);
	ret = sslprov_private_key_publish(file, rsa, &args.handle);
	sslprov_rsa_put(rsa);
	if (ret)
		return ret;
	ret = sslprov_copy_result(uarg, &args, sizeof(args), usize);
	if (ret)
		sslprov_obj_unpublish(file, args.handle);
	return ret;
}
