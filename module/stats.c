// SPDX-License-Identifier: GPL-2.0
/*
 * Live-object counters, global and per object type, shown read-only in
 * /sys/class/misc/sslprov/stats/ so that tests can prove nothing leaks.
 */
#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/sysfs.h>

#include "sslprov.h"

static atomic_long_t sslprov_live_files;
static atomic_long_t sslprov_live_objs;
static atomic_long_t sslprov_live_type[SSLPROV_OBJ_NR_TYPES];
static atomic_long_t sslprov_live_aeads;	/* session keys' record AEADs */

void sslprov_stats_obj_add(enum sslprov_obj_type type)
{
	atomic_long_inc(&sslprov_live_objs);
	atomic_long_inc(&sslprov_live_type[type]);
}

void sslprov_stats_obj_del(enum sslprov_obj_type type)
{
	atomic_long_dec(&sslprov_live_type[type]);
	atomic_long_dec(&sslprov_live_objs);
}

/* Session keys make their record AEAD on first use: tests see when. */
void sslprov_stats_aead_add(void)
{
	atomic_long_inc(&sslprov_live_aeads);
}

void sslprov_stats_aead_del(void)
{
	atomic_long_dec(&sslprov_live_aeads);
}

void sslprov_stats_file_add(void)
{
	atomic_long_inc(&sslprov_live_files);
}

void sslprov_stats_file_del(void)
{
	atomic_long_dec(&sslprov_live_files);
}

static ssize_t sslprov_show_counter(char *buf, atomic_long_t *counter)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(counter));
}

#define SSLPROV_COUNTER_ATTR(_name, _counter)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	return sslprov_show_counter(buf, _counter);			\
}									\
static DEVICE_ATTR_RO(_name)

SSLPROV_COUNTER_ATTR(files, &sslprov_live_files);
SSLPROV_COUNTER_ATTR(objects, &sslprov_live_objs);
SSLPROV_COUNTER_ATTR(hash, &sslprov_live_type[SSLPROV_OBJ_HASH]);
SSLPROV_COUNTER_ATTR(private_key, &sslprov_live_type[SSLPROV_OBJ_PRIVATE_KEY]);
SSLPROV_COUNTER_ATTR(public_key, &sslprov_live_type[SSLPROV_OBJ_PUBLIC_KEY]);
SSLPROV_COUNTER_ATTR(master_key, &sslprov_live_type[SSLPROV_OBJ_MASTER_KEY]);
SSLPROV_COUNTER_ATTR(session_key, &sslprov_live_type[SSLPROV_OBJ_SESSION_KEY]);
SSLPROV_COUNTER_ATTR(record_aead, &sslprov_live_aeads);

static struct attribute *sslprov_stats_attrs[] = {
	&dev_attr_files.attr,
	&dev_attr_objects.attr,
	&dev_attr_hash.attr,
	&dev_attr_private_key.attr,
	&dev_attr_public_key.attr,
	&dev_attr_master_key.attr,
	&dev_attr_session_key.attr,
	&dev_attr_record_aead.attr,
	NULL,
};

static const struct attribute_group sslprov_stats_group = {
	.name = "stats",
	.attrs = sslprov_stats_attrs,
};

const struct attribute_group *sslprov_attr_groups[] = {
	&sslprov_stats_group,
	NULL,
};
