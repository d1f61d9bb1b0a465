// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * keys.c - private keys: SslImportKey (private blobs, a Linux extension;
 * public blobs are in pubkey.c) and SslOpenPrivateKey (keys loaded into
 * the kernel by sslprovctl).
 *
 * Whatever form a private key arrives in, it is turned into a PKCS#1
 * RSAPrivateKey with all CRT components and handed to the kernel, which
 * keeps it; the library's copies are wiped before returning.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "internal.h"

/* Blob type names are compared as the UTF-16 strings they are. */
int sslprov_wide_eq(LPCWSTR a, LPCWSTR b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/*
 * An RSA EVP_PKEY from the parameters in @bld; @selection is
 * EVP_PKEY_PUBLIC_KEY or EVP_PKEY_KEYPAIR.  Shared by the private blobs
 * here and the public blob in pubkey.c.  NULL on any failure.
 */
EVP_PKEY *sslprov_rsa_fromdata(OSSL_PARAM_BLD *bld, int selection)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *pkey = NULL;

	if (!params || !pctx || EVP_PKEY_fromdata_init(pctx) <= 0 ||
	    EVP_PKEY_fromdata(pctx, &pkey, selection, params) <= 0)
		pkey = NULL;
	EVP_PKEY_CTX_free(pctx);
	OSSL_PARAM_free(params);	/* secure BNs were copied to secure memory */
	return pkey;
}

/* d, dp, dq, qinv from p, q, e, as the full private blob would carry. */
static EVP_PKEY *rsa_from_factors(BIGNUM *n, BIGNUM *e, BIGNUM *p, BIGNUM *q)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *p1 = BN_new(), *q1 = BN_new(), *phi = BN_new();
	BIGNUM *d = BN_secure_new(), *dp = BN_secure_new();
	BIGNUM *dq = BN_secure_new(), *qinv = BN_secure_new();
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY *pkey = NULL;

	if (!ctx || !p1 || !q1 || !phi || !d || !dp || !dq || !qinv)
		goto out;
	/* A blob whose primes are not n's factors would decrypt garbage. */
	if (!BN_mul(phi, p, q, ctx) || BN_cmp(phi, n))
		goto out;
	if (!BN_sub(p1, p, BN_value_one()) || !BN_sub(q1, q, BN_value_one()) ||
	    !BN_mul(phi, p1, q1, ctx) || !BN_mod_inverse(d, e, phi, ctx) ||
	    !BN_mod(dp, d, p1, ctx) || !BN_mod(dq, d, q1, ctx) ||
	    !BN_mod_inverse(qinv, q, p, ctx))
		goto out;
	bld = OSSL_PARAM_BLD_new();
	if (!bld ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, q) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dp) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dq) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qinv))
		goto out;
	pkey = sslprov_rsa_fromdata(bld, EVP_PKEY_KEYPAIR);
out:
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(p1);
	BN_clear_free(q1);
	BN_clear_free(phi);
	BN_clear_free(d);
	BN_clear_free(dp);
	BN_clear_free(dq);
	BN_clear_free(qinv);
	BN_CTX_free(ctx);
	return pkey;
}

/* BCRYPT_RSAPRIVATE_BLOB / BCRYPT_RSAFULLPRIVATE_BLOB (contract 4.7). */
static SECURITY_STATUS rsa_blob_parse(const uint8_t *blob, DWORD len, ULONG magic,
				      EVP_PKEY **out)
{
	BCRYPT_RSAKEY_BLOB h;
	BIGNUM *e = NULL, *n = NULL, *p = NULL, *q = NULL;
	uint64_t need;
	const uint8_t *cur;

	if (len < sizeof(h))
		return NTE_BAD_DATA;
	memcpy(&h, blob, sizeof(h));
	if (h.Magic != magic)
		return NTE_BAD_KEY;
	need = (uint64_t)sizeof(h) + h.cbPublicExp + h.cbModulus + h.cbPrime1 + h.cbPrime2;
	if (magic == BCRYPT_RSAFULLPRIVATE_MAGIC)
		need += 2ull * h.cbPrime1 + h.cbPrime2 + h.cbModulus;
	if (!h.cbPublicExp || !h.cbModulus || !h.cbPrime1 || !h.cbPrime2 ||
	    need > len || h.BitLength > 8ull * h.cbModulus)
		return NTE_BAD_KEY;
	cur = blob + sizeof(h);
	e = BN_bin2bn(cur, h.cbPublicExp, NULL);
	cur += h.cbPublicExp;
	n = BN_bin2bn(cur, h.cbModulus, NULL);
	cur += h.cbModulus;
	p = BN_bin2bn(cur, h.cbPrime1, BN_secure_new());
	cur += h.cbPrime1;
	q = BN_bin2bn(cur, h.cbPrime2, BN_secure_new());
	*out = (e && n && p && q) ? rsa_from_factors(n, e, p, q) : NULL;
	BN_free(e);
	BN_free(n);
	BN_clear_free(p);
	BN_clear_free(q);
	return *out ? ERROR_SUCCESS : NTE_BAD_KEY;
}

