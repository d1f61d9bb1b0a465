// SPDX-License-Identifier: GPL-2.0
/*
 * sslprov: the CNG SSL protocol provider in the kernel.
 *
 * This file registers /dev/sslprov and ties each open file to its provider
 * instance.  The file operations hold a module reference while a file is
 * open, so the module cannot be unloaded under a user.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "hash.h"
#include "key.h"
#include "sslprov.h"

static unsigned int max_objects = 4096;
module_param(max_objects, uint, 0644);
MODULE_PARM_DESC(max_objects, "Most objects one open file may hold (default 4096)");

unsigned int sslprov_max_objects(void)
{
	return READ_ONCE(max_objects);
}

static int sslprov_open(struct inode *inode, struct file *filp)
{
	struct sslprov_file *file;

	file = sslprov_file_create();
	if (!file)
		return -ENOMEM;
	/* Replaces the struct miscdevice pointer misc_open() left here. */
	filp->private_data = file;
	return 0;
}

static int sslprov_release(struct inode *inode, struct file *filp)
{
	sslprov_file_destroy(filp->private_data);
	return 0;
}

static const struct file_operations sslprov_fops = {
	.owner = THIS_MODULE,
	.open = sslprov_open,
	.release = sslprov_release,
	.unlocked_ioctl = sslprov_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice sslprov_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "sslprov",
	.fops = &sslprov_fops,
	.groups = sslprov_attr_groups,
	.mode = 0666,
};

static int __init sslprov_init(void)
{
	int ret;

	ret = misc_register(&sslprov_misc);
	if (ret)
		return ret;
	pr_info("version %s loaded\n", SSLPROV_VERSION);
	return 0;
}

static void __exit sslprov_exit(void)
{
	misc_deregister(&sslprov_misc);
	sslprov_keystore_exit();
	sslprov_hash_exit();
}

module_init(sslprov_init);
module_exit(sslprov_exit);

MODULE_DESCRIPTION("CNG SSL protocol provider: TLS secrets kept in the kernel");
MODULE_AUTHOR("The sslprov developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(SSLPROV_VERSION);
MODULE_SOFTDEP("pre: tls");
