// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pubkey.c - RSA public keys: SslImportKey with BCRYPT_RSAPUBLIC_BLOB and
 * SslExportKey with BCRYPT_RSAPUBLIC_BLOB (contract 4.7, 5.3).
 *
 * A BCRYPT_RSAPUBLIC_BLOB is a 24-byte BCRYPT_RSAKEY_BLOB header (magic
 * RSA1, cbPrime1 = cbPrime2 = 0) followed by the public exponent and the
 * modulus, big-endian.  The kernel takes the key as a PKCS#1
 * RSAPublicKey and gives back its exponent and modulus on export, so an
 * export of an imported key returns the same numbers.
 *
 * Choices where the contract is silent (also in sslprovider.h):
 * - BitLength must be the modulus's exact bit length, and cbModulus at
 *   least (BitLength + 7) / 8; a blob whose header lies about its key is
 *   NTE_BAD_KEY.  Bytes after the modulus are ignored (the contract only
 *   asks that the blob fit in cbKeyBlob), as for the private blobs.
 * - Exported blobs are minimal: no leading zero bytes in the exponent,
 *   cbModulus = (BitLength + 7) / 8.
 * - The public blob of a private key object can be exported (it is
 *   public); a master key, session key or hash gives NTE_NOT_SUPPORTED /
 *   NTE_INVALID_HANDLE, and any other blob type NTE_NOT_SUPPORTED: private
 *   and master secrets are never exported.
 */
#include <errno.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "internal.h"

