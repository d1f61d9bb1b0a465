// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: sslprovctl's key and certificate file parsing (PEM or
 * DER; PKCS#1, PKCS#8, X.509, SubjectPublicKeyInfo).  sslprovctl.c is
 * included (its main renamed) so that its static parsers are fuzzed as the
 * tool compiles them.
 *
 * Input: one selector byte (even: "load"'s private-key path including the
 * checks before the ioctl; odd: "fingerprint"'s certificate / public key /
 * private key path), then the file's contents.
 *
 * An encrypted PEM key makes OpenSSL ask for a pass phrase on the
 * terminal: run the target without one (setsid, stdin from /dev/null), as
 * scripts/fuzz does, so that the prompt fails at once.
 */
#define main sslprovctl_main
#include "../tools/sslprovctl.c"
#undef main

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char fp[SSLPROV_FINGERPRINT_LEN];
	struct blob b;
	EVP_PKEY *pkey = NULL;
	X509 *x = NULL;

	if (size < 2)
		return 0;
	/* A private copy of exactly the file's size, wiped as read_file's is. */
	b.len = size - 1;
	b.data = malloc(b.len);
	if (!b.data)
		return 0;
	memcpy(b.data, data + 1, b.len);

	if (!(data[0] & 1)) {
		pkey = parse_private_key(&b);
		if (pkey && EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA &&
		    has_crt_components(pkey)) {
			unsigned char *der = NULL;
			int len = i2d_PrivateKey(pkey, &der);

			if (len > 0)
				OPENSSL_clear_free(der, (size_t)len);
			(void)spki_sha256(pkey, fp);
		}
	} else {
		x = parse_certificate(&b);
		if (x) {
			EVP_PKEY *pub = X509_get0_pubkey(x);

			if (pub)
				(void)spki_sha256(pub, fp);
		} else {
			pkey = parse_public_key(&b);
			if (!pkey)
				pkey = parse_private_key(&b);
			if (pkey)
				(void)spki_sha256(pkey, fp);
		}
	}
	ERR_clear_error();
	X509_free(x);
	EVP_PKEY_free(pkey);
	blob_wipe(&b);
	return 0;
}
