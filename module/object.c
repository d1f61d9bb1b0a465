// SPDX-License-Identifier: GPL-2.0
/*
 * Object lifetime.  An object is born with one reference, which the handle
 * table takes over when the object is published.  Each operation takes its
 * own reference for as long as it uses the object, so freeing a handle
 * while another thread still computes with it is safe: the secret is wiped
 * when the last user lets go.
 */
#include <linux/kref.h>

#include "sslprov.h"

void sslprov_obj_init(struct sslprov_obj *obj, enum sslprov_obj_type type,
		      void (*destroy)(struct sslprov_obj *obj))
{
	kref_init(&obj->ref);
	obj->type = type;
	obj->destroy = destroy;
	sslprov_stats_obj_add(type);
}

static void sslprov_obj_release(struct kref *ref)
{
	struct sslprov_obj *obj = container_of(ref, struct sslprov_obj, ref);
	enum sslprov_obj_type type = obj->type;

	obj->destroy(obj);
	sslprov_stats_obj_del(type);
}

void sslprov_obj_put(struct sslprov_obj *obj)
{
	if (obj)
		kref_put(&obj->ref, sslprov_obj_release);
}
