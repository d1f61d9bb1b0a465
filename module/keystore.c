// SPDX-License-Identifier: GPL-2.0
/*
 * The key store: private keys an administrator loaded (sslprovctl), each
 * usable only by the user and/or group it names.  A TLS server running as
 * that user opens the key by its certificate (SslOpenPrivateKey) and gets a
 * handle; the key itself stays here and can never be read back.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>

#include "key.h"

#define SSLPROV_KEYSTORE_MAX	1024

static int key_group = -1;
module_param(key_group, int, 0644);
MODULE_PARM_DESC(key_group, "Group whose members may load keys, besides CAP_SYS_ADMIN (default none)");

struct sslprov_stored_key {
	struct list_head node;
	struct sslprov_rsa *rsa;
	u32 flags;
	kuid_t uid;
	kgid_t gid;
};

static LIST_HEAD(sslprov_keys);
static DEFINE_MUTEX(sslprov_keys_lock);	/* guards sslprov_keys, count */
static unsigned int sslprov_keys_count;

static bool sslprov_may_manage_keys(void)
{
	int group = READ_ONCE(key_group);
	kgid_t gid;

	if (capable(CAP_SYS_ADMIN))
		return true;
	if (group < 0)
		return false;
	gid = make_kgid(current_user_ns(), group);
	return gid_valid(gid) && in_group_p(gid);
}

static bool sslprov_may_use_key(const struct sslprov_stored_key *sk)
{
	if ((sk->flags & SSLPROV_KEY_UID) && uid_eq(current_fsuid(), sk->uid))
		return true;
	return (sk->flags & SSLPROV_KEY_GID) && in_group_p(sk->gid);
}

static struct sslprov_stored_key *sslprov_keystore_find(const u8 *fp)
{
	struct sslprov_stored_key *sk;

	lockdep_assert_held(&sslprov_keys_lock);
	list_for_each_entry(sk, &sslprov_keys, node)
		if (!memcmp(sk->rsa->fingerprint, fp, SSLPROV_FINGERPRINT_LEN))
			return sk;
	return NULL;
}

static int sslprov_keystore_add(struct sslprov_stored_key *sk)
{
	int ret = 0;

	mutex_lock(&sslprov_keys_lock);
	if (sslprov_keystore_find(sk->rsa->fingerprint))
		ret = -EEXIST;
	else if (sslprov_keys_count >= SSLPROV_KEYSTORE_MAX)
		ret = -ENOSPC;
	if (!ret) {
		list_add_tail(&sk->node, &sslprov_keys);
		sslprov_keys_count++;
	}
	mutex_unlock(&sslprov_keys_lock);
	return ret;
}

long sslprov_ioctl_key_load(struct sslprov_file *file, void __user *uarg)
{
	const u32 known = SSLPROV_KEY_UID | SSLPROV_KEY_GID;
	struct sslprov_stored_key *sk;
	struct sslprov_key_load args;
	u32 usize;
	int ret;

	ret = sslprov_copy_args(&args, sizeof(args),
				SSLPROV_KEY_LOAD_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	if (!(args.flags & known) || (args.flags & ~known) || args.__reserved)
		return -EINVAL;
	if (!sslprov_may_manage_keys())
		return -EPERM;

	sk = kzalloc(sizeof(*sk), GFP_KERNEL);
	if (!sk)
		return -ENOMEM;
	sk->flags = args.flags;
	sk->uid = make_kuid(current_user_ns(), args.uid);
	sk->gid = make_kgid(current_user_ns(), args.gid);
	if (((args.flags & SSLPROV_KEY_UID) && !uid_valid(sk->uid)) ||
	    ((args.flags & SSLPROV_KEY_GID) && !gid_valid(sk->gid))) {
		ret = -EINVAL;
		goto out_free;
	}
	sk->rsa = sslprov_rsa_from_user(args.der, args.der_len);
	if (IS_ERR(sk->rsa)) {
		ret = PTR_ERR(sk->rsa);
		goto out_free;
	}
	memcpy(args.fingerprint, sk->rsa->fingerprint, SSLPROV_FINGERPRINT_LEN);
	ret = sslprov_keystore_add(sk);
	if (ret)
		goto out_put;
	/* Loaded: reporting the fingerprint is a courtesy, not a condition. */
	sslprov_copy_result(uarg, &args, sizeof(args), usize);
	return 0;

out_put:
	sslprov_rsa_put(sk->rsa);
out_free:
	kfree(sk);
	return ret;
}

static void sslprov_entry_fill(struct sslprov_key_entry *e,
			       const struct sslprov_stored_key *sk)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->fingerprint, sk->rsa->fingerprint, SSLPROV_FINGERPRINT_LEN);
	e->flags = sk->flags;
	e->uid = from_kuid_munged(current_user_ns(), sk->uid);
	e->gid = from_kgid_munged(current_user_ns(), sk->gid);
	e->bits = sk->rsa->bits;
}

