// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * provider.c - provider instances, the provider list and the function table
 * (contract 5.1).
 */
#include <string.h>

#include "internal.h"

/*
 * The version-5 dispatch table.  It is const, so it lives in read-only
 * memory: GetSChannelInterface() hands out a pointer to it, and a caller
 * writing through that pointer faults rather than redirecting every other
 * user of the library.
 */
static const NCRYPT_SSL_FUNCTION_TABLE function_table = {
	.Version = NCRYPT_SSL_INTERFACE_VERSION_5,
	.ComputeClientAuthHash = SslComputeClientAuthHash,
	.ComputeEapKeyBlock = SslComputeEapKeyBlock,
	.ComputeFinishedHash = SslComputeFinishedHash,
	.CreateEphemeralKey = SslCreateEphemeralKey,
	.CreateHandshakeHash = SslCreateHandshakeHash,
	.DecryptPacket = SslDecryptPacket,
	.EncryptPacket = SslEncryptPacket,
	.EnumCipherSuites = SslEnumCipherSuites,
	.ExportKey = SslExportKey,
	.FreeBuffer = SslFreeBuffer,
	.FreeObject = SslFreeObject,
	.GenerateMasterKey = SslGenerateMasterKey,
	.GenerateSessionKeys = SslGenerateSessionKeys,
	.GetKeyProperty = SslGetKeyProperty,
	.GetProviderProperty = SslGetProviderProperty,
	.HashHandshake = SslHashHandshake,
	.ImportMasterKey = SslImportMasterKey,
	.ImportKey = SslImportKey,
	.LookupCipherSuiteInfo = SslLookupCipherSuiteInfo,
	.OpenPrivateKey = SslOpenPrivateKey,
	.OpenProvider = SslOpenProvider,
	.SignHash = SslSignHash,
	.VerifySignature = SslVerifySignature,
	.LookupCipherLengths = SslLookupCipherLengths,
	.CreateClientAuthHash = SslCreateClientAuthHash,
	.GetCipherSuitePRFHashAlgorithm = SslGetCipherSuitePRFHashAlgorithm,
	.ComputeSessionHash = SslComputeSessionHash,
	.GeneratePreMasterKey = SslGeneratePreMasterKey,
	.EnumEccCurves = SslEnumEccCurves,
	.ExportKeyingMaterial = SslExportKeyingMaterial,
	.ExtractEarlyKey = SslExtractEarlyKey,
	.ExtractHandshakeKey = SslExtractHandshakeKey,
	.ExtractMasterKey = SslExtractMasterKey,
	.ExpandTrafficKeys = SslExpandTrafficKeys,
	.ExpandWriteKey = SslExpandWriteKey,
	.ExpandExporterMasterKey = SslExpandExporterMasterKey,
	.EnumCipherSuitesEx = SslEnumCipherSuitesEx,
	.ExpandResumptionMasterKey = SslExpandResumptionMasterKey,
	.DuplicateTranscriptHash = SslDuplicateTranscriptHash,
	.ExpandBinderKey = SslExpandBinderKey,
	.ExpandPreSharedKey = SslExpandPreSharedKey,
};

/**
 * sslprov_provider_name_ok() - is @name the one provider we implement?
 * @name: a provider name from the caller, or NULL for the default.
 *
 * The comparison is exact, code unit by code unit (contract section 1).
 *
 * Return: non-zero for NULL or MS_SCHANNEL_PROVIDER.
 */
int sslprov_provider_name_ok(LPCWSTR name)
{
	static const WCHAR ours[] = MS_SCHANNEL_PROVIDER;
	size_t i;

	if (!name)
		return 1;
	for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
		if (name[i] != ours[i])
			return 0;
	}
	return 1;
}

/* An instance is usable only if the module offers at least our ABI. */
static SECURITY_STATUS check_module(int fd)
{
	struct sslprov_info info;
	int ret;

	ret = sslprov_dev_get_info(fd, &info);
	if (ret)
		return sslprov_status_from_errno(ret);
	if (info.abi_version < SSLPROV_ABI_VERSION)
		return NTE_NOT_SUPPORTED;
	return ERROR_SUCCESS;
}

