// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * master.c - TLS 1.0-1.2 master secrets and what is derived from them
 * (contract 5.4, 5.5): SslImportMasterKey, SslGenerateSessionKeys,
 * SslComputeFinishedHash, SslComputeSessionHash.
 *
 * The secrets stay in the kernel; these functions only move handles,
 * public randoms and public digests.
 */
#include <string.h>

#include "internal.h"

/* Both objects must live in the same kernel instance to be used together. */
static SECURITY_STATUS same_instance(const struct sslprov_ref *a,
				     const struct sslprov_ref *b)
{
	return a->slot == b->slot ? ERROR_SUCCESS : NTE_INVALID_HANDLE;
}

static SECURITY_STATUS master_args(DWORD dwProtocol, DWORD dwCipherSuite,
				   const NCryptBufferDesc *list, PBYTE enc, DWORD cb,
				   struct sslprov_master_import *arg)
{
	struct sslprov_params params;
	SECURITY_STATUS status;

	status = sslprov_params_parse(list, &params);
	if (status)
		return status;
	/* The randoms are needed unless the extended master secret is used. */
	if (!params.session_hash && (!params.client_random || !params.server_random))
		return NTE_INVALID_PARAMETER;
	if (!enc || !cb)
		return NTE_INVALID_PARAMETER;
	arg->flags = SSLPROV_SERVER;
	arg->protocol = dwProtocol;
	arg->cipher_suite = dwCipherSuite;
	arg->client_version = params.highest_version ? params.highest_version : dwProtocol;
	if (params.client_random)
		memcpy(arg->client_random, params.client_random, SSLPROV_RANDOM_LEN);
	if (params.server_random)
		memcpy(arg->server_random, params.server_random, SSLPROV_RANDOM_LEN);
	if (params.session_hash) {
		memcpy(arg->session_hash, params.session_hash, params.session_hash_len);
		arg->session_hash_len = params.session_hash_len;
	}
	arg->enc = (uintptr_t)enc;
	arg->enc_len = cb;
	return ERROR_SUCCESS;
}

