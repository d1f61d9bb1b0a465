// SPDX-License-Identifier: GPL-2.0
/*
 * The cipher suite table.  Only suites whose every step the module can do
 * are listed; anything else is refused with -EOPNOTSUPP by the callers.
 */
#include <linux/errno.h>
#include <linux/kernel.h>

#include "suite.h"

static const struct sslprov_suite sslprov_suites[] = {
	{ /* TLS_RSA_WITH_AES_128_GCM_SHA256, RFC 5288 */
		.id = 0x009c, .min_protocol = SSLPROV_TLS1_2, .prf_hash = SSLPROV_HASH_SHA256,
		.kx = SSLPROV_KX_RSA, .cipher = SSLPROV_CIPHER_AES_GCM,
		.key_len = 16, .fixed_iv_len = 4, .record_iv_len = 8,
		.tag_len = 16,
	},
	{ /* TLS_RSA_WITH_AES_256_GCM_SHA384, RFC 5288 */
		.id = 0x009d, .min_protocol = SSLPROV_TLS1_2, .prf_hash = SSLPROV_HASH_SHA384,
		.kx = SSLPROV_KX_RSA, .cipher = SSLPROV_CIPHER_AES_GCM,
		.key_len = 32, .fixed_iv_len = 4, .record_iv_len = 8,
		.tag_len = 16,
	},
	{ /* TLS_RSA_WITH_AES_128_CBC_SHA, RFC 5246 */
		.id = 0x002f, .min_protocol = SSLPROV_TLS1_0,
		.prf_hash = SSLPROV_HASH_SHA256, .kx = SSLPROV_KX_RSA,
		.cipher = SSLPROV_CIPHER_AES_CBC, .key_len = 16,
	},
	{ /* TLS_RSA_WITH_AES_256_CBC_SHA, RFC 5246 */
		.id = 0x0035, .min_protocol = SSLPROV_TLS1_0,
		.prf_hash = SSLPROV_HASH_SHA256, .kx = SSLPROV_KX_RSA,
		.cipher = SSLPROV_CIPHER_AES_CBC, .key_len = 32,
	},
};

const struct sslprov_suite *sslprov_suite_find(u32 id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sslprov_suites); i++)
		if (sslprov_suites[i].id == id)
			return &sslprov_suites[i];
	return NULL;
}

/* SSL 2.0 and 3.0 are refused: both are broken beyond repair. */
bool sslprov_protocol_supported(u32 protocol)
{
	return protocol >= SSLPROV_TLS1_0 && protocol <= SSLPROV_TLS1_2;
}

/**
 * sslprov_transcript_hash() - the handshake hash a protocol and suite use.
 * @protocol: wire protocol version.
 * @suite: the negotiated suite; only consulted for TLS 1.2.
 *
 * Return: an enum sslprov_hash_alg, or -EOPNOTSUPP.
 */
int sslprov_transcript_hash(u32 protocol, const struct sslprov_suite *suite)
{
	if (!sslprov_protocol_supported(protocol))
		return -EOPNOTSUPP;
	if (protocol < SSLPROV_TLS1_2)
		return SSLPROV_HASH_MD5_SHA1;
	if (!suite)
		return -EOPNOTSUPP;
	return suite->prf_hash;
}
