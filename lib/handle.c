// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * handle.c - provider instances and the handles that name them.
 *
 * A Windows handle is a ULONG_PTR the caller may hand back in any state:
 * freed, stale, or garbage.  Ours are therefore never pointers but encoded
 * integers, checked against a table before anything is touched:
 *
 *	bits 63..48	generation of the slot (never 0)
 *	bits 47..32	slot index + 1 (never 0)
 *	bits 31..0	kernel object handle; 0 for a provider handle
 *
 * A slot is one provider instance: one open file of /dev/sslprov, whose
 * kernel object handles (non-zero __u32 values) are valid on that file
 * only.  The slot lives while its provider reference count or its count
 * of live kernel objects is non-zero: objects keep their provider alive
 * (contract 5.1).  When both reach zero the generation is bumped at once,
 * so every handle of the slot stops resolving, and the file is closed as
 * soon as no call is using it.  Calls mark their use with a busy count
 * taken under the table lock, so a concurrent free never closes a file
 * descriptor in the middle of an ioctl, and the number cannot be reused by
 * an unrelated open() under a running call.
 *
 * A 16-bit generation comes round again after 65535 reuses of one slot; a
 * handle that stale may then name a newer instance.  The kernel still
 * checks every object handle on its own file, so the worst case is an
 * error or an operation on the caller's own objects, never a crash.
 */
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"

_Static_assert(sizeof(NCRYPT_HANDLE) == 8, "handles carry 64 bits");

#define HANDLE_GEN_SHIFT	48
#define HANDLE_SLOT_SHIFT	32
#define HANDLE_FIELD_MASK	0xffffu
#define HANDLE_ID_MASK		0xffffffffu

/* Slot index + 1 must fit in 16 bits. */
#define SLOTS_MAX		65535u
#define SLOTS_FIRST_ALLOC	16u

enum slot_state {
	SLOT_FREE = 0,	/* unused; may be handed out again */
	SLOT_LIVE,	/* an open provider instance */
	SLOT_DYING,	/* released, waiting for running calls to end */
};

/**
 * struct slot - one provider instance.
 * @state: see enum slot_state.
 * @gen: generation; handles of other generations do not resolve.
 * @fd: the open file of /dev/sslprov (-1 when free).
 * @refs: provider handle reference count.
 * @objects: live kernel objects created through this instance.
 * @busy: calls currently using @fd.
 */
struct slot {
	enum slot_state state;
	uint16_t gen;
	int fd;
	uint32_t refs;
	uint32_t objects;
	uint32_t busy;
};

static struct {
	pthread_mutex_t lock;
	struct slot *slots;
	uint32_t count;	/* slots allocated */
	uint32_t next;	/* where the search for a free slot starts */
} table = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

static NCRYPT_HANDLE handle_encode(uint32_t idx, uint16_t gen, uint32_t id)
{
	return ((NCRYPT_HANDLE)gen << HANDLE_GEN_SHIFT) |
	       ((NCRYPT_HANDLE)(idx + 1) << HANDLE_SLOT_SHIFT) | id;
}

/* Finds the live slot @h names; NULL for anything else.  Table locked. */
static struct slot *slot_lookup(NCRYPT_HANDLE h, uint32_t *idx)
{
	uint16_t gen = (h >> HANDLE_GEN_SHIFT) & HANDLE_FIELD_MASK;
	uint32_t field = (h >> HANDLE_SLOT_SHIFT) & HANDLE_FIELD_MASK;
	struct slot *s;

	if (!gen || !field || field > table.count)
		return NULL;
	s = &table.slots[field - 1];
	if (s->state != SLOT_LIVE || s->gen != gen)
		return NULL;
	*idx = field - 1;
	return s;
}

/* A provider handle counts only while its reference count is non-zero. */
static struct slot *provider_lookup(NCRYPT_PROV_HANDLE h, uint32_t *idx)
{
	struct slot *s;

	if (h & HANDLE_ID_MASK)
		return NULL;
	s = slot_lookup(h, idx);
	return s && s->refs ? s : NULL;
}

static void slot_free(struct slot *s)
{
	s->state = SLOT_FREE;
	s->fd = -1;
}

/*
 * Retires @s once nothing keeps it: invalidates its handles now, and hands
 * back the descriptor to close if no call is using it (else the last
 * sslprov_put() does).  Returns the fd to close after unlocking, or -1.
 */
