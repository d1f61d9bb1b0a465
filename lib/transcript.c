// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * transcript.c - handshake messages held in the process until the kernel
 * needs them.
 *
 * A TLS handshake hashes each of its messages with its own call to
 * SslHashHandshake(), and each would be one ioctl: in a full TLS 1.2
 * handshake those are most of the provider's system calls.  The messages
 * are public (they crossed the network in the clear), so the library
 * keeps them here and hands them to the kernel in one HASH_UPDATE when the
 * hash is next read (SslComputeFinishedHash, SslComputeSessionHash), when
 * TRANSCRIPT_MAX bytes are waiting, or before fork().  For Finished they
 * travel in the FINISHED call itself, so the read costs one ioctl.  The kernel hashes
 * the same bytes in the same order, so every digest is unchanged.
 *
 * Only hashes this library made are buffered: each has an entry here from
 * SslCreateHandshakeHash() until SslFreeObject().  Any other handle takes
 * the direct path, so the kernel still judges unknown, stale and
 * wrong-kind handles at the call that passes them.
 *
 * Sending is all or nothing: the kernel copies the whole input before it
 * hashes any of it.  When it fails, the bytes stay here and the call that
 * tried reports the error; a later call tries again.
 *
 * Locking: the table lock guards the buckets and the reference counts;
 * each entry's lock guards its buffer and is held across the ioctl that
 * sends it, so two threads never send one hash's bytes out of order.  The
 * table lock is never taken while an entry's lock is held, except by the
 * fork handlers, which take every entry's lock under the table lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * Large enough for the whole transcript of a usual handshake (a
 * certificate chain of a few KiB included), small enough that a provider
 * with thousands of handshakes in flight stays cheap.
 */
#define TRANSCRIPT_MAX		(16u * 1024)
#define TRANSCRIPT_FIRST_ALLOC	1024u
#define BUCKETS_FIRST		64u

/**
 * struct transcript - the bytes one hash has not sent yet.
 * @next: bucket chain (table lock).
 * @handle: the hash handle, as the caller names it.
 * @refs: the table's reference plus one per call using the entry
 *	(table lock).
 * @lock: guards the fields below.
 * @fd: the instance's file; open while the hash lives, which is at least
 *	as long as the entry is in the table.
 * @id: the kernel's handle of the hash.
 * @buf: @len bytes waiting, room for @cap.
 * @len: see @buf.
 * @cap: see @buf.
 */
struct transcript {
	struct transcript *next;
	NCRYPT_HANDLE handle;
	unsigned int refs;
	pthread_mutex_t lock;
	int fd;
	uint32_t id;
	uint8_t *buf;
	uint32_t len;
	uint32_t cap;
};

static struct {
	pthread_mutex_t lock;
	struct transcript **buckets;
	size_t nbuckets;	/* a power of two, or 0 before the first entry */
	size_t count;
} tt = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static size_t bucket_of(NCRYPT_HANDLE h, size_t nbuckets)
{
	uint64_t x = h;

	/* Handles differ mostly in their low (kernel id) and slot bits. */
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 32;
	return x & (nbuckets - 1);
}

/* Doubles the bucket array when entries outnumber buckets.  Table locked. */
static int table_grow(void)
{
	size_t n = tt.nbuckets ? tt.nbuckets * 2 : BUCKETS_FIRST, i;
	struct transcript **b, *t, *next;

	if (tt.nbuckets && tt.count < tt.nbuckets)
		return 0;
	b = calloc(n, sizeof(*b));
	if (!b)
		return tt.nbuckets ? 0 : -1;	/* longer chains still work */
	for (i = 0; i < tt.nbuckets; i++) {
		for (t = tt.buckets[i]; t; t = next) {
			next = t->next;
			t->next = b[bucket_of(t->handle, n)];
			b[bucket_of(t->handle, n)] = t;
		}
	}
	free(tt.buckets);
	tt.buckets = b;
	tt.nbuckets = n;
	return 0;
}

/* The entry of @h, or NULL.  Table locked. */
static struct transcript **slot_of(NCRYPT_HANDLE h)
{
	struct transcript **p;

	if (!tt.nbuckets)
		return NULL;
	for (p = &tt.buckets[bucket_of(h, tt.nbuckets)]; *p; p = &(*p)->next)
		if ((*p)->handle == h)
			return p;
	return NULL;
}

static void transcript_free(struct transcript *t)
{
	pthread_mutex_destroy(&t->lock);
	free(t->buf);
	free(t);
}

/* Drops one reference.  Table locked. */
static int put_locked(struct transcript *t)
{
	return --t->refs == 0;
}

/**
 * sslprov_hash_update_all() - HASH_UPDATE @len bytes, in pieces the kernel
 *	accepts (SSLPROV_MAX_HASH_INPUT each).
 * @fd: the hash's instance.
 * @id: the kernel's handle of the hash.
 * @data: the bytes.
 * @len: their number.
 *
 * If a piece fails, the earlier ones stay hashed.
 *
 * Return: 0 or a negative errno.
 */
