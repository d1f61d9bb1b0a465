// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fake.c - a userspace stand-in for /dev/sslprov, for the unit tests.
 *
 * The test program defines ioctl() and close(); the dynamic linker binds
 * libsslprov's calls to these definitions before libc's.  A descriptor of
 * /dev/null is treated as one open file of the device while the fake is
 * enabled; anything else is passed to the kernel with syscall().
 *
 * The emulation follows the uapi header: the size field must match the
 * structure, flags must be 0, object handles are non-zero, per file,
 * allocated cyclically, and give -EBADF when unknown.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/sslprov.h>

#include "test.h"

#define FAKE_MAX_FDS	1024
#define FAKE_ID_SPACE	256	/* handles 1..255, cyclic */

struct fake_file {
	int open;
	uint32_t next_id;
	uint32_t live;
	uint8_t used[FAKE_ID_SPACE];
};

static struct {
	pthread_mutex_t lock;
	int enabled;
	uint32_t abi;
	int inject;
	unsigned long ioctls, closes, bad_sizes;
	uint64_t hashed;
	uint32_t max_update;
	unsigned long updates;
	unsigned long finished;		/* FINISHED calls answered */
	uint64_t finished_pending;	/* bytes they took as @pending */
	int finished_ver0;		/* answer FINISHED as a VER0 module */
	struct fake_file files[FAKE_MAX_FDS];
} fake = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.abi = SSLPROV_ABI_VERSION,
};

/* Is @fd one the fake answers for?  Called with the lock held. */
static int is_fake_fd(int fd)
{
	struct stat st;

	if (!fake.enabled || fd < 0 || fd >= FAKE_MAX_FDS)
		return 0;
	if (fstat(fd, &st) || !S_ISCHR(st.st_mode))
		return 0;
	return st.st_rdev == makedev(1, 3);	/* /dev/null */
}

static int check_header(const void *arg, uint32_t want)
{
	uint32_t hdr[2];

	memcpy(hdr, arg, sizeof(hdr));
	if (hdr[0] != want) {
		fake.bad_sizes++;
		return -EINVAL;
	}
	return hdr[1] ? -EINVAL : 0;
}

static int do_get_info(struct fake_file *f, struct sslprov_info *info)
{
	/* GET_INFO is the library's first call on a new file: start clean. */
	memset(f, 0, sizeof(*f));
	f->open = 1;
	info->abi_version = fake.abi;
	info->max_objects = FAKE_MAX_OBJECTS;
	info->features = SSLPROV_FEATURE_HASH;
	info->live_objects = 0;
	info->__reserved = 0;
	return 0;
}

static int do_free(struct fake_file *f, struct sslprov_free *arg)
{
	if (arg->__reserved)
		return -EINVAL;
	if (!arg->handle || arg->handle >= FAKE_ID_SPACE || !f->used[arg->handle])
		return -EBADF;
	f->used[arg->handle] = 0;
	f->live--;
	return 0;
}

static int do_hash_create(struct fake_file *f, struct sslprov_hash_create *arg)
{
	uint32_t id, n;

	if (arg->__reserved)
		return -EINVAL;
	if (arg->protocol < 0x0301 || arg->protocol > 0x0304)
		return -EINVAL;
	if (f->live >= FAKE_MAX_OBJECTS)
		return -ENOSPC;
	for (n = 0; n < FAKE_ID_SPACE; n++) {
		id = (f->next_id + n) % FAKE_ID_SPACE;
		if (id && !f->used[id])
			break;
	}
	f->used[id] = 1;
	f->live++;
	f->next_id = id + 1;
	arg->handle = id;
	return 0;
}

static int do_hash_update(struct fake_file *f, struct sslprov_hash_update *arg)
{
	if (!arg->handle || arg->handle >= FAKE_ID_SPACE || !f->used[arg->handle])
		return -EBADF;
	if (arg->len > SSLPROV_MAX_HASH_INPUT)
		return -E2BIG;
	if (arg->len && !arg->data)
		return -EFAULT;
	fake.hashed += arg->len;
	fake.updates++;
	if (arg->len > fake.max_update)
		fake.max_update = arg->len;
	return 0;
}

static int do_hash_digest(struct fake_file *f, struct sslprov_hash_digest *arg)
{
	if (arg->flags)
		return -EINVAL;
	if (!arg->hash || arg->hash >= FAKE_ID_SPACE || !f->used[arg->hash])
		return -EBADF;
	/* The bytes are not hashed here; a fixed digest of SHA-256's size. */
	memset(arg->digest, 0xd5, sizeof(arg->digest));
	arg->len = 32;
	return 0;
}

/*
 * FINISHED: any live handle serves as the master key (the fake has no key
 * objects).  A VER0 module refuses a nonzero tail with E2BIG, as the size
 * rules make the real one do.
 */
