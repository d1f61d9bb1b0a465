// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * hash.c - handshake (transcript) hashes (contract 5.4).
 *
 * The hash state lives in the kernel; userspace holds only a handle.
 */
#include "internal.h"

/**
 * SslCreateHandshakeHash() - create a running handshake hash.
 * @hSslProvider: the provider handle.
 * @phHandshakeHash: receives the hash handle; free it with SslFreeObject().
 * @dwProtocol: TLS1_0_PROTOCOL_VERSION .. TLS1_3_PROTOCOL_VERSION.
 * @dwCipherSuite: the negotiated suite; picks the TLS 1.2/1.3 hash.
 * @dwFlags: reserved, must be 0.
 *
 * Return: %ERROR_SUCCESS, or
 *  %NTE_INVALID_HANDLE: @hSslProvider is not a live provider handle;
 *  %NTE_INVALID_PARAMETER: @phHandshakeHash is NULL, or the kernel refuses
 *	@dwProtocol / @dwCipherSuite;
 *  %NTE_BAD_FLAGS: @dwFlags is not 0;
 *  %NTE_NOT_SUPPORTED: protocol or suite not supported;
 *  %NTE_NO_MEMORY: out of memory or at the per-instance object limit;
 *  %NTE_INTERNAL_ERROR: the kernel failed unexpectedly.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslCreateHandshakeHash(NCRYPT_PROV_HANDLE hSslProvider,
							  NCRYPT_HASH_HANDLE *phHandshakeHash,
							  DWORD dwProtocol, DWORD dwCipherSuite,
							  DWORD dwFlags)
{
	struct sslprov_ref prov;
	SECURITY_STATUS status;
	NCRYPT_HASH_HANDLE h;
	uint32_t id;
	int ret;

	status = sslprov_provider_get(hSslProvider, &prov);
	if (status)
		return status;
	if (!phHandshakeHash) {
		status = NTE_INVALID_PARAMETER;
		goto out_put;
	}
	if (dwFlags) {
		status = NTE_BAD_FLAGS;
		goto out_put;
	}

	ret = sslprov_dev_hash_create(prov.fd, dwProtocol, dwCipherSuite, &id);
	if (ret) {
		status = sslprov_status_from_errno(ret);
		goto out_put;
	}
	status = sslprov_object_register(&prov, id, &h);
	if (status) {
		sslprov_dev_free(prov.fd, id);
		goto out_put;
	}
	status = sslprov_transcript_add(h, prov.fd, id);
	if (status) {
		sslprov_dev_free(prov.fd, id);
		sslprov_object_unregister(&prov);
		goto out_put;
	}
	*phHandshakeHash = h;
out_put:
	sslprov_put(&prov);
	return status;
}

/**
 * SslHashHandshake() - append handshake messages to a handshake hash.
 * @hSslProvider: a live provider handle; need not be the one the hash was
 *	made through (that instance is used, and the hash keeps it alive).
 * @hHandshakeHash: the hash, from SslCreateHandshakeHash() or
 *	SslCreateClientAuthHash().
 * @pbInput: complete handshake messages, headers included.
 * @cbInput: their length; 0 does nothing.
 * @dwFlags: reserved, must be 0.
 *
 * The messages are public, so the library may hold them in the process
 * and send them to the kernel together when the hash is next read
 * (SslComputeFinishedHash(), SslComputeSessionHash()), when 16 KiB are
 * waiting, or at fork(); the kernel hashes the same bytes in the same
 * order.  A kernel failure in sending them (%NTE_NO_MEMORY) is reported
 * by the call that sends them, which then changes nothing and can be
 * retried.  Inputs larger than one ioctl takes are fed in pieces, which
 * hashes the same bytes; if a piece fails, the earlier ones stay hashed
 * and the handshake cannot succeed any more: the caller must abandon it.
 *
 * Return: %ERROR_SUCCESS, or
 *  %NTE_INVALID_HANDLE: @hSslProvider or @hHandshakeHash is not live, or
 *	@hHandshakeHash is not a hash;
 *  %NTE_INVALID_PARAMETER: @pbInput is NULL and @cbInput is not 0;
 *  %NTE_BAD_FLAGS: @dwFlags is not 0;
 *  %NTE_INTERNAL_ERROR: the kernel failed unexpectedly.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslHashHandshake(NCRYPT_PROV_HANDLE hSslProvider,
						    NCRYPT_HASH_HANDLE hHandshakeHash,
						    PBYTE pbInput, DWORD cbInput, DWORD dwFlags)
{
	struct transcript *t = NULL;
	struct sslprov_ref prov, hash;
	SECURITY_STATUS status;

	status = sslprov_provider_get(hSslProvider, &prov);
	if (status)
		return status;
	status = sslprov_object_get(hHandshakeHash, &hash);
	if (status)
		goto out_put_prov;

	if (!pbInput && cbInput)
		status = NTE_INVALID_PARAMETER;
	else if (dwFlags)
		status = NTE_BAD_FLAGS;
	else if ((t = sslprov_transcript_get(hHandshakeHash)))
		status = sslprov_status_from_errno(sslprov_transcript_append(t, pbInput,
									     cbInput));
	else
		status = sslprov_status_from_errno(sslprov_hash_update_all(hash.fd, hash.id,
									   pbInput, cbInput));

	sslprov_transcript_put(t);
	sslprov_put(&hash);
out_put_prov:
	sslprov_put(&prov);
	return status;
}