int sslprov_hash_update_all(int fd, uint32_t id, const uint8_t *data, uint32_t len)
{
	uint32_t chunk;
	int ret;

	while (len) {
		chunk = len < SSLPROV_MAX_HASH_INPUT ? len : SSLPROV_MAX_HASH_INPUT;
		ret = sslprov_dev_hash_update(fd, id, data, chunk);
		if (ret)
			return ret;
		data += chunk;
		len -= chunk;
	}
	return 0;
}

/*
 * Sends what @t holds, in one call: TRANSCRIPT_MAX is far below
 * SSLPROV_MAX_HASH_INPUT.  Entry locked.
 */
static int flush_locked(struct transcript *t)
{
	int ret;

	if (!t->len)
		return 0;
	ret = sslprov_dev_hash_update(t->fd, t->id, t->buf, t->len);
	if (!ret)
		t->len = 0;
	return ret;
}

/*
 * fork(): the child shares the parent's kernel objects, so nothing may be
 * waiting in the process when it is copied, or both would send it.  Every
 * entry is flushed and stays locked across fork(), so no call can add to
 * it in between.  A flush that fails leaves the bytes with the parent,
 * and the child drops its copy.
 */
static void atfork_prepare(void)
{
	struct transcript *t;
	size_t i;

	pthread_mutex_lock(&tt.lock);
	for (i = 0; i < tt.nbuckets; i++) {
		for (t = tt.buckets[i]; t; t = t->next) {
			pthread_mutex_lock(&t->lock);
			flush_locked(t);
		}
	}
}

static void atfork_unlock(int child)
{
	struct transcript *t;
	size_t i;

	for (i = 0; i < tt.nbuckets; i++) {
		for (t = tt.buckets[i]; t; t = t->next) {
			if (child)
				t->len = 0;
			pthread_mutex_unlock(&t->lock);
		}
	}
	pthread_mutex_unlock(&tt.lock);
}

static void atfork_parent(void)
{
	atfork_unlock(0);
}

static void atfork_child(void)
{
	atfork_unlock(1);
}

