// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * buffer.c - memory the provider hands out, and SslFreeBuffer().
 *
 * Every provider-allocated output (provider lists, enumeration states,
 * property values, curve lists) comes from sslprov_buffer_alloc(), which
 * puts a header in front of the caller's bytes.  The header lets
 * SslFreeBuffer() refuse pointers that are not ours instead of handing
 * them to free(), and lets enumeration functions check that the state
 * they are given back is one they made.
 */
#define _GNU_SOURCE
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* "sslprovB" - what an intact header starts with. */
#define BUFFER_MAGIC 0x73736c70726f7642ull

/**
 * struct buffer_header - what precedes each provider allocation.
 * @magic: BUFFER_MAGIC while the buffer is live.
 * @kind: enum sslprov_buffer_kind.
 * @size: bytes after the header.
 * @destroy: frees what the payload points to (enumeration states), or NULL.
 *
 * The header is padded to max_align_t so the payload is aligned for any
 * type, as malloc()'s own result would be.
 */
struct buffer_header {
	alignas(max_align_t) uint64_t magic;
	uint32_t kind;
	size_t size;
	void (*destroy)(void *payload);
};

_Static_assert(sizeof(struct buffer_header) % alignof(max_align_t) == 0,
	       "payload stays aligned");

static struct buffer_header *header_of(const void *payload)
{
	return (struct buffer_header *)payload - 1;
}

/*
 * Can @p be one of our payloads?  A foreign pointer is detectable only as
 * far as reading the bytes in front of it is safe: a misaligned pointer is
 * rejected before anything is read; one that follows a valid mapping is
 * rejected by the magic.  A wild pointer can still fault, as free() would.
 */
static struct buffer_header *header_check(const void *p)
{
	struct buffer_header *h;

	if (!p || (uintptr_t)p % alignof(max_align_t))
		return NULL;
	if ((uintptr_t)p < sizeof(*h))
		return NULL;
	h = header_of(p);
	return h->magic == BUFFER_MAGIC ? h : NULL;
}

/**
 * sslprov_buffer_alloc() - allocate zeroed memory to hand to the caller.
 * @size: payload bytes.
 * @kind: what the payload is.
 * @destroy: run on the payload by SslFreeBuffer() before it is freed, to
 *	release what it points to; NULL if nothing.
 *
 * Return: the payload, or NULL when out of memory.
 */
void *sslprov_buffer_alloc(size_t size, enum sslprov_buffer_kind kind,
			   void (*destroy)(void *payload))
{
	struct buffer_header *h;

	if (size > SIZE_MAX - sizeof(*h))
		return NULL;
	h = calloc(1, sizeof(*h) + size);
	if (!h)
		return NULL;
	h->magic = BUFFER_MAGIC;
	h->kind = kind;
	h->size = size;
	h->destroy = destroy;
	return h + 1;
}

/**
 * sslprov_buffer_kind() - what a pointer from the caller is.
 * @p: a pointer that should have come from sslprov_buffer_alloc().
 *
 * Return: its enum sslprov_buffer_kind, or 0 if it is not ours.
 */
int sslprov_buffer_kind(const void *p)
{
	struct buffer_header *h = header_check(p);

	return h ? (int)h->kind : 0;
}

/**
 * SslFreeBuffer() - free memory the provider returned.
 * @pvInput: a buffer from SslEnumProtocolProviders(), SslEnumCipherSuites(),
 *	SslEnumCipherSuitesEx() (the enumeration state), SslGetKeyProperty(),
 *	SslGetProviderProperty() or SslEnumEccCurves().
 *
 * The memory is wiped before it is released: property values may describe
 * keys, and a stale header must not pass for a live one.
 *
 * Return: %ERROR_SUCCESS; %NTE_INVALID_PARAMETER if @pvInput is NULL or,
 * as far as can be told, not a buffer of this provider.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslFreeBuffer(PVOID pvInput)
{
	struct buffer_header *h = header_check(pvInput);

	if (!h)
		return NTE_INVALID_PARAMETER;
	if (h->destroy)
		h->destroy(pvInput);
	explicit_bzero(h, sizeof(*h) + h->size);
	free(h);
	return ERROR_SUCCESS;
}
