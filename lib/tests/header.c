// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * header.c - compiled, never run: sslprovider.h must stand alone, survive
 * a second inclusion, and work in strict C11 and in C++11 next to the
 * system headers (its empty SAL macros must not break them).
 */
#include <sslprovider.h>
#include <sslprovider.h>

#ifdef __cplusplus
#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>
#else
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>
#include <unistd.h>
#include <wchar.h>
#endif

int sslprov_header_check(void);

int sslprov_header_check(void)
{
	SslOpenProviderFn open_fn = SslOpenProvider;
	GetSChannelInterfaceFn get_fn = GetSChannelInterface;
	SslDuplicateTranscriptHashFn dup_fn = SslDuplicateTranscriptHash;
	BCRYPT_INTERFACE_VERSION v5 = NCRYPT_SSL_INTERFACE_VERSION_5;
	NCRYPT_SSL_FUNCTION_TABLE *table = NULL;
	NCRYPT_PROV_HANDLE h = 0;
	LPCWSTR name = MS_SCHANNEL_PROVIDER;

	(void)dup_fn;
	if (get_fn(BCRYPT_ECDH_ALGORITHM, &table, 0))
		return -1;
	return open_fn(&h, name, 0) + v5.MajorVersion;
}