static EVP_PKEY *rsa_public_pkey(BIGNUM *n, BIGNUM *e)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY *pkey = NULL;

	if (bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
		pkey = sslprov_rsa_fromdata(bld, EVP_PKEY_PUBLIC_KEY);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

/* The blob as a PKCS#1 RSAPublicKey in DER (OPENSSL_free it). */
static SECURITY_STATUS rsa_public_blob_der(const uint8_t *blob, DWORD len,
					   unsigned char **der, int *der_len)
{
	BCRYPT_RSAKEY_BLOB h;
	BIGNUM *e = NULL, *n = NULL;
	EVP_PKEY *pkey = NULL;
	uint64_t need;

	if (len < sizeof(h))
		return NTE_BAD_DATA;
	memcpy(&h, blob, sizeof(h));
	if (h.Magic != BCRYPT_RSAPUBLIC_MAGIC)
		return NTE_BAD_KEY;
	need = (uint64_t)sizeof(h) + h.cbPublicExp + h.cbModulus;
	if (!h.cbPublicExp || !h.cbModulus || h.cbPrime1 || h.cbPrime2 ||
	    need > len || h.BitLength > 8ull * h.cbModulus)
		return NTE_BAD_KEY;
	e = BN_bin2bn(blob + sizeof(h), (int)h.cbPublicExp, NULL);
	n = BN_bin2bn(blob + sizeof(h) + h.cbPublicExp, (int)h.cbModulus, NULL);
	if (e && n && (DWORD)BN_num_bits(n) == h.BitLength)
		pkey = rsa_public_pkey(n, e);
	BN_free(e);
	BN_free(n);
	if (!pkey)
		return NTE_BAD_KEY;
	*der = NULL;
	*der_len = i2d_PublicKey(pkey, der);
	EVP_PKEY_free(pkey);
	return *der_len > 0 ? ERROR_SUCCESS : NTE_BAD_KEY;
}

/**
 * sslprov_import_rsa_public() - SslImportKey's BCRYPT_RSAPUBLIC_BLOB case.
 * @prov: the provider, held by the caller.
 * @blob: the blob.
 * @len: its length.
 * @out: receives the new key handle.
 *
 * Return: %ERROR_SUCCESS, %NTE_BAD_DATA (shorter than the header),
 * %NTE_BAD_KEY (magic, lengths, or a key the kernel refuses: even
 * modulus, exponent not in 3..n-1 or even), %NTE_NOT_SUPPORTED (modulus
 * not of 1024 to 16384 bits), %NTE_NO_MEMORY.
 */
SECURITY_STATUS sslprov_import_rsa_public(const struct sslprov_ref *prov,
					  const uint8_t *blob, DWORD len,
					  NCRYPT_KEY_HANDLE *out)
{
	struct sslprov_pubkey_import arg = { 0 };
	unsigned char *der;
	SECURITY_STATUS status;
	int der_len, ret;

	status = rsa_public_blob_der(blob, len, &der, &der_len);
	if (status)
		return status;
	arg.der = (uintptr_t)der;
	arg.der_len = (uint32_t)der_len;
	ret = sslprov_dev_call(prov->fd, SSLPROV_IOC_PUBKEY_IMPORT, &arg, sizeof(arg));
	OPENSSL_free(der);
	if (ret)
		return sslprov_status_from_errno(ret);
	status = sslprov_object_register(prov, arg.handle, out);
	if (status)
		sslprov_dev_free(prov->fd, arg.handle);
	return status;
}

/* The kernel's lengths, or the public numbers into @body (e_len + n_len). */
static int pubkey_export_call(const struct sslprov_ref *key,
			      struct sslprov_pubkey_export *arg,
			      uint8_t *body, uint32_t body_len)
{
	arg->handle = key->id;
	arg->buf = (uintptr_t)body;
	arg->buf_len = body_len;
	return sslprov_dev_call(key->fd, SSLPROV_IOC_PUBKEY_EXPORT, arg, sizeof(*arg));
}

static SECURITY_STATUS export_rsa_public(const struct sslprov_ref *key, PBYTE pbOutput,
					 DWORD cbOutput, DWORD *pcbResult)
{
	struct sslprov_pubkey_export arg = { 0 };
	BCRYPT_RSAKEY_BLOB h = { .Magic = BCRYPT_RSAPUBLIC_MAGIC };
	uint64_t total;
	int ret;

	ret = pubkey_export_call(key, &arg, NULL, 0);
	if (ret)
		/* A master or session key has no public blob. */
		return ret == -EKEYREJECTED ? NTE_NOT_SUPPORTED :
					      sslprov_status_from_errno(ret);
	total = (uint64_t)sizeof(h) + arg.e_len + arg.n_len;
	if (total > UINT32_MAX)
		return NTE_INTERNAL_ERROR;
	*pcbResult = (DWORD)total;
	if (!pbOutput)
		return ERROR_SUCCESS;
	if (cbOutput < total)
		return NTE_BUFFER_TOO_SMALL;

	ret = pubkey_export_call(key, &arg, pbOutput + sizeof(h),
				 (uint32_t)(total - sizeof(h)));
	if (ret)
		return sslprov_status_from_errno(ret);
	h.BitLength = arg.bits;
	h.cbPublicExp = arg.e_len;
	h.cbModulus = arg.n_len;
	memcpy(pbOutput, &h, sizeof(h));
	return ERROR_SUCCESS;
}

/**
 * SslExportKey() - export the public half of a key.
 * @hSslProvider: the provider handle.
 * @hKey: an RSA private key (SslOpenPrivateKey, SslImportKey) or public
 *	key (SslImportKey with BCRYPT_RSAPUBLIC_BLOB) of this provider.
 * @pszBlobType: BCRYPT_RSAPUBLIC_BLOB; other types are not supported yet.
 * @pbOutput: receives the blob, or NULL to ask for its size.
 * @cbOutput: room at @pbOutput.
 * @pcbResult: receives the blob's length (also on %NTE_BUFFER_TOO_SMALL).
 * @dwFlags: must be 0.
 *
 * Return: %ERROR_SUCCESS, or %NTE_INVALID_HANDLE, %NTE_INVALID_PARAMETER
 * (NULL @pcbResult or @pszBlobType), %NTE_BAD_FLAGS, %NTE_NOT_SUPPORTED
 * (blob type, or a key without a public blob), %NTE_BUFFER_TOO_SMALL.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslExportKey(NCRYPT_PROV_HANDLE hSslProvider,
						NCRYPT_KEY_HANDLE hKey, LPCWSTR pszBlobType,
						PBYTE pbOutput, DWORD cbOutput,
						DWORD *pcbResult, DWORD dwFlags)
{
	struct sslprov_ref prov, key;
	SECURITY_STATUS status;

	status = sslprov_provider_get(hSslProvider, &prov);
	if (status)
		return status;
	status = sslprov_object_get(hKey, &key);
	if (status)
		goto out_put_prov;
	if (prov.slot != key.slot)
		status = NTE_INVALID_HANDLE;
	else if (!pcbResult || !pszBlobType)
		status = NTE_INVALID_PARAMETER;
	else if (dwFlags)
		status = NTE_BAD_FLAGS;
	else if (!sslprov_wide_eq(pszBlobType, BCRYPT_RSAPUBLIC_BLOB))
		status = NTE_NOT_SUPPORTED;
	else
		status = export_rsa_public(&key, pbOutput, cbOutput, pcbResult);
	sslprov_put(&key);
out_put_prov:
	sslprov_put(&prov);
	return status;
}