static int slot_retire_if_unused(struct slot *s)
{
	int fd = s->fd;

	if (s->refs || s->objects)
		return -1;

	s->gen = s->gen == UINT16_MAX ? 1 : s->gen + 1;
	if (s->busy) {
		s->state = SLOT_DYING;
		return -1;
	}
	slot_free(s);
	return fd;
}

static void close_unlocked(int fd)
{
	if (fd >= 0)
		sslprov_dev_close(fd);
}

/* Makes room for at least one more slot.  Table locked. */
static int table_grow(void)
{
	uint32_t count = table.count ? table.count * 2 : SLOTS_FIRST_ALLOC;
	struct slot *slots;
	uint32_t i;

	if (table.count >= SLOTS_MAX)
		return -1;
	if (count > SLOTS_MAX)
		count = SLOTS_MAX;

	slots = realloc(table.slots, count * sizeof(*slots));
	if (!slots)
		return -1;
	for (i = table.count; i < count; i++)
		slots[i] = (struct slot){ .state = SLOT_FREE, .gen = 1, .fd = -1 };

	table.slots = slots;
	table.count = count;
	return 0;
}

/*
 * Free slots are searched from where the last one was taken, so a freed
 * slot is reused as late as possible and stale handles stay invalid longer.
 */
static int slot_find_free(uint32_t *idx)
{
	uint32_t i, n;

	for (n = 0; n < table.count; n++) {
		i = (table.next + n) % table.count;
		if (table.slots[i].state == SLOT_FREE) {
			*idx = i;
			return 0;
		}
	}
	i = table.count;
	if (table_grow())
		return -1;
	*idx = i;
	return 0;
}

/**
 * sslprov_provider_new() - give an open device file a provider handle.
 * @fd: the file; on success the table owns it, on failure the caller does.
 * @out: receives the handle, whose reference count is 1.
 *
 * Return: %ERROR_SUCCESS, or %NTE_NO_MEMORY when the table cannot grow
 * (memory, or all 65535 slots in use).
 */
SECURITY_STATUS sslprov_provider_new(int fd, NCRYPT_PROV_HANDLE *out)
{
	struct slot *s;
	uint32_t idx;

	pthread_mutex_lock(&table.lock);
	if (slot_find_free(&idx)) {
		pthread_mutex_unlock(&table.lock);
		return NTE_NO_MEMORY;
	}
	s = &table.slots[idx];
	s->state = SLOT_LIVE;
	s->fd = fd;
	s->refs = 1;
	s->objects = 0;
	s->busy = 0;
	table.next = idx + 1;
	*out = handle_encode(idx, s->gen, 0);
	pthread_mutex_unlock(&table.lock);
	return ERROR_SUCCESS;
}

/**
 * sslprov_provider_addref() - one more reference on a provider handle.
 * @h: the provider handle.
 *
 * Return: %ERROR_SUCCESS; %NTE_INVALID_HANDLE if @h is not a live provider
 * handle; %NTE_INTERNAL_ERROR if the count would overflow.
 */
SECURITY_STATUS sslprov_provider_addref(NCRYPT_PROV_HANDLE h)
{
	SECURITY_STATUS status = ERROR_SUCCESS;
	struct slot *s;
	uint32_t idx;

	pthread_mutex_lock(&table.lock);
	s = provider_lookup(h, &idx);
	if (!s)
		status = NTE_INVALID_HANDLE;
	else if (s->refs == UINT32_MAX)
		status = NTE_INTERNAL_ERROR;
	else
		s->refs++;
	pthread_mutex_unlock(&table.lock);
	return status;
}

/**
 * sslprov_provider_release() - drop one reference on a provider handle.
 * @h: the provider handle.
 *
 * At zero the handle stops resolving; the instance itself goes when its
 * last object is freed too.
 *
 * Return: %ERROR_SUCCESS, or %NTE_INVALID_HANDLE if @h is not a live
 * provider handle (this includes a count already at zero).
 */
SECURITY_STATUS sslprov_provider_release(NCRYPT_PROV_HANDLE h)
{
	struct slot *s;
	uint32_t idx;
	int fd;

	pthread_mutex_lock(&table.lock);
	s = provider_lookup(h, &idx);
	if (!s) {
		pthread_mutex_unlock(&table.lock);
		return NTE_INVALID_HANDLE;
	}
	s->refs--;
	fd = slot_retire_if_unused(s);
	pthread_mutex_unlock(&table.lock);

	close_unlocked(fd);
	return ERROR_SUCCESS;
}