long sslprov_ioctl_key_list(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_key_entry *entries = NULL;
	struct sslprov_stored_key *sk;
	struct sslprov_key_list args;
	u32 usize, room, n = 0;
	int ret;

	ret = sslprov_copy_args(&args, sizeof(args),
				SSLPROV_KEY_LIST_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	if (args.flags || args.__reserved)
		return -EINVAL;
	room = min_t(u32, args.count, SSLPROV_KEYSTORE_MAX);
	if (room) {
		entries = kcalloc(room, sizeof(*entries), GFP_KERNEL);
		if (!entries)
			return -ENOMEM;
	}
	mutex_lock(&sslprov_keys_lock);
	list_for_each_entry(sk, &sslprov_keys, node) {
		if (n < room)
			sslprov_entry_fill(&entries[n], sk);
		n++;
	}
	mutex_unlock(&sslprov_keys_lock);

	ret = -EFAULT;
	if (room && copy_to_user(u64_to_user_ptr(args.entries), entries,
				 min(n, room) * sizeof(*entries)))
		goto out;
	args.count = n;
	ret = sslprov_copy_result(uarg, &args, sizeof(args), usize);
out:
	kfree(entries);
	return ret;
}

long sslprov_ioctl_key_unload(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_stored_key *sk;
	struct sslprov_key_ref args;
	u32 usize;
	int ret;

	ret = sslprov_copy_args(&args, sizeof(args), SSLPROV_KEY_REF_SIZE_VER0,
				uarg, &usize);
	if (ret)
		return ret;
	if (args.flags || args.handle || args.__reserved)
		return -EINVAL;
	if (!sslprov_may_manage_keys())
		return -EPERM;
	mutex_lock(&sslprov_keys_lock);
	sk = sslprov_keystore_find(args.fingerprint);
	if (sk) {
		list_del(&sk->node);
		sslprov_keys_count--;
	}
	mutex_unlock(&sslprov_keys_lock);
	if (!sk)
		return -ENOKEY;
	/* Objects opened from it hold their own references. */
	sslprov_rsa_put(sk->rsa);
	kfree(sk);
	return 0;
}

long sslprov_ioctl_key_open(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_rsa *rsa = NULL;
	struct sslprov_stored_key *sk;
	struct sslprov_key_ref args;
	u32 usize;
	int ret;

	ret = sslprov_copy_args(&args, sizeof(args), SSLPROV_KEY_REF_SIZE_VER0,
				uarg, &usize);
	if (ret)
		return ret;
	if (args.flags || args.__reserved)
		return -EINVAL;
	mutex_lock(&sslprov_keys_lock);
	sk = sslprov_keystore_find(args.fingerprint);
	/* Absent and forbidden look the same: no probing for keys. */
	if (sk && sslprov_may_use_key(sk)) {
		rsa = sk->rsa;
		kref_get(&rsa->ref);
	}
	mutex_unlock(&sslprov_keys_lock);
	if (!rsa)
		return -ENOKEY;
	ret = sslprov_private_key_publish(file, rsa, &args.handle);
	sslprov_rsa_put(rsa);
	if (ret)
		return ret;
	ret = sslprov_copy_result(uarg, &args, sizeof(args), usize);
	if (ret)
		sslprov_obj_unpublish(file, args.handle);
	return ret;
}

/* Module unload: the store goes with it. */
void sslprov_keystore_exit(void)
{
	struct sslprov_stored_key *sk, *tmp;

	list_for_each_entry_safe(sk, tmp, &sslprov_keys, node) {
		list_del(&sk->node);
		sslprov_rsa_put(sk->rsa);
		kfree(sk);
	}
	sslprov_keys_count = 0;
}