static int do_finished(struct fake_file *f, struct sslprov_finished *arg)
{
	if (arg->size != SSLPROV_FINISHED_SIZE_VER1) {
		fake.bad_sizes++;
		return -EINVAL;
	}
	if (fake.finished_ver0 && (arg->pending_len || arg->pending))
		return -E2BIG;
	if (arg->__reserved || arg->__reserved2 || arg->out_len != 12)
		return -EINVAL;
	if (!arg->hash || arg->hash >= FAKE_ID_SPACE || !f->used[arg->hash] ||
	    !arg->master_key || arg->master_key >= FAKE_ID_SPACE ||
	    !f->used[arg->master_key])
		return -EBADF;
	if (arg->pending_len && !arg->pending)
		return -EFAULT;
	memset((void *)(uintptr_t)arg->out, 0xf1, 12);
	fake.finished++;
	fake.finished_pending += arg->pending_len;
	return 0;
}

static int fake_dispatch(int fd, unsigned long request, void *arg)
{
	struct fake_file *f = &fake.files[fd];
	int ret;

	fake.ioctls++;
	if (fake.inject) {
		ret = -fake.inject;
		fake.inject = 0;
		return ret;
	}
	if (request != SSLPROV_IOC_GET_INFO && !f->open)
		return -ENOTTY;

	switch (request) {
	case SSLPROV_IOC_GET_INFO:
		ret = check_header(arg, sizeof(struct sslprov_info));
		return ret ? ret : do_get_info(f, arg);
	case SSLPROV_IOC_FREE:
		ret = check_header(arg, sizeof(struct sslprov_free));
		return ret ? ret : do_free(f, arg);
	case SSLPROV_IOC_HASH_CREATE:
		ret = check_header(arg, sizeof(struct sslprov_hash_create));
		return ret ? ret : do_hash_create(f, arg);
	case SSLPROV_IOC_HASH_UPDATE:
		ret = check_header(arg, sizeof(struct sslprov_hash_update));
		return ret ? ret : do_hash_update(f, arg);
	case SSLPROV_IOC_HASH_DIGEST:
		ret = check_header(arg, sizeof(struct sslprov_hash_digest));
		return ret ? ret : do_hash_digest(f, arg);
	case SSLPROV_IOC_FINISHED:
		return do_finished(f, arg);
	default:
		return -ENOTTY;
	}
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	pthread_mutex_lock(&fake.lock);
	if (!is_fake_fd(fd)) {
		pthread_mutex_unlock(&fake.lock);
		return syscall(SYS_ioctl, fd, request, arg);
	}
	ret = fake_dispatch(fd, request, arg);
	pthread_mutex_unlock(&fake.lock);

	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

int close(int fd)
{
	pthread_mutex_lock(&fake.lock);
	if (fd >= 0 && fd < FAKE_MAX_FDS && fake.files[fd].open) {
		/* Closing the last reference frees every object of the file. */
		memset(&fake.files[fd], 0, sizeof(fake.files[fd]));
		fake.closes++;
	}
	pthread_mutex_unlock(&fake.lock);
	return syscall(SYS_close, fd);
}

void fake_enable(int on)
{
	pthread_mutex_lock(&fake.lock);
	fake.enabled = on;
	pthread_mutex_unlock(&fake.lock);
}

void fake_set_abi(uint32_t abi)
{
	pthread_mutex_lock(&fake.lock);
	fake.abi = abi;
	pthread_mutex_unlock(&fake.lock);
}

void fake_inject(int err)
{
	pthread_mutex_lock(&fake.lock);
	fake.inject = err;
	pthread_mutex_unlock(&fake.lock);
}

unsigned int fake_open_files(void)
{
	unsigned int n = 0;
	int i;

	pthread_mutex_lock(&fake.lock);
	for (i = 0; i < FAKE_MAX_FDS; i++)
		n += !!fake.files[i].open;
	pthread_mutex_unlock(&fake.lock);
	return n;
}

unsigned int fake_live_objects(void)
{
	unsigned int n = 0;
	int i;

	pthread_mutex_lock(&fake.lock);
	for (i = 0; i < FAKE_MAX_FDS; i++)
		n += fake.files[i].live;
	pthread_mutex_unlock(&fake.lock);
	return n;
}

#define FAKE_GETTER(type, name, field)			\
type name(void)						\
{							\
	type v;						\
	pthread_mutex_lock(&fake.lock);			\
	v = fake.field;					\
	pthread_mutex_unlock(&fake.lock);		\
	return v;					\
}

FAKE_GETTER(unsigned long, fake_ioctls, ioctls)
FAKE_GETTER(unsigned long, fake_updates, updates)

void fake_reset_max_update(void)
{
	pthread_mutex_lock(&fake.lock);
	fake.max_update = 0;
	pthread_mutex_unlock(&fake.lock);
}
FAKE_GETTER(unsigned long, fake_closes, closes)
FAKE_GETTER(unsigned long, fake_bad_sizes, bad_sizes)
FAKE_GETTER(uint64_t, fake_hashed_bytes, hashed)
FAKE_GETTER(uint32_t, fake_max_update, max_update)
FAKE_GETTER(unsigned long, fake_finished, finished)
FAKE_GETTER(uint64_t, fake_finished_pending, finished_pending)

void fake_set_finished_ver0(int on)
{
	pthread_mutex_lock(&fake.lock);
	fake.finished_ver0 = on;
	pthread_mutex_unlock(&fake.lock);
}
