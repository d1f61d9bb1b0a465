// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: SslImportKey's BCRYPT_RSAPUBLIC_BLOB parsing
 * (lib/pubkey.c), everything that runs before the key goes to the kernel:
 * header, lengths, magic, BitLength against the modulus, and the DER
 * RSAPublicKey handed to SSLPROV_IOC_PUBKEY_IMPORT.  pubkey.c is included
 * so that its static rsa_public_blob_der() is reached as the library
 * compiles it; the rest of the library is linked in but never called.
 *
 * Input: the blob.
 */
#include "../lib/pubkey.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *der = (unsigned char *)1;
	const unsigned char *p;
	SECURITY_STATUS st;
	EVP_PKEY *back;
	uint8_t *blob;
	int der_len = -1;

	if (size > 0xffffffffu)
		return 0;
	/* An exact-size copy, so that ASan sees any read past the blob. */
	blob = malloc(size ? size : 1);
	if (!blob)
		return 0;
	memcpy(blob, data, size);
	st = rsa_public_blob_der(blob, (DWORD)size, &der, &der_len);
	if (st == ERROR_SUCCESS) {
		/* What the kernel receives must be a DER RSAPublicKey. */
		if (der_len <= 0 || !der)
			__builtin_trap();
		p = der;
		back = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, der_len);
		if (!back || p != der + der_len)
			__builtin_trap();
		EVP_PKEY_free(back);
		OPENSSL_free(der);
	} else if (st != NTE_BAD_DATA && st != NTE_BAD_KEY) {
		/* The parser's documented statuses, and only those. */
		__builtin_trap();
	}
	free(blob);
	return 0;
}