/* Marks the slot busy and describes it in @ref.  Table locked. */
static void ref_take(struct slot *s, uint32_t idx, uint32_t id,
		     struct sslprov_ref *ref)
{
	s->busy++;
	ref->slot = idx;
	ref->fd = s->fd;
	ref->id = id;
}

/**
 * sslprov_provider_get() - resolve a provider handle for one call.
 * @h: the provider handle.
 * @ref: receives the instance; release it with sslprov_put().
 *
 * Return: %ERROR_SUCCESS, or %NTE_INVALID_HANDLE.
 */
SECURITY_STATUS sslprov_provider_get(NCRYPT_PROV_HANDLE h, struct sslprov_ref *ref)
{
	struct slot *s;
	uint32_t idx;

	pthread_mutex_lock(&table.lock);
	s = provider_lookup(h, &idx);
	if (s)
		ref_take(s, idx, 0, ref);
	pthread_mutex_unlock(&table.lock);
	return s ? ERROR_SUCCESS : NTE_INVALID_HANDLE;
}

/**
 * sslprov_object_get() - resolve a key or hash handle for one call.
 * @h: the object handle.
 * @ref: receives the instance and the kernel handle; sslprov_put() it.
 *
 * Only the instance is checked here; whether the kernel object exists, and
 * is of the right kind, the kernel decides (-EBADF).
 *
 * Return: %ERROR_SUCCESS, or %NTE_INVALID_HANDLE.
 */
SECURITY_STATUS sslprov_object_get(NCRYPT_HANDLE h, struct sslprov_ref *ref)
{
	uint32_t id = h & HANDLE_ID_MASK;
	struct slot *s = NULL;
	uint32_t idx;

	pthread_mutex_lock(&table.lock);
	if (id)
		s = slot_lookup(h, &idx);
	if (s)
		ref_take(s, idx, id, ref);
	pthread_mutex_unlock(&table.lock);
	return s ? ERROR_SUCCESS : NTE_INVALID_HANDLE;
}

/**
 * sslprov_object_register() - give a new kernel object its handle.
 * @prov: the instance the object was created on, held by the caller.
 * @id: the kernel object handle.
 * @out: receives the object handle.
 *
 * The object keeps the instance alive until sslprov_object_unregister().
 *
 * Return: %ERROR_SUCCESS; %NTE_INVALID_HANDLE if the instance was released
 * while the object was being created (the caller then frees @id).
 */
SECURITY_STATUS sslprov_object_register(const struct sslprov_ref *prov, uint32_t id,
					NCRYPT_HANDLE *out)
{
	SECURITY_STATUS status = NTE_INVALID_HANDLE;
	struct slot *s;

	pthread_mutex_lock(&table.lock);
	s = &table.slots[prov->slot];
	if (s->state == SLOT_LIVE && id) {
		s->objects++;
		*out = handle_encode(prov->slot, s->gen, id);
		status = ERROR_SUCCESS;
	}
	pthread_mutex_unlock(&table.lock);
	return status;
}

/**
 * sslprov_object_unregister() - forget an object the kernel has freed.
 * @ref: the object, as resolved by sslprov_object_get() and still held.
 *
 * May retire the instance; its file closes at the caller's sslprov_put().
 */
void sslprov_object_unregister(const struct sslprov_ref *ref)
{
	struct slot *s;

	pthread_mutex_lock(&table.lock);
	s = &table.slots[ref->slot];
	if (s->objects)
		s->objects--;
	/* The caller is busy on the slot, so nothing is closed here. */
	slot_retire_if_unused(s);
	pthread_mutex_unlock(&table.lock);
}

/**
 * sslprov_put() - end a call's use of an instance.
 * @ref: from sslprov_provider_get() or sslprov_object_get().
 *
 * The last call to leave a released instance closes its file.
 */
void sslprov_put(struct sslprov_ref *ref)
{
	struct slot *s;
	int fd = -1;

	pthread_mutex_lock(&table.lock);
	s = &table.slots[ref->slot];
	s->busy--;
	if (s->state == SLOT_DYING && !s->busy) {
		fd = s->fd;
		slot_free(s);
	}
	pthread_mutex_unlock(&table.lock);

	close_unlocked(fd);
	ref->fd = -1;
}

/**
 * sslprov_handle_is_provider() - does @h have the shape of a provider handle?
 * @h: any value.
 *
 * Says nothing about validity; it only picks which kind of lookup applies.
 *
 * Return: non-zero if the kernel object field of @h is 0.
 */
int sslprov_handle_is_provider(NCRYPT_HANDLE h)
{
	return !(h & HANDLE_ID_MASK);
}