static SECURITY_STATUS blob_to_pkey(LPCWSTR type, const uint8_t *blob, DWORD len,
				    EVP_PKEY **out)
{
	const uint8_t *p = blob;

	if (sslprov_wide_eq(type, BCRYPT_RSAPRIVATE_BLOB))
		return rsa_blob_parse(blob, len, BCRYPT_RSAPRIVATE_MAGIC, out);
	if (sslprov_wide_eq(type, BCRYPT_RSAFULLPRIVATE_BLOB))
		return rsa_blob_parse(blob, len, BCRYPT_RSAFULLPRIVATE_MAGIC, out);
	if (sslprov_wide_eq(type, SSLPROV_PKCS8_PRIVATEKEY_BLOB)) {
		*out = d2i_AutoPrivateKey(NULL, &p, len);
		if (!*out)
			return NTE_BAD_DATA;
		if (EVP_PKEY_get_base_id(*out) != EVP_PKEY_RSA) {
			EVP_PKEY_free(*out);
			*out = NULL;
			return NTE_NOT_SUPPORTED;
		}
		return ERROR_SUCCESS;
	}
	return NTE_NOT_SUPPORTED;
}

static SECURITY_STATUS import_pkey(const struct sslprov_ref *prov, EVP_PKEY *pkey,
				   NCRYPT_KEY_HANDLE *out)
{
	struct sslprov_key_import arg = { 0 };
	unsigned char *der = NULL;
	SECURITY_STATUS status;
	int len, ret;

	/* For RSA keys this is the PKCS#1 RSAPrivateKey the kernel takes. */
	len = i2d_PrivateKey(pkey, &der);
	if (len <= 0)
		return NTE_BAD_KEY;
	arg.der = (uintptr_t)der;
	arg.der_len = (uint32_t)len;
	ret = sslprov_dev_call(prov->fd, SSLPROV_IOC_KEY_IMPORT, &arg, sizeof(arg));
	OPENSSL_clear_free(der, (size_t)len);
	if (ret)
		return sslprov_status_from_errno(ret);
	status = sslprov_object_register(prov, arg.handle, out);
	if (status)
		sslprov_dev_free(prov->fd, arg.handle);
	return status;
}

