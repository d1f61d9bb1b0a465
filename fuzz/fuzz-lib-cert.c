// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: SslOpenPrivateKey's certificate parsing (lib/keys.c),
 * CERT_CONTEXT -> DER X.509 -> SubjectPublicKeyInfo -> SHA-256, all of
 * what runs before the key-store lookup ioctl.  keys.c is included so
 * that its static cert_fingerprint() is reached as the library compiles it.
 */
#include "../lib/keys.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t fp[SSLPROV_FINGERPRINT_LEN];
	CERT_CONTEXT cert = { 0 };
	uint8_t *der;

	if (size > 0xffffffffu)
		return 0;
	der = malloc(size ? size : 1);
	if (!der)
		return 0;
	memcpy(der, data, size);
	cert.dwCertEncodingType = X509_ASN_ENCODING;
	cert.pbCertEncoded = size ? der : NULL;
	cert.cbCertEncoded = (DWORD)size;
	(void)cert_fingerprint(&cert, fp);
	free(der);
	return 0;
}