/**
 * SslImportMasterKey() - server side of RSA key exchange.
 * @hSslProvider: the provider handle.
 * @hPrivateKey: the server's private key (SslOpenPrivateKey, SslImportKey).
 * @phMasterKey: receives the master key handle.
 * @dwProtocol: TLS1_0_PROTOCOL_VERSION .. TLS1_2_PROTOCOL_VERSION.
 * @dwCipherSuite: an RSA key exchange suite.
 * @pParameterList: NCRYPTBUFFER_SSL_CLIENT_RANDOM and _SERVER_RANDOM (32
 *	bytes each), NCRYPTBUFFER_SSL_HIGHEST_VERSION (ClientHello's
 *	client_version; DWORD, or 2 bytes in wire order; default @dwProtocol),
 *	and NCRYPTBUFFER_SSL_SESSION_HASH to select the extended master secret.
 * @pbEncryptedKey: the EncryptedPreMasterSecret without its 2-byte length.
 * @cbEncryptedKey: its length (the modulus length).
 * @dwFlags: NCRYPT_SSL_SERVER_FLAG.
 *
 * A ciphertext that does not decrypt to a well-formed premaster succeeds
 * all the same, with a random premaster (RFC 5246 7.4.7.1): the handshake
 * then fails at Finished, and no padding oracle exists.
 *
 * Return: %ERROR_SUCCESS, or %NTE_INVALID_HANDLE, %NTE_INVALID_PARAMETER
 * (NULL @phMasterKey or @pbEncryptedKey, malformed or incomplete list),
 * %NTE_BAD_FLAGS, %NTE_BAD_KEY_STATE (@hPrivateKey is another kind of key),
 * %NTE_NOT_SUPPORTED (SSL 2.0/3.0, TLS 1.3, unsupported suite),
 * %NTE_NO_MEMORY.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslImportMasterKey(NCRYPT_PROV_HANDLE hSslProvider,
						      NCRYPT_KEY_HANDLE hPrivateKey,
						      NCRYPT_KEY_HANDLE *phMasterKey,
						      DWORD dwProtocol, DWORD dwCipherSuite,
						      NCryptBufferDesc *pParameterList,
						      PBYTE pbEncryptedKey, DWORD cbEncryptedKey,
						      DWORD dwFlags)
{
	struct sslprov_master_import arg = { 0 };
	struct sslprov_ref prov, key;
	SECURITY_STATUS status;
	int ret;

	status = sslprov_provider_get(hSslProvider, &prov);
	if (status)
		return status;
	status = sslprov_object_get(hPrivateKey, &key);
	if (status)
		goto out_put_prov;
	if (!phMasterKey)
		status = NTE_INVALID_PARAMETER;
	else if (dwFlags != NCRYPT_SSL_SERVER_FLAG)
		status = NTE_BAD_FLAGS;
	else
		status = master_args(dwProtocol, dwCipherSuite, pParameterList,
				     pbEncryptedKey, cbEncryptedKey, &arg);
	if (status)
		goto out_put_key;
	arg.private_key = key.id;
	ret = sslprov_dev_call(key.fd, SSLPROV_IOC_MASTER_IMPORT, &arg, sizeof(arg));
	if (ret) {
		status = sslprov_status_from_errno(ret);
		goto out_put_key;
	}
	status = sslprov_object_register(&key, arg.handle, phMasterKey);
	if (status)
		sslprov_dev_free(key.fd, arg.handle);
out_put_key:
	sslprov_put(&key);
out_put_prov:
	sslprov_put(&prov);
	return status;
}

static SECURITY_STATUS register_pair(const struct sslprov_ref *master,
				     const struct sslprov_session_keys *arg,
				     NCRYPT_KEY_HANDLE *read, NCRYPT_KEY_HANDLE *write)
{
	SECURITY_STATUS status;

	status = sslprov_object_register(master, arg->read_key, read);
	if (status) {
		sslprov_dev_free(master->fd, arg->read_key);
		sslprov_dev_free(master->fd, arg->write_key);
		return status;
	}
	status = sslprov_object_register(master, arg->write_key, write);
	if (status) {
		SslFreeObject(*read, 0);
		sslprov_dev_free(master->fd, arg->write_key);
	}
	return status;
}

/**
 * SslGenerateSessionKeys() - derive the record keys from a master key.
 * @hSslProvider: the provider handle.
 * @hMasterKey: from SslImportMasterKey.
 * @phReadKey: receives the key that opens the peer's records.
 * @phWriteKey: receives the key that protects our records.
 * @pParameterList: NCRYPTBUFFER_SSL_CLIENT_RANDOM and _SERVER_RANDOM.
 * @dwFlags: 0 (the master key's side decides), or NCRYPT_SSL_CLIENT_FLAG /
 *	NCRYPT_SSL_SERVER_FLAG to say which side we are.
 *
 * Return: %ERROR_SUCCESS, or %NTE_INVALID_HANDLE, %NTE_INVALID_PARAMETER
 * (NULL output pointer, missing randoms), %NTE_BAD_FLAGS,
 * %NTE_BAD_KEY_STATE (not a master key), %NTE_NOT_SUPPORTED (no record
 * support for the suite), %NTE_NO_MEMORY.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslGenerateSessionKeys(NCRYPT_PROV_HANDLE hSslProvider,
							  NCRYPT_KEY_HANDLE hMasterKey,
							  NCRYPT_KEY_HANDLE *phReadKey,
							  NCRYPT_KEY_HANDLE *phWriteKey,
							  PNCryptBufferDesc pParameterList,
							  DWORD dwFlags)
{
	struct sslprov_session_keys arg = { 0 };
	struct sslprov_params params;
	struct sslprov_ref prov, master;
	SECURITY_STATUS status;
	int ret;

	status = sslprov_provider_get(hSslProvider, &prov);
	if (status)
		return status;
	status = sslprov_object_get(hMasterKey, &master);
	if (status)
		goto out_put_prov;
	if (!phReadKey || !phWriteKey) {
		status = NTE_INVALID_PARAMETER;
		goto out_put_master;
	}
	if (dwFlags && dwFlags != NCRYPT_SSL_CLIENT_FLAG && dwFlags != NCRYPT_SSL_SERVER_FLAG) {
		status = NTE_BAD_FLAGS;
		goto out_put_master;
	}
	status = sslprov_params_parse(pParameterList, &params);
	if (!status && (!params.client_random || !params.server_random))
		status = NTE_INVALID_PARAMETER;
	if (status)
		goto out_put_master;
	arg.flags = dwFlags;
	arg.master_key = master.id;
	memcpy(arg.client_random, params.client_random, SSLPROV_RANDOM_LEN);
	memcpy(arg.server_random, params.server_random, SSLPROV_RANDOM_LEN);
	ret = sslprov_dev_call(master.fd, SSLPROV_IOC_SESSION_KEYS, &arg, sizeof(arg));
	if (ret)
		status = sslprov_status_from_errno(ret);
	else
		status = register_pair(&master, &arg, phReadKey, phWriteKey);
out_put_master:
	sslprov_put(&master);
out_put_prov:
	sslprov_put(&prov);
	return status;
}

/**
 * SslComputeFinishedHash() - the Finished message's verify_data.
 * @hSslProvider: the provider handle.
 * @hMasterKey: the master key.
 * @hHandshakeHash: the handshake hash (read, not finalized).
 * @pbOutput: receives @cbOutput bytes.
 * @cbOutput: 12 (TLS 1.0 - 1.2).
 * @dwFlags: NCRYPT_SSL_CLIENT_FLAG ("client finished") or
 *	NCRYPT_SSL_SERVER_FLAG ("server finished"): the Finished's sender.
 *
 * Return: %ERROR_SUCCESS, or %NTE_INVALID_HANDLE (also when the hash and
 * the key come from different provider instances), %NTE_INVALID_PARAMETER
 * (NULL @pbOutput, @cbOutput not 12, hash of another protocol),
 * %NTE_BAD_FLAGS, %NTE_BAD_KEY_STATE.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslComputeFinishedHash(NCRYPT_PROV_HANDLE hSslProvider,
							  NCRYPT_KEY_HANDLE hMasterKey,
							  NCRYPT_HASH_HANDLE hHandshakeHash,
							  PBYTE pbOutput, DWORD cbOutput,
							  DWORD dwFlags)
{
	struct sslprov_finished arg = { 0 };
	struct sslprov_ref prov, master, hash;
	SECURITY_STATUS status;
	int ret;

	status = sslprov_provider_get(hSslProvider, &prov);
	if (status)
		return status;
	status = sslprov_object_get(hMasterKey, &master);
	if (status)
		goto out_put_prov;
	status = sslprov_object_get(hHandshakeHash, &hash);
	if (status)
		goto out_put_master;
	status = same_instance(&master, &hash);
	if (!status && (!pbOutput || cbOutput != 12))
		status = NTE_INVALID_PARAMETER;
	if (!status && dwFlags != NCRYPT_SSL_CLIENT_FLAG && dwFlags != NCRYPT_SSL_SERVER_FLAG)
		status = NTE_BAD_FLAGS;
	if (status)
		goto out_put_hash;
	arg.flags = dwFlags;
	arg.master_key = master.id;
	arg.hash = hash.id;
	arg.out_len = cbOutput;
	arg.out = (uintptr_t)pbOutput;
	/* The messages still waiting go in the same call, hashed first. */
	ret = sslprov_transcript_finished(hHandshakeHash, master.fd, &arg);
	status = sslprov_status_from_errno(ret);
