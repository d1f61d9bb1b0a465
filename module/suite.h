/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protocols and cipher suites the module knows, and what each needs.
 */
#ifndef SSLPROV_SUITE_H
#define SSLPROV_SUITE_H

#include <linux/types.h>

#define SSLPROV_TLS1_0	0x0301
#define SSLPROV_TLS1_1	0x0302
#define SSLPROV_TLS1_2	0x0303

enum sslprov_hash_alg {
	SSLPROV_HASH_MD5_SHA1,	/* TLS 1.0/1.1: MD5 and SHA-1 side by side */
	SSLPROV_HASH_SHA256,
	SSLPROV_HASH_SHA384,
};

enum sslprov_kx {
	SSLPROV_KX_RSA,
};

enum sslprov_cipher {
	SSLPROV_CIPHER_AES_GCM,
	SSLPROV_CIPHER_AES_CBC,	/* handshake only: no record support yet */
};

/**
 * struct sslprov_suite - one TLS cipher suite.
 * @id: IANA number.
 * @min_protocol: oldest protocol version the suite is defined for.
 * @prf_hash: hash of the TLS 1.2 PRF and handshake hash.
 * @kx: key exchange.
 * @cipher: record protection.
 * @key_len: bulk key bytes.
 * @fixed_iv_len: implicit IV (GCM salt) bytes from the key block.
 * @record_iv_len: explicit per-record nonce bytes.
 * @tag_len: AEAD tag bytes.
 */
struct sslprov_suite {
	u16 id;
	u16 min_protocol;
	u8 prf_hash;
	u8 kx;
	u8 cipher;
	u8 key_len;
	u8 fixed_iv_len;
	u8 record_iv_len;
	u8 tag_len;
};

const struct sslprov_suite *sslprov_suite_find(u32 id);
bool sslprov_protocol_supported(u32 protocol);
int sslprov_transcript_hash(u32 protocol, const struct sslprov_suite *suite);

#endif /* SSLPROV_SUITE_H */
