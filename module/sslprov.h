/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the sslprov module.
 *
 * An open file of /dev/sslprov is a provider instance (struct sslprov_file)
 * with a table of refcounted objects.  Every secret lives inside an object
 * and is wiped when the last reference goes.
 */
#ifndef SSLPROV_H
#define SSLPROV_H

#include <linux/gfp.h>
#include <linux/kref.h>
#include <linux/types.h>
#include <linux/xarray.h>

/*
 * Memory an unprivileged caller makes the module hold (objects, handle
 * table, the file) or sizes (input and record buffers): charged to the
 * caller's memory cgroup, and at the cgroup's limit the call fails with
 * -ENOMEM instead of invoking the OOM killer on the caller's behalf or
 * logging an allocation failure the caller asked for.
 */
#define SSLPROV_GFP_USER	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | \
				 __GFP_NOWARN)

enum sslprov_obj_type {
	SSLPROV_OBJ_HASH,
	/* Everything from here on is a key (see sslprov_obj_get()). */
	SSLPROV_OBJ_PRIVATE_KEY,
	SSLPROV_OBJ_PUBLIC_KEY,
	SSLPROV_OBJ_MASTER_KEY,
	SSLPROV_OBJ_SESSION_KEY,
	SSLPROV_OBJ_NR_TYPES,
};

#define SSLPROV_OBJ_FIRST_KEY	SSLPROV_OBJ_PRIVATE_KEY

/**
 * struct sslprov_obj - what every object of the handle table starts with.
 * @ref: one reference for the table, one for each operation in flight.
 * @type: which structure embeds this one.
 * @destroy: wipes and frees the embedding structure; called on the last put.
 */
struct sslprov_obj {
	struct kref ref;
	enum sslprov_obj_type type;
	void (*destroy)(struct sslprov_obj *obj);
};

/**
 * struct sslprov_file - one provider instance: the state of an open file.
 * @objs: handle -> struct sslprov_obj *, handles allocated cyclically from 1.
 * @next_handle: cursor of the cyclic allocator.
 * @nr_objs: objects in @objs, bounded by the max_objects parameter.
 */
struct sslprov_file {
	struct xarray objs;
	u32 next_handle;
	atomic_t nr_objs;
};

/* main.c */
unsigned int sslprov_max_objects(void);

/* object.c */
void sslprov_obj_init(struct sslprov_obj *obj, enum sslprov_obj_type type,
		      void (*destroy)(struct sslprov_obj *obj));
void sslprov_obj_put(struct sslprov_obj *obj);

/* file.c */
struct sslprov_file *sslprov_file_create(void);
void sslprov_file_destroy(struct sslprov_file *file);
int sslprov_obj_publish(struct sslprov_file *file, struct sslprov_obj *obj,
			u32 *handle);
struct sslprov_obj *sslprov_obj_get(struct sslprov_file *file, u32 handle,
				    enum sslprov_obj_type type);
int sslprov_obj_remove(struct sslprov_file *file, u32 handle);
void sslprov_obj_unpublish(struct sslprov_file *file, u32 handle);

/* stats.c */
extern const struct attribute_group *sslprov_attr_groups[];
void sslprov_stats_obj_add(enum sslprov_obj_type type);
void sslprov_stats_obj_del(enum sslprov_obj_type type);
void sslprov_stats_aead_add(void);
void sslprov_stats_aead_del(void);
void sslprov_stats_file_add(void);
void sslprov_stats_file_del(void);

/* ioctl.c */
long sslprov_ioctl(struct file *filp, unsigned int cmd, unsigned long arg);
int sslprov_copy_args(void *karg, size_t ksize, size_t min_size,
		      const void __user *uarg, u32 *usize);
int sslprov_copy_result(void __user *uarg, const void *karg, size_t ksize,
			u32 usize);

/* hash.c */
long sslprov_ioctl_hash_create(struct sslprov_file *file, void __user *uarg);
long sslprov_ioctl_hash_update(struct sslprov_file *file, void __user *uarg);
long sslprov_ioctl_hash_digest(struct sslprov_file *file, void __user *uarg);

/* keystore.c, privkey.c */
long sslprov_ioctl_key_load(struct sslprov_file *file, void __user *uarg);
long sslprov_ioctl_key_list(struct sslprov_file *file, void __user *uarg);
long sslprov_ioctl_key_unload(struct sslprov_file *file, void __user *uarg);
long sslprov_ioctl_key_open(struct sslprov_file *file, void __user *uarg);
long sslprov_ioctl_key_import(struct sslprov_file *file, void __user *uarg);

/* pubkey.c */
long sslprov_ioctl_pubkey_import(struct sslprov_file *file, void __user *uarg);
long sslprov_ioctl_pubkey_export(struct sslprov_file *file, void __user *uarg);

/* master.c, session.c, finished.c */
long sslprov_ioctl_master_import(struct sslprov_file *file, void __user *uarg);
long sslprov_ioctl_session_keys(struct sslprov_file *file, void __user *uarg);
long sslprov_ioctl_finished(struct sslprov_file *file, void __user *uarg);

/* record.c */
long sslprov_ioctl_encrypt(struct sslprov_file *file, void __user *uarg);
long sslprov_ioctl_decrypt(struct sslprov_file *file, void __user *uarg);

/* ktls.c */
long sslprov_ioctl_ktls_attach(struct sslprov_file *file, void __user *uarg);

#endif /* SSLPROV_H */
