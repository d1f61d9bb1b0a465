// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * unimplemented.c - the API functions that do not exist yet.
 *
 * This is a list on purpose: when a function is implemented, move it out
 * of here into the file of its API family, with its kernel-doc comment.
 * Grouped by the interface version that introduced it, in function-table
 * order.
 */
#include "internal.h"

/**
 * DOC: Functions not implemented yet
 *
 * Each function below returns %NTE_NOT_SUPPORTED and does nothing else, so
 * the library links and exports the whole Windows surface from the start
 * and a caller learns at run time which operations exist.
 */

/*
 * C11 wants every parameter named in a definition, and none is used here;
 * the names are those of sslprovider.h, ready for the real code.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"

/* ---- interface version 1 ---- */

SSLPROV_API SECURITY_STATUS WINAPI SslComputeClientAuthHash(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hMasterKey, NCRYPT_HASH_HANDLE hHandshakeHash, LPCWSTR pszAlgId,
	PBYTE pbOutput, DWORD cbOutput, DWORD *pcbResult, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslComputeEapKeyBlock(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hMasterKey, PBYTE pbRandoms, DWORD cbRandoms, PBYTE pbOutput,
	DWORD cbOutput, DWORD *pcbResult, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslCreateEphemeralKey(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE *phEphemeralKey, DWORD dwProtocol, DWORD dwCipherSuite, DWORD dwKeyType,
	DWORD dwKeyBitLen, PBYTE pbParams, DWORD cbParams, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslEnumCipherSuites(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hPrivateKey, NCRYPT_SSL_CIPHER_SUITE **ppCipherSuite, PVOID *ppEnumState,
	DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslGenerateMasterKey(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hPrivateKey, NCRYPT_KEY_HANDLE hPublicKey, NCRYPT_KEY_HANDLE *phMasterKey,
	DWORD dwProtocol, DWORD dwCipherSuite, PNCryptBufferDesc pParameterList, PBYTE pbOutput,
	DWORD cbOutput, DWORD *pcbResult, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslGetKeyProperty(NCRYPT_KEY_HANDLE hKey, LPCWSTR pszProperty,
	PBYTE *ppbOutput, DWORD *pcbOutput, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslGetProviderProperty(NCRYPT_PROV_HANDLE hSslProvider,
	LPCWSTR pszProperty, PBYTE *ppbOutput, DWORD *pcbOutput, PVOID *ppEnumState, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslLookupCipherSuiteInfo(NCRYPT_PROV_HANDLE hSslProvider,
	DWORD dwProtocol, DWORD dwCipherSuite, DWORD dwKeyType,
	NCRYPT_SSL_CIPHER_SUITE *pCipherSuite, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslSignHash(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hPrivateKey, PBYTE pbHashValue, DWORD cbHashValue, PBYTE pbSignature,
	DWORD cbSignature, DWORD *pcbResult, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslVerifySignature(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hPublicKey, PBYTE pbHashValue, DWORD cbHashValue, PBYTE pbSignature,
	DWORD cbSignature, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

/* ---- interface version 2 ---- */

SSLPROV_API SECURITY_STATUS WINAPI SslCreateClientAuthHash(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_HASH_HANDLE *phHandshakeHash, DWORD dwProtocol, DWORD dwCipherSuite,
	LPCWSTR pszHashAlgId, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslGetCipherSuitePRFHashAlgorithm(
	NCRYPT_PROV_HANDLE hSslProvider, DWORD dwProtocol, DWORD dwCipherSuite, DWORD dwKeyType,
	WCHAR szPRFHash[NCRYPT_SSL_MAX_NAME_SIZE], DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

/* ---- interface version 3 ---- */

SSLPROV_API SECURITY_STATUS WINAPI SslGeneratePreMasterKey(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hPublicKey, NCRYPT_KEY_HANDLE *phPreMasterKey, DWORD dwProtocol,
	DWORD dwCipherSuite, PNCryptBufferDesc pParameterList, PBYTE pbOutput, DWORD cbOutput,
	DWORD *pcbResult, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslEnumEccCurves(NCRYPT_PROV_HANDLE hSslProvider,
	DWORD *pEccCurveCount, NCRYPT_SSL_ECC_CURVE **ppEccCurve, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslExportKeyingMaterial(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hMasterKey, PCHAR sLabel, PBYTE pbRandoms, DWORD cbRandoms,
	PBYTE pbContextValue, WORD cbContextValue, PBYTE pbOutput, DWORD cbOutput, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

/* ---- interface version 4 ---- */

SSLPROV_API SECURITY_STATUS WINAPI SslExtractEarlyKey(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hPreSharedKey, NCRYPT_KEY_HANDLE *phEarlyKey, DWORD dwProtocol,
	DWORD dwCipherSuite, PNCryptBufferDesc pParameterList, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslExtractHandshakeKey(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hPrivateKey, NCRYPT_KEY_HANDLE hPublicKey, NCRYPT_KEY_HANDLE hEarlyKey,
	NCRYPT_KEY_HANDLE *phHandshakeKey, PNCryptBufferDesc pParameterList, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslExtractMasterKey(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hHandshakeKey, NCRYPT_KEY_HANDLE *phMasterKey,
	PNCryptBufferDesc pParameterList, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslExpandTrafficKeys(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hBaseKey, NCRYPT_HASH_HANDLE hHashValue,
	NCRYPT_KEY_HANDLE *phClientTrafficKey, NCRYPT_KEY_HANDLE *phServerTrafficKey,
	PNCryptBufferDesc pParameterList, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslExpandWriteKey(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hBaseTrafficKey, NCRYPT_KEY_HANDLE *phWriteKey,
	PNCryptBufferDesc pParameterList, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslExpandExporterMasterKey(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hBaseKey, NCRYPT_HASH_HANDLE hHashValue,
	NCRYPT_KEY_HANDLE *phExporterMasterKey, PNCryptBufferDesc pParameterList, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslEnumCipherSuitesEx(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hPrivateKey, NCRYPT_SSL_CIPHER_SUITE_EX **ppCipherSuite,
	PVOID *ppEnumState, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

/* ---- interface version 5 ---- */

SSLPROV_API SECURITY_STATUS WINAPI SslExpandResumptionMasterKey(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hMasterKey, NCRYPT_HASH_HANDLE hHashValue,
	NCRYPT_KEY_HANDLE *phResumptionMasterKey, PNCryptBufferDesc pParameterList, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslDuplicateTranscriptHash(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_HASH_HANDLE hTranscriptHash, NCRYPT_HASH_HANDLE *phTranscriptHash, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslExpandBinderKey(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hEarlyKey, NCRYPT_KEY_HANDLE *phBinderKey,
	PNCryptBufferDesc pParameterList, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }

SSLPROV_API SECURITY_STATUS WINAPI SslExpandPreSharedKey(NCRYPT_PROV_HANDLE hSslProvider,
	NCRYPT_KEY_HANDLE hResumptionMasterKey, PBYTE pbTicketNonce, DWORD cbTicketNonce,
	NCRYPT_KEY_HANDLE *phPreSharedKey, PNCryptBufferDesc pParameterList, DWORD dwFlags)
{ return NTE_NOT_SUPPORTED; }
