// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * params.c - NCryptBufferDesc parameter lists (contract 4.1, 5.5).
 *
 * The kernel ABI takes fixed fields; this is where the Windows form is
 * checked and flattened.  Unknown buffer types are ignored and the first
 * occurrence of a type wins (contract 4.1).
 */
#include <string.h>

#include "internal.h"

/* No TLS 1.2 call needs more; a larger count is a caller bug. */
#define SSLPROV_MAX_PARAMS 64

static SECURITY_STATUS params_take(const NCryptBuffer *b, struct sslprov_params *out)
{
	const uint8_t *p = b->pvBuffer;

	switch (b->BufferType) {
	case NCRYPTBUFFER_SSL_CLIENT_RANDOM:
	case NCRYPTBUFFER_SSL_SERVER_RANDOM:
		if (b->cbBuffer != SSLPROV_RANDOM_LEN)
			return NTE_INVALID_PARAMETER;
		if (b->BufferType == NCRYPTBUFFER_SSL_CLIENT_RANDOM && !out->client_random)
			out->client_random = p;
		if (b->BufferType == NCRYPTBUFFER_SSL_SERVER_RANDOM && !out->server_random)
			out->server_random = p;
		return ERROR_SUCCESS;
	case NCRYPTBUFFER_SSL_SESSION_HASH:
		if (b->cbBuffer != 32 && b->cbBuffer != 36 && b->cbBuffer != 48)
			return NTE_INVALID_PARAMETER;
		if (!out->session_hash) {
			out->session_hash = p;
			out->session_hash_len = b->cbBuffer;
		}
		return ERROR_SUCCESS;
	case NCRYPTBUFFER_SSL_HIGHEST_VERSION:
		/* A DWORD in host order, or the two wire bytes (contract 3.6). */
		if (out->highest_version)
			return ERROR_SUCCESS;
		if (b->cbBuffer == 4) {
			DWORD v;

			memcpy(&v, p, sizeof(v));
			out->highest_version = v;
		} else if (b->cbBuffer == 2) {
			out->highest_version = (uint32_t)p[0] << 8 | p[1];
		} else {
			return NTE_INVALID_PARAMETER;
		}
		if (!out->highest_version || out->highest_version > 0xffff)
			return NTE_INVALID_PARAMETER;
		return ERROR_SUCCESS;
	default:
		return ERROR_SUCCESS;
	}
}

/**
 * sslprov_params_parse() - check and flatten a parameter list.
 * @desc: the caller's list; may be NULL (then everything is absent).
 * @out: receives pointers into the caller's buffers.
 *
 * Return: %ERROR_SUCCESS, or %NTE_INVALID_PARAMETER for a malformed list
 * (wrong version, a NULL buffer array or buffer with a non-zero length, too
 * many buffers, a known buffer of the wrong length).
 */
SECURITY_STATUS sslprov_params_parse(const NCryptBufferDesc *desc,
				     struct sslprov_params *out)
{
	SECURITY_STATUS status;
	ULONG i;

	memset(out, 0, sizeof(*out));
	if (!desc)
		return ERROR_SUCCESS;
	if (desc->ulVersion != NCRYPTBUFFER_VERSION || desc->cBuffers > SSLPROV_MAX_PARAMS)
		return NTE_INVALID_PARAMETER;
	if (desc->cBuffers && !desc->pBuffers)
		return NTE_INVALID_PARAMETER;
	for (i = 0; i < desc->cBuffers; i++) {
		const NCryptBuffer *b = &desc->pBuffers[i];

		if (b->cbBuffer && !b->pvBuffer)
			return NTE_INVALID_PARAMETER;
		status = params_take(b, out);
		if (status)
			return status;
	}
	return ERROR_SUCCESS;
}