/**
 * SslOpenProvider() - open an instance of the SSL protocol provider.
 * @phSslProvider: receives the provider handle (reference count 1); free it
 *	with SslFreeObject() or SslDecrementProviderReferenceCount().
 * @pszProviderName: NULL or MS_SCHANNEL_PROVIDER, compared exactly.
 * @dwFlags: must be 0.
 *
 * Each instance is one open file of /dev/sslprov (or of $SSLPROV_DEVICE);
 * the module is asked for its ABI version before the handle is made.
 *
 * Return: %ERROR_SUCCESS, or
 *  %NTE_INVALID_PARAMETER: @phSslProvider is NULL or the name is unknown;
 *  %NTE_BAD_FLAGS: @dwFlags is not 0;
 *  %NTE_NOT_SUPPORTED: no /dev/sslprov (module not loaded), the file is
 *	not the sslprov device, or the module is older than this library;
 *  %NTE_PERM: the device may not be opened;
 *  %NTE_NO_MEMORY: out of memory, file descriptors or provider slots;
 *  %NTE_INTERNAL_ERROR: any other failure.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslOpenProvider(NCRYPT_PROV_HANDLE *phSslProvider,
						   LPCWSTR pszProviderName, DWORD dwFlags)
{
	SECURITY_STATUS status;
	int fd;

	if (!phSslProvider)
		return NTE_INVALID_PARAMETER;
	if (dwFlags)
		return NTE_BAD_FLAGS;
	if (!sslprov_provider_name_ok(pszProviderName))
		return NTE_INVALID_PARAMETER;

	fd = sslprov_dev_open();
	if (fd < 0)
		return sslprov_status_from_open_errno(fd);

	status = check_module(fd);
	if (status)
		goto out_close;
	status = sslprov_provider_new(fd, phSslProvider);
	if (status)
		goto out_close;
	return ERROR_SUCCESS;

out_close:
	sslprov_dev_close(fd);
	return status;
}

static SECURITY_STATUS free_kernel_object(NCRYPT_HANDLE h)
{
	struct transcript *t;
	struct sslprov_ref ref;
	SECURITY_STATUS status;
	int ret;

	status = sslprov_object_get(h, &ref);
	if (status)
		return status;

	/*
	 * A hash's unsent messages die with it; its entry goes first, so that
	 * nothing is sent to a kernel handle that a new object may reuse.
	 */
	t = sslprov_transcript_detach(h);
	ret = sslprov_dev_free(ref.fd, ref.id);
	/* Only an object the kernel really freed stops holding the instance. */
	if (!ret) {
		sslprov_object_unregister(&ref);
		sslprov_transcript_put(t);
	} else {
		sslprov_transcript_reattach(t);
	}
	sslprov_put(&ref);
	return sslprov_status_from_errno(ret);
}

/**
 * SslFreeObject() - free a provider, key or hash handle.
 * @hObject: the handle.  For a provider handle this drops one reference,
 *	like SslDecrementProviderReferenceCount(); keys and hashes made
 *	through it stay valid until they are freed themselves.  A key or
 *	hash is freed in the kernel, which wipes its secrets.
 * @dwFlags: must be 0.
 *
 * Return: %ERROR_SUCCESS, or
 *  %NTE_BAD_FLAGS: @dwFlags is not 0;
 *  %NTE_INVALID_HANDLE: @hObject is 0, unknown, stale or already freed;
 *  %NTE_INTERNAL_ERROR: the kernel failed unexpectedly.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslFreeObject(NCRYPT_HANDLE hObject, DWORD dwFlags)
{
	if (dwFlags)
		return NTE_BAD_FLAGS;
	if (sslprov_handle_is_provider(hObject))
		return sslprov_provider_release(hObject);
	return free_kernel_object(hObject);
}

/**
 * SslIncrementProviderReferenceCount() - take one more provider reference.
 * @hSslProvider: a provider handle.
 *
 * Return: %ERROR_SUCCESS, or
 *  %NTE_INVALID_HANDLE: @hSslProvider is not a live provider handle;
 *  %NTE_INTERNAL_ERROR: the count would overflow.
 */
SSLPROV_API SECURITY_STATUS WINAPI
SslIncrementProviderReferenceCount(NCRYPT_PROV_HANDLE hSslProvider)
{
	return sslprov_provider_addref(hSslProvider);
}

/**
 * SslDecrementProviderReferenceCount() - drop one provider reference.
 * @hSslProvider: a provider handle.
 *
 * Reaching zero is SslFreeObject() of the handle.
 *
 * Return: %ERROR_SUCCESS, or %NTE_INVALID_HANDLE if @hSslProvider is not a
 * live provider handle (a count already at zero included: no underflow).
 */
SSLPROV_API SECURITY_STATUS WINAPI
SslDecrementProviderReferenceCount(NCRYPT_PROV_HANDLE hSslProvider)
{
	return sslprov_provider_release(hSslProvider);
}

