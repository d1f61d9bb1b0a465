/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * internal.h - what the files of libsslprov share and export to nobody.
 *
 * Everything here has hidden visibility (the library is built with
 * -fvisibility=hidden); only the SSLPROV_API functions of sslprovider.h
 * leave the shared object.
 */
#ifndef SSLPROV_INTERNAL_H
#define SSLPROV_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include <linux/sslprov.h>

#include "sslprovider.h"

/* status.c */

SECURITY_STATUS sslprov_status_from_errno(int err);
SECURITY_STATUS sslprov_status_from_open_errno(int err);

/* device.c: every ioctl of the library goes through here. */

int sslprov_dev_open(void);
int sslprov_dev_call(int fd, unsigned long request, void *arg, uint32_t size);
void sslprov_dev_close(int fd);
int sslprov_dev_get_info(int fd, struct sslprov_info *info);
int sslprov_dev_free(int fd, uint32_t id);
int sslprov_dev_hash_create(int fd, uint32_t protocol, uint32_t cipher_suite,
			    uint32_t *id);
int sslprov_dev_hash_update(int fd, uint32_t id, const void *data, uint32_t len);

/* handle.c: the table of provider instances and the handles built on it. */

/**
 * struct sslprov_ref - a provider instance held busy for one call.
 * @slot: index of the instance in the handle table.
 * @fd: its open file of /dev/sslprov; stays open until sslprov_put().
 * @id: the kernel object handle (0 for a provider handle).
 */
struct sslprov_ref {
	uint32_t slot;
	int fd;
	uint32_t id;
};

SECURITY_STATUS sslprov_provider_new(int fd, NCRYPT_PROV_HANDLE *out);
SECURITY_STATUS sslprov_provider_addref(NCRYPT_PROV_HANDLE h);
SECURITY_STATUS sslprov_provider_release(NCRYPT_PROV_HANDLE h);
SECURITY_STATUS sslprov_provider_get(NCRYPT_PROV_HANDLE h, struct sslprov_ref *ref);
SECURITY_STATUS sslprov_object_get(NCRYPT_HANDLE h, struct sslprov_ref *ref);
SECURITY_STATUS sslprov_object_register(const struct sslprov_ref *prov, uint32_t id,
					NCRYPT_HANDLE *out);
void sslprov_object_unregister(const struct sslprov_ref *ref);
void sslprov_put(struct sslprov_ref *ref);
int sslprov_handle_is_provider(NCRYPT_HANDLE h);

/*
 * transcript.c: handshake messages of the library's own hashes, held in
 * the process until the kernel reads the hash (see there).
 */
struct transcript;

SECURITY_STATUS sslprov_transcript_add(NCRYPT_HANDLE h, int fd, uint32_t id);
struct transcript *sslprov_transcript_get(NCRYPT_HANDLE h);
void sslprov_transcript_put(struct transcript *t);
struct transcript *sslprov_transcript_detach(NCRYPT_HANDLE h);
void sslprov_transcript_reattach(struct transcript *t);
int sslprov_transcript_append(struct transcript *t, const uint8_t *data, uint32_t len);
int sslprov_transcript_flush(NCRYPT_HANDLE h);
int sslprov_transcript_finished(NCRYPT_HANDLE h, int fd, struct sslprov_finished *arg);
int sslprov_hash_update_all(int fd, uint32_t id, const uint8_t *data, uint32_t len);

/* buffer.c: every provider-allocated output comes from here. */

enum sslprov_buffer_kind {
	SSLPROV_BUF_PLAIN = 1,		/* bytes or a flat structure */
	SSLPROV_BUF_ENUM_STATE = 2,	/* an enumeration state */
};

void *sslprov_buffer_alloc(size_t size, enum sslprov_buffer_kind kind,
			   void (*destroy)(void *payload));
int sslprov_buffer_kind(const void *p);

/* params.c: the NCryptBufferDesc parameter lists of the TLS 1.2 calls. */

/**
 * struct sslprov_params - what a parameter list said; absent parts are 0.
 * @client_random: NCRYPTBUFFER_SSL_CLIENT_RANDOM, or NULL.
 * @server_random: NCRYPTBUFFER_SSL_SERVER_RANDOM, or NULL.
 * @session_hash: NCRYPTBUFFER_SSL_SESSION_HASH, or NULL.
 * @session_hash_len: its length.
 * @highest_version: NCRYPTBUFFER_SSL_HIGHEST_VERSION, or 0.
 */
struct sslprov_params {
	const uint8_t *client_random;
	const uint8_t *server_random;
	const uint8_t *session_hash;
	uint32_t session_hash_len;
	uint32_t highest_version;
};

SECURITY_STATUS sslprov_params_parse(const NCryptBufferDesc *desc,
				     struct sslprov_params *out);

/* keys.c, pubkey.c */

int sslprov_wide_eq(LPCWSTR a, LPCWSTR b);
EVP_PKEY *sslprov_rsa_fromdata(OSSL_PARAM_BLD *bld, int selection);
SECURITY_STATUS sslprov_import_rsa_public(const struct sslprov_ref *prov,
					  const uint8_t *blob, DWORD len,
					  NCRYPT_KEY_HANDLE *out);

/* provider.c */

int sslprov_provider_name_ok(LPCWSTR name);

#endif /* SSLPROV_INTERNAL_H */
