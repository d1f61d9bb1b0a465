// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the key-blob parsing of SslImportKey (lib/keys.c),
 * everything that runs before the key goes to the kernel.  keys.c is
 * included so that its static parser, blob_to_pkey(), is reached exactly
 * as the library compiles it; the rest of the library is linked in but
 * never called, so no device is needed.
 *
 * Input: one selector byte (0 RSAPRIVATE, 1 RSAFULLPRIVATE, 2 PKCS#8,
 * anything else an unknown blob type), then the blob.
 */
#include "../lib/keys.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const WCHAR other[] = u"RSAPUBLICBLOB";
	LPCWSTR type;
	EVP_PKEY *pkey = NULL;
	SECURITY_STATUS st;
	uint8_t *blob;

	if (size < 1 || size - 1 > 0xffffffffu)
		return 0;
	switch (data[0]) {
	case 0:
		type = BCRYPT_RSAPRIVATE_BLOB;
		break;
	case 1:
		type = BCRYPT_RSAFULLPRIVATE_BLOB;
		break;
	case 2:
		type = SSLPROV_PKCS8_PRIVATEKEY_BLOB;
		break;
	default:
		type = other;
		break;
	}
	/* An exact-size copy, so that ASan sees any read past the blob. */
	blob = malloc(size - 1 ? size - 1 : 1);
	if (!blob)
		return 0;
	memcpy(blob, data + 1, size - 1);
	st = blob_to_pkey(type, blob, (DWORD)(size - 1), &pkey);
	if (st == ERROR_SUCCESS) {
		unsigned char *der = NULL;
		int len;

		/* What import_pkey() would hand the kernel. */
		if (!pkey || EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA)
			__builtin_trap();
		len = i2d_PrivateKey(pkey, &der);
		if (len > 0)
			OPENSSL_clear_free(der, (size_t)len);
	} else if (pkey) {
		/* A failed parse must not hand back a key. */
		__builtin_trap();
	}
	EVP_PKEY_free(pkey);
	free(blob);
	return 0;
}
