// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * record.c - record protection (contract 5.6, 6.7): SslEncryptPacket,
 * SslDecryptPacket, SslLookupCipherLengths, and the Linux extension
 * SslKtlsAttach that gives a record key to a kernel TLS socket.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

static SECURITY_STATUS record_call(NCRYPT_PROV_HANDLE hProv, NCRYPT_KEY_HANDLE hKey,
				   unsigned long request, struct sslprov_record *arg,
				   DWORD *pcbResult)
{
	struct sslprov_ref prov, key;
	SECURITY_STATUS status;
	int ret;

	status = sslprov_provider_get(hProv, &prov);
	if (status)
		return status;
	status = sslprov_object_get(hKey, &key);
	if (status)
		goto out_put_prov;
	arg->key = key.id;
	ret = sslprov_dev_call(key.fd, request, arg, sizeof(*arg));
	status = sslprov_status_from_errno(ret);
	if (!ret || ret == -ENOBUFS)
		*pcbResult = arg->result_len;
	sslprov_put(&key);
out_put_prov:
	sslprov_put(&prov);
	return status;
}

/**
 * SslEncryptPacket() - protect one record.
 * @hSslProvider: the provider handle.
 * @hKey: a write key from SslGenerateSessionKeys.
 * @pbInput: the plaintext fragment.
 * @cbInput: its length, at most 16384.
 * @pbOutput: receives the complete record (5-byte header, explicit nonce,
 *	ciphertext, tag), or NULL to ask for the size.  May overlap @pbInput.
 * @cbOutput: room at @pbOutput.
 * @pcbResult: receives the record length (needed length on
 *	%NTE_BUFFER_TOO_SMALL).
 * @SequenceNumber: the record's sequence number; must grow from record
 *	to record of one key (a GCM nonce must never repeat).
 * @dwContentType: CT_CHANGE_CIPHER_SPEC .. CT_APPLICATIONDATA.
 * @dwFlags: must be 0.
 *
 * Return: %ERROR_SUCCESS, or %NTE_INVALID_HANDLE, %NTE_INVALID_PARAMETER
 * (NULL pointer, @cbInput too large, sequence number not above the last
 * one), %NTE_BUFFER_TOO_SMALL, %NTE_BAD_KEY_STATE (a read key),
 * %NTE_BAD_FLAGS.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslEncryptPacket(NCRYPT_PROV_HANDLE hSslProvider,
						    NCRYPT_KEY_HANDLE hKey, PBYTE pbInput,
						    DWORD cbInput, PBYTE pbOutput,
						    DWORD cbOutput, DWORD *pcbResult,
						    ULONGLONG SequenceNumber,
						    DWORD dwContentType, DWORD dwFlags)
{
	struct sslprov_record arg = {
		.content_type = dwContentType,
		.seq = SequenceNumber,
		.in_len = cbInput,
		.out_len = pbOutput ? cbOutput : 0,
		.in = (uintptr_t)pbInput,
		.out = (uintptr_t)pbOutput,
	};

	if (!pcbResult || (!pbInput && cbInput))
		return NTE_INVALID_PARAMETER;
	if (dwFlags)
		return NTE_BAD_FLAGS;
	return record_call(hSslProvider, hKey, SSLPROV_IOC_ENCRYPT, &arg, pcbResult);
}

/**
 * SslDecryptPacket() - open one record.
 * @hSslProvider: the provider handle.
 * @hKey: a read key from SslGenerateSessionKeys.
 * @pbInput: the complete record, 5-byte header included.
 * @cbInput: its length.
 * @pbOutput: receives the plaintext, or NULL to ask for the size.  May
 *	overlap @pbInput.  Nothing is written unless the record authenticates.
 * @cbOutput: room at @pbOutput.
 * @pcbResult: receives the plaintext length (may be 0).
 * @SequenceNumber: the record's sequence number; must grow from record
 *	to record of one key, so a replayed record is refused.
 * @dwFlags: must be 0.
 *
 * Return: %ERROR_SUCCESS, or %NTE_BAD_DATA (the record does not
 * authenticate), %NTE_INVALID_HANDLE, %NTE_INVALID_PARAMETER (malformed
 * record, sequence number not above the last one), %NTE_BUFFER_TOO_SMALL,
 * %NTE_BAD_KEY_STATE (a write key), %NTE_BAD_FLAGS.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslDecryptPacket(NCRYPT_PROV_HANDLE hSslProvider,
						    NCRYPT_KEY_HANDLE hKey, PBYTE pbInput,
						    DWORD cbInput, PBYTE pbOutput,
						    DWORD cbOutput, DWORD *pcbResult,
						    ULONGLONG SequenceNumber, DWORD dwFlags)
{
	struct sslprov_record arg = {
		.seq = SequenceNumber,
		.in_len = cbInput,
		.out_len = pbOutput ? cbOutput : 0,
		.in = (uintptr_t)pbInput,
		.out = (uintptr_t)pbOutput,
	};

	if (!pcbResult || !pbInput)
		return NTE_INVALID_PARAMETER;
	if (dwFlags)
		return NTE_BAD_FLAGS;
	return record_call(hSslProvider, hKey, SSLPROV_IOC_DECRYPT, &arg, pcbResult);
}

/**
 * SslLookupCipherLengths() - per-record overhead of a suite (contract 4.4).
 * @hSslProvider: the provider handle.
 * @dwProtocol: TLS1_2_PROTOCOL_VERSION.
 * @dwCipherSuite: a suite with record support (0x009C, 0x009D).
 * @dwKeyType: 0.
 * @pCipherLengths: receives header (5-byte header + 8-byte explicit
 *	nonce), fixed trailer (16-byte tag) and variable trailer (0) lengths.
 * @cbCipherLengths: at least sizeof(NCRYPT_SSL_CIPHER_LENGTHS).
 * @dwFlags: must be 0.
 *
 * Return: %ERROR_SUCCESS, or %NTE_INVALID_HANDLE, %NTE_INVALID_PARAMETER,
 * %NTE_BAD_FLAGS, %NTE_NOT_SUPPORTED.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslLookupCipherLengths(NCRYPT_PROV_HANDLE hSslProvider,
							  DWORD dwProtocol, DWORD dwCipherSuite,
							  DWORD dwKeyType,
							  NCRYPT_SSL_CIPHER_LENGTHS *pCipherLengths,
							  DWORD cbCipherLengths, DWORD dwFlags)
{
	struct sslprov_ref prov;
	SECURITY_STATUS status;

	(void)dwKeyType;
	status = sslprov_provider_get(hSslProvider, &prov);
	if (status)
		return status;
	if (!pCipherLengths || cbCipherLengths < sizeof(*pCipherLengths))
		status = NTE_INVALID_PARAMETER;
	else if (dwFlags)
		status = NTE_BAD_FLAGS;
	else if (dwProtocol != TLS1_2_PROTOCOL_VERSION ||
		 (dwCipherSuite != TLS_RSA_WITH_AES_128_GCM_SHA256 &&
		  dwCipherSuite != TLS_RSA_WITH_AES_256_GCM_SHA384))
		status = NTE_NOT_SUPPORTED;
	if (!status) {
		memset(pCipherLengths, 0, sizeof(*pCipherLengths));
		pCipherLengths->cbLength = sizeof(*pCipherLengths);
		pCipherLengths->dwHeaderLen = 5 + 8;
		pCipherLengths->dwFixedTrailerLen = 16;
		pCipherLengths->dwMaxVariableTrailerLen = 0;
		pCipherLengths->dwFlags = 0;
	}
	sslprov_put(&prov);
	return status;
}

SSLPROV_API SECURITY_STATUS WINAPI SslKtlsAttach(NCRYPT_PROV_HANDLE hSslProvider,
						 NCRYPT_KEY_HANDLE hKey, int fd,
						 ULONGLONG SequenceNumber, DWORD dwFlags)
{
	struct sslprov_ktls arg = { .fd = fd, .seq = SequenceNumber };
	struct sslprov_ref prov, key;
	SECURITY_STATUS status;

	if (dwFlags)
		return NTE_BAD_FLAGS;
	status = sslprov_provider_get(hSslProvider, &prov);
	if (status)
		return status;
	status = sslprov_object_get(hKey, &key);
	if (!status) {
		arg.key = key.id;
		status = sslprov_status_from_errno(sslprov_dev_call(key.fd,
					SSLPROV_IOC_KTLS_ATTACH, &arg, sizeof(arg)));
		sslprov_put(&key);
	}
	sslprov_put(&prov);
	return status;
}