/**
 * SslEnumProtocolProviders() - list the installed SSL protocol providers.
 * @pdwProviderCount: receives the number of entries (always 1).
 * @ppProviderList: receives one allocation holding the array and the
 *	strings it points to; free it with SslFreeBuffer().
 * @dwFlags: must be 0.
 *
 * Needs no device: it lists what this library implements.
 *
 * Return: %ERROR_SUCCESS, or
 *  %NTE_INVALID_PARAMETER: a pointer is NULL;
 *  %NTE_BAD_FLAGS: @dwFlags is not 0;
 *  %NTE_NO_MEMORY: out of memory.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslEnumProtocolProviders(DWORD *pdwProviderCount,
							    NCryptProviderName **ppProviderList,
							    DWORD dwFlags)
{
	static const WCHAR name[] = MS_SCHANNEL_PROVIDER;
	static const WCHAR comment[] = u"Linux kernel SSL protocol provider (/dev/sslprov)";
	NCryptProviderName *list;
	WCHAR *strings;

	if (!pdwProviderCount || !ppProviderList)
		return NTE_INVALID_PARAMETER;
	if (dwFlags)
		return NTE_BAD_FLAGS;

	list = sslprov_buffer_alloc(sizeof(*list) + sizeof(name) + sizeof(comment),
				    SSLPROV_BUF_PLAIN, NULL);
	if (!list)
		return NTE_NO_MEMORY;

	strings = (WCHAR *)(list + 1);
	memcpy(strings, name, sizeof(name));
	list->pszName = strings;
	strings += sizeof(name) / sizeof(name[0]);
	memcpy(strings, comment, sizeof(comment));
	list->pszComment = strings;

	*pdwProviderCount = 1;
	*ppProviderList = list;
	return ERROR_SUCCESS;
}

/* The checks SslInitializeInterface() and GetSChannelInterface() share. */
static SECURITY_STATUS check_interface_args(LPCWSTR name, const void *out, DWORD flags)
{
	if (!out || !sslprov_provider_name_ok(name))
		return NTE_INVALID_PARAMETER;
	if (flags)
		return NTE_BAD_FLAGS;
	return ERROR_SUCCESS;
}

/**
 * SslInitializeInterface() - fill the caller's dispatch table.
 * @pszProviderName: NULL or MS_SCHANNEL_PROVIDER.
 * @pFunctionTable: receives Version {5,0} and all 41 entries, so it must be
 *	sizeof(NCRYPT_SSL_FUNCTION_TABLE) (336) bytes whatever Version the
 *	caller put in it.
 * @dwFlags: must be 0.
 *
 * Return: %ERROR_SUCCESS, or
 *  %NTE_INVALID_PARAMETER: @pFunctionTable is NULL or the name unknown;
 *  %NTE_BAD_FLAGS: @dwFlags is not 0.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslInitializeInterface(LPCWSTR pszProviderName,
							  NCRYPT_SSL_FUNCTION_TABLE *pFunctionTable,
							  DWORD dwFlags)
{
	SECURITY_STATUS status;

	status = check_interface_args(pszProviderName, pFunctionTable, dwFlags);
	if (status)
		return status;
	*pFunctionTable = function_table;
	return ERROR_SUCCESS;
}

/**
 * GetSChannelInterface() - get the library's own dispatch table.
 * @pszProviderName: NULL or MS_SCHANNEL_PROVIDER.
 * @ppFunctionTable: receives a pointer to the static version-5 table.  The
 *	table is read-only: do not write through the pointer.
 * @dwFlags: must be 0.
 *
 * Return: %STATUS_SUCCESS, or
 *  %NTE_INVALID_PARAMETER: @ppFunctionTable is NULL or the name unknown;
 *  %NTE_BAD_FLAGS: @dwFlags is not 0.
 */
SSLPROV_API NTSTATUS WINAPI GetSChannelInterface(LPCWSTR pszProviderName,
						 NCRYPT_SSL_FUNCTION_TABLE **ppFunctionTable,
						 DWORD dwFlags)
{
	SECURITY_STATUS status;

	status = check_interface_args(pszProviderName, ppFunctionTable, dwFlags);
	if (status)
		return status;
	/* The Windows signature is not const; see function_table. */
	*ppFunctionTable = (NCRYPT_SSL_FUNCTION_TABLE *)&function_table;
	return STATUS_SUCCESS;
}

/**
 * SslChangeNotify() - register for configuration changes.
 * @hEvent: ignored.
 * @dwFlags: ignored.
 *
 * Not implemented on Windows either.
 *
 * Return: %NTE_NOT_SUPPORTED, always.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslChangeNotify(HANDLE hEvent, DWORD dwFlags)
{
	(void)hEvent;
	(void)dwFlags;
	return NTE_NOT_SUPPORTED;
}