static void atfork_register(void)
{
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

/**
 * sslprov_transcript_add() - buffer the messages of a new hash.
 * @h: the hash handle just registered.
 * @fd: its instance's file.
 * @id: the kernel's handle of the hash.
 *
 * Return: %ERROR_SUCCESS, or %NTE_NO_MEMORY.
 */
SECURITY_STATUS sslprov_transcript_add(NCRYPT_HANDLE h, int fd, uint32_t id)
{
	struct transcript *t;
	size_t b;

	pthread_once(&atfork_once, atfork_register);
	t = calloc(1, sizeof(*t));
	if (!t)
		return NTE_NO_MEMORY;
	pthread_mutex_init(&t->lock, NULL);
	t->handle = h;
	t->refs = 1;
	t->fd = fd;
	t->id = id;

	pthread_mutex_lock(&tt.lock);
	if (table_grow()) {
		pthread_mutex_unlock(&tt.lock);
		transcript_free(t);
		return NTE_NO_MEMORY;
	}
	b = bucket_of(h, tt.nbuckets);
	t->next = tt.buckets[b];
	tt.buckets[b] = t;
	tt.count++;
	pthread_mutex_unlock(&tt.lock);
	return ERROR_SUCCESS;
}

/**
 * sslprov_transcript_get() - the entry of a hash, held for one call.
 * @h: any handle.
 *
 * Return: the entry, to be released with sslprov_transcript_put(); NULL
 * if @h is not a live hash of this library.
 */
struct transcript *sslprov_transcript_get(NCRYPT_HANDLE h)
{
	struct transcript **p, *t = NULL;

	pthread_mutex_lock(&tt.lock);
	p = slot_of(h);
	if (p) {
		t = *p;
		t->refs++;
	}
	pthread_mutex_unlock(&tt.lock);
	return t;
}

/**
 * sslprov_transcript_put() - end a call's use of an entry.
 * @t: from sslprov_transcript_get() or sslprov_transcript_detach(); may
 *	be NULL.
 */
void sslprov_transcript_put(struct transcript *t)
{
	int last;

	if (!t)
		return;
	pthread_mutex_lock(&tt.lock);
	last = put_locked(t);
	pthread_mutex_unlock(&tt.lock);
	if (last)
		transcript_free(t);
}

/**
 * sslprov_transcript_detach() - take a hash's entry out of the table
 *	before the kernel object is freed.
 * @h: the handle being freed.
 *
 * From here on the hash takes the direct path, and nothing can send its
 * bytes to a kernel handle that may be reused.
 *
 * Return: the entry, held (the table's reference), or NULL if @h has none.
 * Hand it to sslprov_transcript_reattach() if the free fails, else to
 * sslprov_transcript_put(), which drops the bytes never sent.
 */
struct transcript *sslprov_transcript_detach(NCRYPT_HANDLE h)
{
	struct transcript **p, *t = NULL;

	pthread_mutex_lock(&tt.lock);
	p = slot_of(h);
	if (p) {
		t = *p;
		*p = t->next;
		t->next = NULL;
		tt.count--;
	}
	pthread_mutex_unlock(&tt.lock);
	return t;
}

/**
 * sslprov_transcript_reattach() - undo sslprov_transcript_detach().
 * @t: the entry it returned; may be NULL.
 */
void sslprov_transcript_reattach(struct transcript *t)
{
	size_t b;

	if (!t)
		return;
	pthread_mutex_lock(&tt.lock);
	/* The table had this entry a moment ago, so it has buckets. */
	b = bucket_of(t->handle, tt.nbuckets);
	t->next = tt.buckets[b];
	tt.buckets[b] = t;
	tt.count++;
	pthread_mutex_unlock(&tt.lock);
}

/* Makes room for @len more bytes, up to TRANSCRIPT_MAX.  Entry locked. */
static int reserve_locked(struct transcript *t, uint32_t len)
{
	uint32_t need = t->len + len, cap = t->cap ? t->cap : TRANSCRIPT_FIRST_ALLOC;
	uint8_t *buf;

	if (need <= t->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	if (cap > TRANSCRIPT_MAX)
		cap = TRANSCRIPT_MAX;
	buf = realloc(t->buf, cap);
	if (!buf)
		return -ENOMEM;
	t->buf = buf;
	t->cap = cap;
	return 0;
}

/**
 * sslprov_transcript_append() - hash @len bytes, now or later.
 * @t: the hash's entry.
 * @data: the bytes (not NULL unless @len is 0).
 * @len: their number.
 *
 * Bytes that do not fit with those already waiting send those first; an
 * input larger than the buffer then goes straight to the kernel.  If the
 * kernel fails, nothing of @data is kept (except pieces of an input over
 * SSLPROV_MAX_HASH_INPUT already sent) and what was waiting still is.
 *
 * Return: 0 or a negative errno.
 */
int sslprov_transcript_append(struct transcript *t, const uint8_t *data, uint32_t len)
{
	int ret = 0;

	pthread_mutex_lock(&t->lock);
	if (len > TRANSCRIPT_MAX - t->len)
		ret = flush_locked(t);
	if (ret)
		goto out;
	if (len > TRANSCRIPT_MAX) {
		ret = sslprov_hash_update_all(t->fd, t->id, data, len);
		goto out;
	}
	if (reserve_locked(t, len)) {
		/* No memory to wait in: send it now, after what waits. */
		ret = flush_locked(t);
		if (!ret)
			ret = sslprov_hash_update_all(t->fd, t->id, data, len);
		goto out;
	}
	memcpy(t->buf + t->len, data, len);
	t->len += len;
out:
	pthread_mutex_unlock(&t->lock);
	return ret;
}

/**
 * sslprov_transcript_flush() - send what a hash has waiting, before the
 *	kernel reads the hash.
 * @h: the hash handle; nothing happens if it has no entry.
 *
 * Return: 0 or a negative errno (the bytes then stay waiting).
 */
int sslprov_transcript_flush(NCRYPT_HANDLE h)
{
	struct transcript *t = sslprov_transcript_get(h);
	int ret;

	if (!t)
		return 0;
	pthread_mutex_lock(&t->lock);
	ret = flush_locked(t);
	pthread_mutex_unlock(&t->lock);
	sslprov_transcript_put(t);
	return ret;
}

/**
 * sslprov_transcript_finished() - SSLPROV_IOC_FINISHED on a hash, with the
 *	bytes it has waiting passed along (@pending), so that they need no
 *	HASH_UPDATE of their own.
 * @h: the hash handle; without an entry, the plain call is made.
 * @fd: the master key's instance (the kernel checks it holds the hash).
 * @arg: the call's arguments; @arg->pending is filled in here.
 *
 * The kernel keeps the bytes only if the call succeeds, and so does this
 * entry: on failure they stay waiting.  A module without VER1 of the
 * structure refuses them (E2BIG); they then go by HASH_UPDATE first.
 *
 * Return: 0 or a negative errno.
 */
int sslprov_transcript_finished(NCRYPT_HANDLE h, int fd, struct sslprov_finished *arg)
{
	struct transcript *t = sslprov_transcript_get(h);
	int ret;

	arg->pending_len = 0;
	arg->pending = 0;
	if (!t)
		return sslprov_dev_call(fd, SSLPROV_IOC_FINISHED, arg, sizeof(*arg));
	pthread_mutex_lock(&t->lock);
	if (t->len) {
		arg->pending_len = t->len;
		arg->pending = (uintptr_t)t->buf;
	}
	ret = sslprov_dev_call(fd, SSLPROV_IOC_FINISHED, arg, sizeof(*arg));
	if (ret == -E2BIG && arg->pending_len) {
		arg->pending_len = 0;
		arg->pending = 0;
		ret = flush_locked(t) ?:
		      sslprov_dev_call(fd, SSLPROV_IOC_FINISHED, arg, sizeof(*arg));
	} else if (!ret) {
		t->len = 0;
	}
	pthread_mutex_unlock(&t->lock);
	sslprov_transcript_put(t);
	return ret;
}
