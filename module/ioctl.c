// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl door: argument copying and dispatch.
 *
 * Every argument structure starts with its own size, so the ABI can grow
 * the way openat2() and clone3() do.  The size bits of the command number
 * are therefore masked out before dispatching.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include <linux/sslprov.h>

#include "sslprov.h"

/**
 * sslprov_copy_args() - read a size-first ioctl argument.
 * @karg: kernel copy, @ksize bytes.
 * @ksize: size of the structure this module knows.
 * @min_size: size of the first published version.
 * @uarg: user pointer.
 * @usize: out: the caller's size, to bound what is written back.
 *
 * The size is read once and then stored over the copied size field, so a
 * caller racing to change it gains nothing.
 *
 * Return: 0, -EFAULT, -EINVAL (too short), or -E2BIG (too long, or unknown
 * trailing bytes not zero).
 */
int sslprov_copy_args(void *karg, size_t ksize, size_t min_size,
		      const void __user *uarg, u32 *usize)
{
	u32 size;
	int ret;

	if (get_user(size, (const u32 __user *)uarg))
		return -EFAULT;
	if (size < min_size)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	ret = copy_struct_from_user(karg, ksize, uarg, size);
	if (ret)
		return ret;
	*(u32 *)karg = size;
	*usize = size;
	return 0;
}

/* Write back at most what the caller said it has room for. */
int sslprov_copy_result(void __user *uarg, const void *karg, size_t ksize,
			u32 usize)
{
	if (copy_to_user(uarg, karg, min_t(size_t, ksize, usize)))
		return -EFAULT;
	return 0;
}

static long sslprov_ioctl_get_info(struct sslprov_file *file,
				   void __user *uarg)
{
	struct sslprov_info info;
	u32 usize;
	int ret;

	ret = sslprov_copy_args(&info, sizeof(info), SSLPROV_INFO_SIZE_VER0,
				uarg, &usize);
	if (ret)
		return ret;
	if (info.flags)
		return -EINVAL;
	info.abi_version = SSLPROV_ABI_VERSION;
	info.max_objects = sslprov_max_objects();
	info.features = SSLPROV_FEATURE_HASH;
	info.live_objects = atomic_read(&file->nr_objs);
	info.__reserved = 0;
	return sslprov_copy_result(uarg, &info, sizeof(info), usize);
}

static long sslprov_ioctl_free(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_free args;
	u32 usize;
	int ret;

	ret = sslprov_copy_args(&args, sizeof(args), SSLPROV_FREE_SIZE_VER0,
				uarg, &usize);
	if (ret)
		return ret;
	if (args.flags || args.__reserved)
		return -EINVAL;
	return sslprov_obj_remove(file, args.handle);
}

#define SSLPROV_IOC_NOSIZE(cmd)	((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

long sslprov_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct sslprov_file *file = filp->private_data;
	void __user *uarg = (void __user *)arg;

	switch (SSLPROV_IOC_NOSIZE(cmd)) {
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_GET_INFO):
		return sslprov_ioctl_get_info(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_FREE):
		return sslprov_ioctl_free(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_HASH_CREATE):
		return sslprov_ioctl_hash_create(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_HASH_UPDATE):
		return sslprov_ioctl_hash_update(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_HASH_DIGEST):
		return sslprov_ioctl_hash_digest(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_KEY_LOAD):
		return sslprov_ioctl_key_load(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_KEY_LIST):
		return sslprov_ioctl_key_list(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_KEY_UNLOAD):
		return sslprov_ioctl_key_unload(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_KEY_OPEN):
		return sslprov_ioctl_key_open(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_KEY_IMPORT):
		return sslprov_ioctl_key_import(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_PUBKEY_IMPORT):
		return sslprov_ioctl_pubkey_import(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_PUBKEY_EXPORT):
		return sslprov_ioctl_pubkey_export(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_MASTER_IMPORT):
		return sslprov_ioctl_master_import(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_SESSION_KEYS):
		return sslprov_ioctl_session_keys(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_FINISHED):
		return sslprov_ioctl_finished(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_ENCRYPT):
		return sslprov_ioctl_encrypt(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_DECRYPT):
		return sslprov_ioctl_decrypt(file, uarg);
	case SSLPROV_IOC_NOSIZE(SSLPROV_IOC_KTLS_ATTACH):
		return sslprov_ioctl_ktls_attach(file, uarg);
	default:
		return -ENOTTY;
	}
}
