// SPDX-License-Identifier: GPL-2.0
/*
 * The per-file handle table.
 *
 * Handles are small integers from an xarray, not pointers, so nothing about
 * kernel memory leaks through them and a forged handle can at worst name
 * another object of the same file.  They are allocated cyclically so that a
 * freed handle is not reused at once and a stale handle fails with -EBADF
 * instead of silently reaching a newer object.
 */
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "sslprov.h"

struct sslprov_file *sslprov_file_create(void)
{
	struct sslprov_file *file;

	file = kzalloc(sizeof(*file), SSLPROV_GFP_USER);
	if (!file)
		return NULL;
	xa_init_flags(&file->objs, XA_FLAGS_ALLOC1);
	atomic_set(&file->nr_objs, 0);
	sslprov_stats_file_add();
	return file;
}

/* Called on the last close: nobody else can reach the table any more. */
void sslprov_file_destroy(struct sslprov_file *file)
{
	struct sslprov_obj *obj;
	unsigned long handle;

	xa_for_each(&file->objs, handle, obj) {
		xa_erase(&file->objs, handle);
		sslprov_obj_put(obj);
	}
	xa_destroy(&file->objs);
	kfree(file);
	sslprov_stats_file_del();
}

/**
 * sslprov_obj_publish() - give a fully built object a handle.
 * @file: the owning file.
 * @obj: the object; its initial reference passes to the table on success.
 * @handle: out: the new handle.
 *
 * Return: 0, -ENOSPC when the file holds max_objects already, or -ENOMEM.
 * On failure the caller still owns @obj.
 */
int sslprov_obj_publish(struct sslprov_file *file, struct sslprov_obj *obj,
			u32 *handle)
{
	int ret;

	if (atomic_inc_return(&file->nr_objs) > sslprov_max_objects()) {
		ret = -ENOSPC;
		goto out_uncount;
	}
	ret = xa_alloc_cyclic(&file->objs, handle, obj, xa_limit_31b,
			      &file->next_handle, SSLPROV_GFP_USER);
	if (ret < 0)
		goto out_uncount;
	return 0;

out_uncount:
	atomic_dec(&file->nr_objs);
	return ret;
}

/*
 * Undo sslprov_obj_publish() when the handle could not be reported to the
 * caller: the object must not linger, unreachable, until close.
 */
void sslprov_obj_unpublish(struct sslprov_file *file, u32 handle)
{
	sslprov_obj_remove(file, handle);
}

/**
 * sslprov_obj_get() - look up a handle and take a reference.
 * @file: the file the handle belongs to.
 * @handle: the handle.
 * @type: the kind of object the operation needs.
 *
 * Return: the object, ERR_PTR(-EBADF) when the handle names nothing of this
 * file or not a key where a key is wanted, or ERR_PTR(-EKEYREJECTED) when it
 * names a key of another kind than @type.
 */
struct sslprov_obj *sslprov_obj_get(struct sslprov_file *file, u32 handle,
				    enum sslprov_obj_type type)
{
	struct sslprov_obj *obj;
	int err = -EBADF;

	xa_lock(&file->objs);
	obj = xa_load(&file->objs, handle);
	if (obj && obj->type != type) {
		if (obj->type >= SSLPROV_OBJ_FIRST_KEY &&
		    type >= SSLPROV_OBJ_FIRST_KEY)
			err = -EKEYREJECTED;
		obj = NULL;
	}
	/* The table's reference keeps obj alive while we hold the lock. */
	if (obj)
		kref_get(&obj->ref);
	xa_unlock(&file->objs);
	return obj ?: ERR_PTR(err);
}

/**
 * sslprov_obj_remove() - drop a handle and the table's reference.
 * @file: the owning file.
 * @handle: the handle to free.
 *
 * Return: 0, or -EBADF if the handle names nothing.
 */
int sslprov_obj_remove(struct sslprov_file *file, u32 handle)
{
	struct sslprov_obj *obj;

	obj = xa_erase(&file->objs, handle);
	if (!obj)
		return -EBADF;
	atomic_dec(&file->nr_objs);
	sslprov_obj_put(obj);
	return 0;
}