out_put_hash:
	sslprov_put(&hash);
out_put_master:
	sslprov_put(&master);
out_put_prov:
	sslprov_put(&prov);
	return status;
}

/**
 * SslComputeSessionHash() - the RFC 7627 session hash.
 * @hSslProvider: the provider handle.
 * @hHandshakeHash: the handshake hash, fed up to ClientKeyExchange.
 * @dwProtocol: the protocol the hash was created for.
 * @pbOutput: receives the digest, or NULL to ask for its size.
 * @cbOutput: room at @pbOutput.
 * @pcbResult: receives the digest length (36, 32 or 48).
 * @dwFlags: must be 0.
 *
 * Return: %ERROR_SUCCESS, or %NTE_INVALID_HANDLE, %NTE_INVALID_PARAMETER
 * (NULL @pcbResult), %NTE_BUFFER_TOO_SMALL, %NTE_BAD_FLAGS.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslComputeSessionHash(NCRYPT_PROV_HANDLE hSslProvider,
							 NCRYPT_HASH_HANDLE hHandshakeHash,
							 DWORD dwProtocol, PBYTE pbOutput,
							 DWORD cbOutput, DWORD *pcbResult,
							 DWORD dwFlags)
{
	struct sslprov_hash_digest arg = { 0 };
	struct sslprov_ref prov, hash;
	SECURITY_STATUS status;
	int ret;

	(void)dwProtocol;	/* the hash object knows its protocol */
	status = sslprov_provider_get(hSslProvider, &prov);
	if (status)
		return status;
	status = sslprov_object_get(hHandshakeHash, &hash);
	if (status)
		goto out_put_prov;
	if (!pcbResult)
		status = NTE_INVALID_PARAMETER;
	else if (dwFlags)
		status = NTE_BAD_FLAGS;
	if (status)
		goto out_put_hash;
	arg.hash = hash.id;
	ret = sslprov_transcript_flush(hHandshakeHash) ?:
	      sslprov_dev_call(hash.fd, SSLPROV_IOC_HASH_DIGEST, &arg, sizeof(arg));
	if (ret) {
		status = sslprov_status_from_errno(ret);
		goto out_put_hash;
	}
	*pcbResult = arg.len;
	if (pbOutput && cbOutput < arg.len)
		status = NTE_BUFFER_TOO_SMALL;
	else if (pbOutput)
		memcpy(pbOutput, arg.digest, arg.len);
out_put_hash:
	sslprov_put(&hash);
out_put_prov:
	sslprov_put(&prov);
	return status;
}