/**
 * SslImportKey() - import a key into the provider.
 * @hSslProvider: the provider handle.
 * @phKey: receives the key handle; free it with SslFreeObject().
 * @pszBlobType: BCRYPT_RSAPUBLIC_BLOB (a public key object: SslExportKey
 *	gives it back), or BCRYPT_RSAPRIVATE_BLOB, BCRYPT_RSAFULLPRIVATE_BLOB
 *	or SSLPROV_PKCS8_PRIVATEKEY_BLOB (Linux extensions: private keys for
 *	SslImportMasterKey).  ECC, DH and opaque blobs are not supported yet.
 * @pbKeyBlob: the blob.
 * @cbKeyBlob: its length.
 * @dwFlags: must be 0.
 *
 * The key is kept by the kernel; the library wipes its copies of a
 * private key.
 *
 * Return: %ERROR_SUCCESS, or %NTE_INVALID_HANDLE, %NTE_INVALID_PARAMETER
 * (NULL pointer), %NTE_BAD_FLAGS, %NTE_NOT_SUPPORTED (blob type, key type
 * or size), %NTE_BAD_KEY (bad magic or lengths), %NTE_BAD_DATA (malformed
 * PKCS#8), %NTE_NO_MEMORY.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslImportKey(NCRYPT_PROV_HANDLE hSslProvider,
						NCRYPT_KEY_HANDLE *phKey, LPCWSTR pszBlobType,
						PBYTE pbKeyBlob, DWORD cbKeyBlob, DWORD dwFlags)
{
	struct sslprov_ref prov;
	SECURITY_STATUS status;
	EVP_PKEY *pkey = NULL;

	status = sslprov_provider_get(hSslProvider, &prov);
	if (status)
		return status;
	if (!phKey || !pszBlobType || !pbKeyBlob || !cbKeyBlob)
		status = NTE_INVALID_PARAMETER;
	else if (dwFlags)
		status = NTE_BAD_FLAGS;
	else if (sslprov_wide_eq(pszBlobType, BCRYPT_RSAPUBLIC_BLOB))
		status = sslprov_import_rsa_public(&prov, pbKeyBlob, cbKeyBlob, phKey);
	else
		status = blob_to_pkey(pszBlobType, pbKeyBlob, cbKeyBlob, &pkey);
	if (!status && pkey)
		status = import_pkey(&prov, pkey, phKey);
	EVP_PKEY_free(pkey);
	sslprov_put(&prov);
	return status;
}

/* SHA-256 of the certificate's DER SubjectPublicKeyInfo. */
static SECURITY_STATUS cert_fingerprint(const CERT_CONTEXT *cert, uint8_t *fp)
{
	const unsigned char *p = cert->pbCertEncoded;
	unsigned char *spki = NULL;
	X509 *x509;
	int len;

	if (!p || !cert->cbCertEncoded)
		return NTE_INVALID_PARAMETER;
	x509 = d2i_X509(NULL, &p, cert->cbCertEncoded);
	if (!x509)
		return NTE_BAD_DATA;
	len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x509), &spki);
	X509_free(x509);
	if (len <= 0)
		return NTE_BAD_DATA;
	SHA256(spki, (size_t)len, fp);
	OPENSSL_free(spki);
	return ERROR_SUCCESS;
}

/**
 * SslOpenPrivateKey() - the private key that belongs to a certificate.
 * @hSslProvider: the provider handle.
 * @phPrivateKey: receives the key handle; free it with SslFreeObject().
 * @pCertContext: the certificate; only pbCertEncoded/cbCertEncoded (DER
 *	X.509) are used.
 * @dwFlags: must be 0.
 *
 * The key must have been loaded into the kernel (sslprovctl load) for the
 * caller's user or group.  It is found by the SHA-256 of the certificate's
 * SubjectPublicKeyInfo and never leaves the kernel.
 *
 * Return: %ERROR_SUCCESS, or %NTE_INVALID_HANDLE, %NTE_INVALID_PARAMETER
 * (NULL pointer), %NTE_BAD_FLAGS, %NTE_BAD_DATA (not a DER certificate),
 * %NTE_NO_KEY (no loaded key matches, or the caller may not use it),
 * %NTE_NO_MEMORY.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslOpenPrivateKey(NCRYPT_PROV_HANDLE hSslProvider,
						     NCRYPT_KEY_HANDLE *phPrivateKey,
						     PCCERT_CONTEXT pCertContext, DWORD dwFlags)
{
	struct sslprov_key_ref arg = { 0 };
	struct sslprov_ref prov;
	SECURITY_STATUS status;
	int ret;

	status = sslprov_provider_get(hSslProvider, &prov);
	if (status)
		return status;
	if (!phPrivateKey || !pCertContext)
		status = NTE_INVALID_PARAMETER;
	else if (dwFlags)
		status = NTE_BAD_FLAGS;
	else
		status = cert_fingerprint(pCertContext, arg.fingerprint);
	if (status)
		goto out_put;
	ret = sslprov_dev_call(prov.fd, SSLPROV_IOC_KEY_OPEN, &arg, sizeof(arg));
	if (ret) {
		status = sslprov_status_from_errno(ret);
		goto out_put;
	}
	status = sslprov_object_register(&prov, arg.handle, phPrivateKey);
	if (status)
		sslprov_dev_free(prov.fd, arg.handle);
out_put:
	sslprov_put(&prov);
	return status;
}
