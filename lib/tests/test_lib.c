// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_lib.c - unit tests of libsslprov that need no kernel module.
 *
 * Output is KTAP-like: one "ok N - ..." or "not ok N - ..." line per check,
 * the plan at the end, then "N passed, M failed".  Exits 1 on any failure.
 * Device-backed paths run against the fake module of fake.c.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/sslprov.h>
#include <sslprovider.h>

#include "test.h"

static unsigned int passed, failed;

static void report(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %u - ", ok ? "" : "not ", passed + failed + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (ok)
		passed++;
	else
		failed++;
}

#define CHECK(cond, ...) report(!!(cond), __VA_ARGS__)

/* Compares statuses and shows both in hex when they differ. */
static void check_status(SECURITY_STATUS got, SECURITY_STATUS want, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (got == want)
		report(1, "%s", what);
	else
		report(0, "%s (got 0x%08x, want 0x%08x)", what, (unsigned int)got,
		       (unsigned int)want);
}

#define CHECK_STATUS(expr, want, ...) check_status((expr), (want), __VA_ARGS__)

static size_t wlen(const WCHAR *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static int wequal(const WCHAR *a, const WCHAR *b)
{
	size_t n = wlen(a);

	return n == wlen(b) && !memcmp(a, b, n * sizeof(WCHAR));
}

/* Descriptors this process has open, to catch leaks. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* xorshift64*: reproducible garbage. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* ---- layout ----------------------------------------------------------- */

#define LAYOUT(expr, want) CHECK((expr) == (want), "layout: %s == %d", #expr, want)

static void test_layout(void)
{
	LAYOUT(sizeof(WCHAR), 2);
	LAYOUT(sizeof(DWORD), 4);
	LAYOUT(sizeof(ULONG), 4);
	LAYOUT(sizeof(LONG), 4);
	LAYOUT(sizeof(ULONGLONG), 8);
	LAYOUT(sizeof(SECURITY_STATUS), 4);
	LAYOUT(sizeof(NCRYPT_HANDLE), 8);
	LAYOUT(sizeof(NCryptBuffer), 16);
	LAYOUT(offsetof(NCryptBuffer, pvBuffer), 8);
	LAYOUT(sizeof(NCryptBufferDesc), 16);
	LAYOUT(offsetof(NCryptBufferDesc, pBuffers), 8);
	LAYOUT(sizeof(NCRYPT_SSL_CIPHER_SUITE), 676);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_SUITE, szCipherSuite), 12);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_SUITE, szCipher), 140);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_SUITE, dwCipherLen), 268);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_SUITE, dwCipherBlockLen), 272);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_SUITE, szHash), 276);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_SUITE, dwHashLen), 404);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_SUITE, szExchange), 408);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_SUITE, dwMinExchangeLen), 536);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_SUITE, dwMaxExchangeLen), 540);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_SUITE, szCertificate), 544);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_SUITE, dwKeyType), 672);
	LAYOUT(sizeof(NCRYPT_SSL_CIPHER_SUITE_EX), 808);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_SUITE_EX, dwProtocol), 4);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_SUITE_EX, szCipherSuite), 16);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_SUITE_EX, dwKeyType), 676);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_SUITE_EX, szCipherMode), 680);
	LAYOUT(sizeof(NCRYPT_SSL_CIPHER_LENGTHS), 20);
	LAYOUT(offsetof(NCRYPT_SSL_CIPHER_LENGTHS, dwMaxVariableTrailerLen), 12);
	LAYOUT(sizeof(NCRYPT_SSL_ECC_CURVE), 780);
	LAYOUT(offsetof(NCRYPT_SSL_ECC_CURVE, szOID), 510);
	LAYOUT(offsetof(NCRYPT_SSL_ECC_CURVE, dwPublicKeyLength), 768);
	LAYOUT(offsetof(NCRYPT_SSL_ECC_CURVE, dwFlags), 776);
	LAYOUT(sizeof(NCryptProviderName), 16);
	LAYOUT(sizeof(BCRYPT_RSAKEY_BLOB), 24);
	LAYOUT(sizeof(BCRYPT_ECCKEY_BLOB), 8);
	LAYOUT(sizeof(BCRYPT_DH_KEY_BLOB), 8);
	LAYOUT(sizeof(BCRYPT_DH_PARAMETER_HEADER), 12);
	LAYOUT(sizeof(BCRYPT_INTERFACE_VERSION), 4);
	LAYOUT(sizeof(CERT_CONTEXT), 40);
	LAYOUT(offsetof(CERT_CONTEXT, cbCertEncoded), 16);
	LAYOUT(offsetof(CERT_CONTEXT, hCertStore), 32);
	LAYOUT(sizeof(NCRYPT_SSL_FUNCTION_TABLE), 336);
	LAYOUT(offsetof(NCRYPT_SSL_FUNCTION_TABLE, ComputeClientAuthHash), 8);
	LAYOUT(offsetof(NCRYPT_SSL_FUNCTION_TABLE, VerifySignature), 184);
	LAYOUT(offsetof(NCRYPT_SSL_FUNCTION_TABLE, GetCipherSuitePRFHashAlgorithm), 208);
	LAYOUT(offsetof(NCRYPT_SSL_FUNCTION_TABLE, ExportKeyingMaterial), 240);
	LAYOUT(offsetof(NCRYPT_SSL_FUNCTION_TABLE, EnumCipherSuitesEx), 296);
	LAYOUT(offsetof(NCRYPT_SSL_FUNCTION_TABLE, ExpandPreSharedKey), 328);
}

static void test_constants(void)
{
	CHECK(NTE_INVALID_HANDLE < 0 && (uint32_t)NTE_INVALID_HANDLE == 0x80090026u,
	      "NTE_INVALID_HANDLE is the negative 0x80090026");
	CHECK((uint32_t)STATUS_NO_MEMORY == 0xC0000017u, "STATUS_NO_MEMORY value");
	CHECK(wlen(MS_SCHANNEL_PROVIDER) == 31, "MS_SCHANNEL_PROVIDER is 31 UTF-16 units");
	CHECK(TLS_CHACHA20_POLY1305_SHA256 == 0x1303 &&
	      TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 == 0xCCA8,
	      "ChaCha20 extension suites have their IANA numbers");
}

/* ---- functions that need no device ---------------------------------- */

static void test_enum_providers(void)
{
	NCryptProviderName *list = NULL;
	DWORD count = 0;

	CHECK_STATUS(SslEnumProtocolProviders(&count, &list, 0), ERROR_SUCCESS,
		     "SslEnumProtocolProviders");
	CHECK(count == 1 && list, "one provider listed");
	if (list) {
		CHECK(list->pszName && wequal(list->pszName, MS_SCHANNEL_PROVIDER),
		      "its name is MS_SCHANNEL_PROVIDER");
		CHECK(list->pszComment && wlen(list->pszComment) > 0,
		      "it has a comment");
		CHECK_STATUS(SslFreeBuffer(list), ERROR_SUCCESS, "SslFreeBuffer(list)");
	}
	CHECK_STATUS(SslEnumProtocolProviders(NULL, &list, 0), NTE_INVALID_PARAMETER,
		     "SslEnumProtocolProviders(NULL count)");
	CHECK_STATUS(SslEnumProtocolProviders(&count, NULL, 0), NTE_INVALID_PARAMETER,
		     "SslEnumProtocolProviders(NULL list)");
	CHECK_STATUS(SslEnumProtocolProviders(&count, &list, 1), NTE_BAD_FLAGS,
		     "SslEnumProtocolProviders(dwFlags 1)");
}

static void test_free_buffer(void)
{
	void *foreign = calloc(1, 256);

	CHECK_STATUS(SslFreeBuffer(NULL), NTE_INVALID_PARAMETER, "SslFreeBuffer(NULL)");
	if (!foreign)
		return;
	/* Pointers into our own zeroed memory: readable, but no magic. */
	CHECK_STATUS(SslFreeBuffer((char *)foreign + 128), NTE_INVALID_PARAMETER,
		     "SslFreeBuffer(foreign pointer)");
	CHECK_STATUS(SslFreeBuffer((char *)foreign + 129), NTE_INVALID_PARAMETER,
		     "SslFreeBuffer(misaligned pointer)");
	free(foreign);
}

static void check_table(const NCRYPT_SSL_FUNCTION_TABLE *t, const char *who)
{
	const void *const *slot = (const void *const *)((const char *)t +
		offsetof(NCRYPT_SSL_FUNCTION_TABLE, ComputeClientAuthHash));
	unsigned int i, filled = 0;

	for (i = 0; i < 41; i++)
		filled += slot[i] != NULL;
	CHECK(t->Version.MajorVersion == 5 && t->Version.MinorVersion == 0,
	      "%s: Version is {5,0}", who);
	CHECK(filled == 41, "%s: all 41 entries set (%u)", who, filled);
	CHECK(t->OpenProvider == SslOpenProvider && t->FreeObject == SslFreeObject &&
	      t->HashHandshake == SslHashHandshake &&
	      t->ComputeClientAuthHash == SslComputeClientAuthHash &&
	      t->LookupCipherLengths == SslLookupCipherLengths &&
	      t->ComputeSessionHash == SslComputeSessionHash &&
	      t->ExtractEarlyKey == SslExtractEarlyKey &&
	      t->EnumCipherSuitesEx == SslEnumCipherSuitesEx &&
	      t->ExpandPreSharedKey == SslExpandPreSharedKey,
	      "%s: entries point at the exported functions", who);
}

static void test_interface(void)
{
	NCRYPT_SSL_FUNCTION_TABLE table, *shared = NULL;

	memset(&table, 0, sizeof(table));
	table.Version.MajorVersion = 1;	/* a caller asking for v1 gets v5 */
	CHECK_STATUS(SslInitializeInterface(MS_SCHANNEL_PROVIDER, &table, 0), ERROR_SUCCESS,
		     "SslInitializeInterface");
	check_table(&table, "SslInitializeInterface");
	CHECK_STATUS(SslInitializeInterface(NULL, &table, 0), ERROR_SUCCESS,
		     "SslInitializeInterface(NULL name)");
	CHECK_STATUS(SslInitializeInterface(u"Other Provider", &table, 0),
		     NTE_INVALID_PARAMETER, "SslInitializeInterface(unknown name)");
	CHECK_STATUS(SslInitializeInterface(MS_SCHANNEL_PROVIDER, NULL, 0),
		     NTE_INVALID_PARAMETER, "SslInitializeInterface(NULL table)");
	CHECK_STATUS(SslInitializeInterface(MS_SCHANNEL_PROVIDER, &table, 1), NTE_BAD_FLAGS,
		     "SslInitializeInterface(dwFlags 1)");

	CHECK_STATUS(GetSChannelInterface(MS_SCHANNEL_PROVIDER, &shared, 0), STATUS_SUCCESS,
		     "GetSChannelInterface");
	if (shared) {
		check_table(shared, "GetSChannelInterface");
		CHECK(!memcmp(shared, &table, sizeof(table)),
		      "GetSChannelInterface table equals SslInitializeInterface's");
	}
	CHECK_STATUS(GetSChannelInterface(u"microsoft ssl protocol provider", &shared, 0),
		     NTE_INVALID_PARAMETER, "GetSChannelInterface(name in other case)");
	CHECK_STATUS(GetSChannelInterface(MS_SCHANNEL_PROVIDER, NULL, 0),
		     NTE_INVALID_PARAMETER, "GetSChannelInterface(NULL)");
	CHECK_STATUS(GetSChannelInterface(MS_SCHANNEL_PROVIDER, &shared, 2), NTE_BAD_FLAGS,
		     "GetSChannelInterface(dwFlags 2)");
}

static void test_misc(void)
{
	NCRYPT_SSL_CIPHER_SUITE *suite = NULL;
	PVOID state = NULL;

	CHECK_STATUS(SslChangeNotify(NULL, 0), NTE_NOT_SUPPORTED, "SslChangeNotify");
	CHECK_STATUS(SslEnumCipherSuites(0, 0, &suite, &state, 0), NTE_NOT_SUPPORTED,
		     "an unimplemented function says NTE_NOT_SUPPORTED");
}

static void test_open_args(void)
{
	NCRYPT_PROV_HANDLE h = 0;

	CHECK_STATUS(SslOpenProvider(NULL, MS_SCHANNEL_PROVIDER, 0), NTE_INVALID_PARAMETER,
		     "SslOpenProvider(NULL out)");
	CHECK_STATUS(SslOpenProvider(&h, MS_SCHANNEL_PROVIDER, 1), NTE_BAD_FLAGS,
		     "SslOpenProvider(dwFlags 1)");
	CHECK_STATUS(SslOpenProvider(&h, u"Microsoft SSL Protocol Provider ", 0),
		     NTE_INVALID_PARAMETER, "SslOpenProvider(name with trailing space)");
	CHECK_STATUS(SslOpenProvider(&h, u"Microsoft SSL Protocol", 0),
		     NTE_INVALID_PARAMETER, "SslOpenProvider(name prefix)");
	CHECK_STATUS(SslOpenProvider(&h, u"", 0), NTE_INVALID_PARAMETER,
		     "SslOpenProvider(empty name)");
	CHECK(h == 0, "no handle written on failure");
}

/* Every entry point that takes a handle must refuse @h cleanly. */
static unsigned int garbage_refused(NCRYPT_HANDLE h)
{
	NCRYPT_HASH_HANDLE out = 0;
	BYTE byte = 0;
	unsigned int bad = 0;

	bad += SslFreeObject(h, 0) != NTE_INVALID_HANDLE;
	bad += SslIncrementProviderReferenceCount(h) != NTE_INVALID_HANDLE;
	bad += SslDecrementProviderReferenceCount(h) != NTE_INVALID_HANDLE;
	bad += SslCreateHandshakeHash(h, &out, TLS1_2_PROTOCOL_VERSION,
				      TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 0) != NTE_INVALID_HANDLE;
	bad += SslHashHandshake(h, h, &byte, 1, 0) != NTE_INVALID_HANDLE;
	return bad;
}

static void test_garbage_handles(const char *when)
{
	static const NCRYPT_HANDLE fixed[] = {
		0, 1, 0xffffffffffffffffull, 0x0001000100000000ull, 0x0001000000000000ull,
		0x0000000100000000ull, 0x0001ffff00000000ull, 0x0001000100000001ull,
		0x7fffffffffffffffull, 0x8000000000000000ull,
	};
	unsigned int i, bad = 0;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		bad += garbage_refused(fixed[i]);
	CHECK(!bad, "%s: fixed garbage handles give NTE_INVALID_HANDLE (%u wrong)", when, bad);

	bad = 0;
	for (i = 0; i < 20000; i++)
		bad += garbage_refused(rng());
	CHECK(!bad, "%s: 20000 random handles give NTE_INVALID_HANDLE (%u wrong)", when, bad);

	/* Handle-shaped values: small slot numbers, plausible generations. */
	bad = 0;
	for (i = 0; i < 20000; i++)
		bad += garbage_refused(((rng() % 8 + 1) << 48) | ((rng() % 40) << 32) |
				       (rng() % 4));
	CHECK(!bad, "%s: 20000 handle-shaped values give NTE_INVALID_HANDLE (%u wrong)",
	      when, bad);
}

static void test_missing_device(void)
{
	NCRYPT_PROV_HANDLE h = 0;
	int fds = count_fds();

	setenv("SSLPROV_DEVICE", "/nonexistent/sslprov", 1);
	CHECK_STATUS(SslOpenProvider(&h, NULL, 0), NTE_NOT_SUPPORTED,
		     "SslOpenProvider with no device node");
	/* /dev/null opens but answers ENOTTY: not the sslprov device. */
	setenv("SSLPROV_DEVICE", "/dev/null", 1);
	CHECK_STATUS(SslOpenProvider(&h, MS_SCHANNEL_PROVIDER, 0), NTE_NOT_SUPPORTED,
		     "SslOpenProvider on a file that is not the device");
	CHECK(h == 0, "no handle written");
	CHECK(count_fds() == fds, "no descriptor leaked (%d -> %d)", fds, count_fds());
}

/* ---- against the fake module ----------------------------------------- */

static NCRYPT_PROV_HANDLE open_ok(void)
{
	NCRYPT_PROV_HANDLE h = 0;

	if (SslOpenProvider(&h, MS_SCHANNEL_PROVIDER, 0))
		return 0;
	return h;
}

static void test_fake_open(void)
{
	NCRYPT_PROV_HANDLE h = 0;
	int fds = count_fds();

	CHECK_STATUS(SslOpenProvider(&h, MS_SCHANNEL_PROVIDER, 0), ERROR_SUCCESS,
		     "fake: SslOpenProvider");
	CHECK(h != 0 && fake_open_files() == 1, "fake: handle set, one device file open");
	CHECK_STATUS(SslFreeObject(h, 1), NTE_BAD_FLAGS, "fake: SslFreeObject(dwFlags 1)");
	CHECK_STATUS(SslFreeObject(h, 0), ERROR_SUCCESS, "fake: SslFreeObject(provider)");
	CHECK(fake_open_files() == 0 && count_fds() == fds,
	      "fake: freeing the last reference closes the file");

	fake_set_abi(0);
	h = 0;
	CHECK_STATUS(SslOpenProvider(&h, NULL, 0), NTE_NOT_SUPPORTED,
		     "fake: a module older than the library is refused");
	CHECK(h == 0 && fake_open_files() == 0 && count_fds() == fds,
	      "fake: ... and its file is closed");
	fake_set_abi(SSLPROV_ABI_VERSION + 1);
	h = open_ok();
	CHECK(h != 0, "fake: a newer module is accepted");
	SslFreeObject(h, 0);
	fake_set_abi(SSLPROV_ABI_VERSION);
}

static void test_fake_refcount(void)
{
	NCRYPT_PROV_HANDLE h = open_ok();
	unsigned long closes = fake_closes();

	CHECK_STATUS(SslIncrementProviderReferenceCount(h), ERROR_SUCCESS, "refs: 1 -> 2");
	CHECK_STATUS(SslIncrementProviderReferenceCount(h), ERROR_SUCCESS, "refs: 2 -> 3");
	CHECK_STATUS(SslDecrementProviderReferenceCount(h), ERROR_SUCCESS, "refs: 3 -> 2");
	CHECK_STATUS(SslFreeObject(h, 0), ERROR_SUCCESS, "refs: SslFreeObject 2 -> 1");
	CHECK(fake_closes() == closes, "refs: still open at 1");
	CHECK_STATUS(SslDecrementProviderReferenceCount(h), ERROR_SUCCESS, "refs: 1 -> 0");
	CHECK(fake_closes() == closes + 1, "refs: closed at 0");
	CHECK_STATUS(SslDecrementProviderReferenceCount(h), NTE_INVALID_HANDLE,
		     "refs: no underflow below 0");
	CHECK_STATUS(SslIncrementProviderReferenceCount(h), NTE_INVALID_HANDLE,
		     "refs: no resurrection from 0");
	CHECK_STATUS(SslFreeObject(h, 0), NTE_INVALID_HANDLE, "refs: double free refused");
}

static void test_fake_hash(void)
{
	NCRYPT_PROV_HANDLE p = open_ok();
	NCRYPT_HASH_HANDLE hh = 0, junk = 0;
	BYTE msg[64] = { 0x01, 0x00, 0x00, 0x3c }, digest[48];
	unsigned long calls;
	uint64_t hashed;
	DWORD dlen = 0;

	CHECK_STATUS(SslCreateHandshakeHash(p, &hh, TLS1_2_PROTOCOL_VERSION,
					    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 0),
		     ERROR_SUCCESS, "hash: SslCreateHandshakeHash");
	CHECK(hh != 0 && hh != p && fake_live_objects() == 1, "hash: one kernel object");
	CHECK_STATUS(SslCreateHandshakeHash(p, NULL, TLS1_2_PROTOCOL_VERSION, 0, 0),
		     NTE_INVALID_PARAMETER, "hash: NULL phHandshakeHash");
	CHECK_STATUS(SslCreateHandshakeHash(p, &junk, TLS1_2_PROTOCOL_VERSION, 0, 4),
		     NTE_BAD_FLAGS, "hash: dwFlags 4");
	CHECK_STATUS(SslCreateHandshakeHash(p, &junk, SSL2_PROTOCOL_VERSION, 0, 0),
		     NTE_INVALID_PARAMETER, "hash: protocol refused by the module");
	CHECK_STATUS(SslCreateHandshakeHash(hh, &junk, TLS1_2_PROTOCOL_VERSION, 0, 0),
		     NTE_INVALID_HANDLE, "hash: an object handle is not a provider");
	CHECK(junk == 0 && fake_live_objects() == 1, "hash: failures create nothing");

	hashed = fake_hashed_bytes();
	calls = fake_ioctls();
	CHECK_STATUS(SslHashHandshake(p, hh, msg, sizeof(msg), 0), ERROR_SUCCESS,
		     "hash: SslHashHandshake");
	CHECK(fake_ioctls() == calls && fake_hashed_bytes() == hashed,
	      "hash: the message waits in the library");
	CHECK_STATUS(SslComputeSessionHash(p, hh, TLS1_2_PROTOCOL_VERSION, digest,
					   sizeof(digest), &dlen, 0),
		     ERROR_SUCCESS, "hash: SslComputeSessionHash");
	CHECK(fake_hashed_bytes() == hashed + sizeof(msg) && fake_ioctls() == calls + 2,
	      "hash: reading the hash sent the bytes first (one update, one digest)");
	CHECK(dlen == 32 && digest[0] == 0xd5 && digest[31] == 0xd5,
	      "hash: the module's digest came back");
	CHECK_STATUS(SslHashHandshake(p, hh, NULL, 1, 0), NTE_INVALID_PARAMETER,
		     "hash: NULL input with length");
	calls = fake_ioctls();
	CHECK_STATUS(SslHashHandshake(p, hh, NULL, 0, 0), ERROR_SUCCESS,
		     "hash: empty input succeeds");
	CHECK(fake_ioctls() == calls, "hash: ... without an ioctl");
	CHECK_STATUS(SslHashHandshake(p, hh, msg, sizeof(msg), 8), NTE_BAD_FLAGS,
		     "hash: dwFlags 8");
	CHECK_STATUS(SslHashHandshake(p, p, msg, sizeof(msg), 0), NTE_INVALID_HANDLE,
		     "hash: a provider handle is not a hash");
	CHECK_STATUS(SslHashHandshake(hh, hh, msg, sizeof(msg), 0), NTE_INVALID_HANDLE,
		     "hash: a hash handle is not a provider");
	CHECK_STATUS(SslHashHandshake(p, hh + 1, msg, sizeof(msg), 0), NTE_INVALID_HANDLE,
		     "hash: an unknown kernel object is refused by the module");

	CHECK_STATUS(SslHashHandshake(p, hh, msg, sizeof(msg), 0), ERROR_SUCCESS,
		     "hash: SslHashHandshake before an interrupted send");
	calls = fake_ioctls();
	fake_inject(EINTR);
	CHECK_STATUS(SslComputeSessionHash(p, hh, TLS1_2_PROTOCOL_VERSION, NULL, 0, &dlen, 0),
		     ERROR_SUCCESS, "hash: an ioctl interrupted by a signal is retried");
	CHECK(fake_ioctls() == calls + 3, "hash: ... exactly once more");

	CHECK_STATUS(SslFreeObject(hh, 0), ERROR_SUCCESS, "hash: SslFreeObject(hash)");
	CHECK(fake_live_objects() == 0, "hash: the kernel object is gone");
	CHECK_STATUS(SslFreeObject(hh, 0), NTE_INVALID_HANDLE, "hash: double free refused");
	CHECK_STATUS(SslHashHandshake(p, hh, msg, sizeof(msg), 0), NTE_INVALID_HANDLE,
		     "hash: a freed hash is refused");
	SslFreeObject(p, 0);
}

static void test_fake_big_input(void)
{
	NCRYPT_PROV_HANDLE p = open_ok();
	NCRYPT_HASH_HANDLE hh = 0;
	DWORD len = SSLPROV_MAX_HASH_INPUT * 2 + 5;
	BYTE *big = calloc(1, len);
	uint64_t hashed = fake_hashed_bytes();

	if (!big) {
		CHECK(0, "big: out of memory");
		return;
	}
	SslCreateHandshakeHash(p, &hh, TLS1_3_PROTOCOL_VERSION, TLS_AES_128_GCM_SHA256, 0);
	CHECK_STATUS(SslHashHandshake(p, hh, big, len, 0), ERROR_SUCCESS,
		     "big: SslHashHandshake of 32 MiB + 5");
	CHECK(fake_hashed_bytes() == hashed + len && fake_max_update() <= SSLPROV_MAX_HASH_INPUT,
	      "big: all bytes sent in pieces the module accepts");
	free(big);
	SslFreeObject(hh, 0);
	SslFreeObject(p, 0);
}

static void test_fake_lifetime(void)
{
	NCRYPT_PROV_HANDLE p1 = open_ok(), p2;
	NCRYPT_HASH_HANDLE hh = 0;
	BYTE msg[8] = { 0 };
	unsigned long closes;

	SslCreateHandshakeHash(p1, &hh, TLS1_2_PROTOCOL_VERSION,
			       TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, 0);
	closes = fake_closes();
	CHECK_STATUS(SslFreeObject(p1, 0), ERROR_SUCCESS, "lifetime: free the provider first");
	CHECK(fake_closes() == closes, "lifetime: the hash keeps the instance open");
	CHECK_STATUS(SslHashHandshake(p1, hh, msg, sizeof(msg), 0), NTE_INVALID_HANDLE,
		     "lifetime: the freed provider handle is refused");
	p2 = open_ok();
	CHECK(p2 != 0 && p2 != p1, "lifetime: a new provider gets a new handle");
	CHECK_STATUS(SslHashHandshake(p2, hh, msg, sizeof(msg), 0), ERROR_SUCCESS,
		     "lifetime: the hash still works through another provider handle");
	CHECK_STATUS(SslIncrementProviderReferenceCount(p1), NTE_INVALID_HANDLE,
		     "lifetime: the old provider handle stays dead");
	CHECK_STATUS(SslFreeObject(hh, 0), ERROR_SUCCESS, "lifetime: free the hash");
	CHECK(fake_closes() == closes + 1, "lifetime: the last object closes the instance");
	CHECK_STATUS(SslFreeObject(hh, 0), NTE_INVALID_HANDLE,
		     "lifetime: the hash handle is dead with its instance");
	SslFreeObject(p2, 0);
	CHECK(fake_open_files() == 0 && fake_live_objects() == 0, "lifetime: nothing left");
}

static void test_fake_errno_map(void)
{
	static const struct {
		int err;
		SECURITY_STATUS status;
	} map[] = {
		{ EBADF, NTE_INVALID_HANDLE }, { EINVAL, NTE_INVALID_PARAMETER },
		{ EFAULT, NTE_INVALID_PARAMETER }, { E2BIG, NTE_INVALID_PARAMETER },
		{ EBADRQC, NTE_BAD_FLAGS }, { ENOMEM, NTE_NO_MEMORY },
		{ ENOSPC, NTE_NO_MEMORY }, { ENOBUFS, NTE_BUFFER_TOO_SMALL },
		{ EOPNOTSUPP, NTE_NOT_SUPPORTED }, { ENOTTY, NTE_NOT_SUPPORTED },
		{ EKEYREJECTED, NTE_BAD_KEY_STATE }, { EBADMSG, NTE_BAD_DATA },
		{ EILSEQ, NTE_BAD_KEY }, { ENOKEY, NTE_NO_KEY }, { EPERM, NTE_PERM },
		{ EACCES, NTE_PERM }, { EIO, NTE_INTERNAL_ERROR },
		{ ENOENT, NTE_INTERNAL_ERROR },
	};
	NCRYPT_PROV_HANDLE p = open_ok();
	NCRYPT_HASH_HANDLE hh = 0;
	BYTE msg[4] = { 0 };
	unsigned long updates;
	uint64_t hashed;
	unsigned int i;
	DWORD dlen;

	SslCreateHandshakeHash(p, &hh, TLS1_2_PROTOCOL_VERSION, 0xC02F, 0);
	hashed = fake_hashed_bytes();
	/*
	 * The kernel's error reaches the call that sends the bytes, and the
	 * bytes stay waiting for the next one.
	 */
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		SslHashHandshake(p, hh, msg, sizeof(msg), 0);
		fake_inject(map[i].err);
		CHECK_STATUS(SslComputeSessionHash(p, hh, TLS1_2_PROTOCOL_VERSION, NULL, 0,
						   &dlen, 0),
			     map[i].status, "errno map: %s", strerrorname_np(map[i].err));
	}
	CHECK(fake_hashed_bytes() == hashed, "errno map: nothing was hashed by a failed send");
	updates = fake_updates();
	CHECK_STATUS(SslComputeSessionHash(p, hh, TLS1_2_PROTOCOL_VERSION, NULL, 0, &dlen, 0),
		     ERROR_SUCCESS, "errno map: the next read succeeds");
	CHECK(fake_hashed_bytes() == hashed + i * sizeof(msg) && fake_updates() == updates + 1,
	      "errno map: ... and sends every waiting byte in one update");
	/* A hash the library does not know takes the direct path. */
	fake_inject(ENOMEM);
	CHECK_STATUS(SslHashHandshake(p, hh + 1, msg, sizeof(msg), 0), NTE_NO_MEMORY,
		     "errno map: an unknown hash's update is sent at once");
	SslFreeObject(hh, 0);
	SslFreeObject(p, 0);
}

/*
 * SslComputeFinishedHash passes the waiting messages in the FINISHED call
 * itself: one ioctl, no HASH_UPDATE; a failed call keeps them waiting;
 * a module without FINISHED VER1 (E2BIG) gets them by HASH_UPDATE first.
 */
static void test_fake_finished_pending(void)
{
	enum { MSG = 512 };
	NCRYPT_PROV_HANDLE p = open_ok();
	NCRYPT_HASH_HANDLE h = 0, m = 0;
	unsigned long calls, updates, fin;
	static BYTE msg[MSG];
	uint64_t hashed, pend;
	BYTE vd[12];
	unsigned int i;

	/* A second hash stands in for the master key (the fake has none). */
	SslCreateHandshakeHash(p, &h, TLS1_2_PROTOCOL_VERSION, 0xC02F, 0);
	SslCreateHandshakeHash(p, &m, TLS1_2_PROTOCOL_VERSION, 0xC02F, 0);
	for (i = 0; i < 8; i++)
		SslHashHandshake(p, h, msg, MSG, 0);
	calls = fake_ioctls();
	updates = fake_updates();
	fin = fake_finished();
	pend = fake_finished_pending();
	CHECK_STATUS(SslComputeFinishedHash(p, m, h, vd, sizeof(vd), NCRYPT_SSL_CLIENT_FLAG),
		     ERROR_SUCCESS, "finished pending: Finished");
	CHECK(fake_ioctls() == calls + 1 && fake_updates() == updates &&
	      fake_finished() == fin + 1 && fake_finished_pending() == pend + 8 * MSG,
	      "finished pending: one FINISHED carried the 8 messages, no HASH_UPDATE");
	CHECK(vd[0] == 0xf1 && vd[11] == 0xf1, "finished pending: the kernel's verify_data");
	CHECK_STATUS(SslComputeFinishedHash(p, m, h, vd, sizeof(vd), NCRYPT_SSL_SERVER_FLAG),
		     ERROR_SUCCESS, "finished pending: again");
	CHECK(fake_finished_pending() == pend + 8 * MSG,
	      "finished pending: ... with nothing left to pass");

	/* A failed FINISHED: the bytes wait for the next read. */
	SslHashHandshake(p, h, msg, 100, 0);
	pend = fake_finished_pending();
	fake_inject(EIO);
	CHECK_STATUS(SslComputeFinishedHash(p, m, h, vd, sizeof(vd), NCRYPT_SSL_CLIENT_FLAG),
		     NTE_INTERNAL_ERROR, "finished pending: a failed Finished");
	CHECK_STATUS(SslComputeFinishedHash(p, m, h, vd, sizeof(vd), NCRYPT_SSL_CLIENT_FLAG),
		     ERROR_SUCCESS, "finished pending: the next one");
	CHECK(fake_finished_pending() == pend + 100,
	      "finished pending: ... passed the 100 bytes the failed one kept");

	/* A VER0 module: HASH_UPDATE, then the plain call. */
	fake_set_finished_ver0(1);
	SslHashHandshake(p, h, msg, 300, 0);
	hashed = fake_hashed_bytes();
	updates = fake_updates();
	fin = fake_finished();
	CHECK_STATUS(SslComputeFinishedHash(p, m, h, vd, sizeof(vd), NCRYPT_SSL_CLIENT_FLAG),
		     ERROR_SUCCESS, "finished pending: Finished on a VER0 module");
	CHECK(fake_updates() == updates + 1 && fake_hashed_bytes() == hashed + 300 &&
	      fake_finished() == fin + 1,
	      "finished pending: ... the 300 bytes went by HASH_UPDATE, once");
	fake_set_finished_ver0(0);

	SslFreeObject(h, 0);
	SslFreeObject(m, 0);
	SslFreeObject(p, 0);
}

/*
 * The messages of one handshake wait in the library and reach the kernel
 * in one update when the hash is read, in pieces of at most 16 KiB when
 * they are more, and never when the hash is freed unread.
 */
static void test_fake_transcript(void)
{
	enum { MSG = 512, HELD = 16 * 1024 };
	NCRYPT_PROV_HANDLE p = open_ok();
	NCRYPT_HASH_HANDLE a = 0, b = 0;
	static BYTE msg[HELD + 1];
	unsigned long calls, updates;
	uint64_t hashed;
	unsigned int i;
	DWORD dlen;

	SslCreateHandshakeHash(p, &a, TLS1_2_PROTOCOL_VERSION, 0xC02F, 0);
	SslCreateHandshakeHash(p, &b, TLS1_2_PROTOCOL_VERSION, 0xC030, 0);
	hashed = fake_hashed_bytes();
	calls = fake_ioctls();
	for (i = 0; i < 8; i++) {
		SslHashHandshake(p, a, msg, MSG, 0);
		SslHashHandshake(p, b, msg, MSG / 2, 0);
	}
	CHECK(fake_ioctls() == calls, "transcript: 16 messages to two hashes, no ioctl");
	updates = fake_updates();
	SslComputeSessionHash(p, a, TLS1_2_PROTOCOL_VERSION, NULL, 0, &dlen, 0);
	CHECK(fake_updates() == updates + 1 && fake_hashed_bytes() == hashed + 8 * MSG &&
	      fake_max_update() >= 8 * MSG,
	      "transcript: reading one hash sends its 8 messages in one update");
	CHECK_STATUS(SslFreeObject(b, 0), ERROR_SUCCESS, "transcript: free the other hash");
	CHECK(fake_updates() == updates + 1 && fake_hashed_bytes() == hashed + 8 * MSG,
	      "transcript: ... its unread messages are dropped, not sent");

	/* More than the buffer holds: sent as it fills, never over 16 KiB. */
	fake_reset_max_update();
	hashed = fake_hashed_bytes();
	for (i = 0; i < 100; i++)
		SslHashHandshake(p, a, msg, 1000, 0);
	CHECK(fake_hashed_bytes() > hashed && fake_max_update() <= HELD,
	      "transcript: 100 KB sent in pieces of at most 16 KiB (largest %u)",
	      fake_max_update());
	SslComputeSessionHash(p, a, TLS1_2_PROTOCOL_VERSION, NULL, 0, &dlen, 0);
	CHECK(fake_hashed_bytes() == hashed + 100 * 1000, "transcript: every byte sent once");

	/* A message larger than the buffer goes at once, after what waits. */
	SslHashHandshake(p, a, msg, 10, 0);
	updates = fake_updates();
	hashed = fake_hashed_bytes();
	SslHashHandshake(p, a, msg, sizeof(msg), 0);
	CHECK(fake_updates() == updates + 2 && fake_hashed_bytes() == hashed + 10 + sizeof(msg),
	      "transcript: a message over 16 KiB flushes the buffer and goes direct");

	/* A free the kernel refuses keeps the hash and its waiting bytes. */
	SslHashHandshake(p, a, msg, 77, 0);
	hashed = fake_hashed_bytes();
	fake_inject(EIO);
	CHECK_STATUS(SslFreeObject(a, 0), NTE_INTERNAL_ERROR, "transcript: a failed free");
	SslComputeSessionHash(p, a, TLS1_2_PROTOCOL_VERSION, NULL, 0, &dlen, 0);
	CHECK(fake_hashed_bytes() == hashed + 77, "transcript: ... left the bytes waiting");
	CHECK_STATUS(SslFreeObject(a, 0), ERROR_SUCCESS, "transcript: free");
	SslFreeObject(p, 0);
}

/*
 * A child shares the parent's kernel objects: what waited at fork() must
 * be sent once, by the parent, before the copy.
 */
static void test_fake_fork(void)
{
	NCRYPT_PROV_HANDLE p = open_ok();
	NCRYPT_HASH_HANDLE hh = 0;
	BYTE msg[300] = { 0 };
	unsigned long calls;
	uint64_t hashed;
	int status = -1;
	DWORD dlen;
	pid_t pid;

	SslCreateHandshakeHash(p, &hh, TLS1_2_PROTOCOL_VERSION, 0xC02F, 0);
	SslHashHandshake(p, hh, msg, sizeof(msg), 0);
	hashed = fake_hashed_bytes();
	pid = fork();
	if (pid == 0) {
		/* In the child: nothing waits, so reading is one ioctl. */
		calls = fake_ioctls();
		SslComputeSessionHash(p, hh, TLS1_2_PROTOCOL_VERSION, NULL, 0, &dlen, 0);
		_exit(fake_ioctls() == calls + 1 ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "fork: the child holds nothing to send");
	CHECK(fake_hashed_bytes() == hashed + sizeof(msg),
	      "fork: the parent sent the waiting bytes before fork()");
	SslFreeObject(hh, 0);
	SslFreeObject(p, 0);
}

static void test_fake_object_limit(void)
{
	NCRYPT_PROV_HANDLE p = open_ok();
	NCRYPT_HASH_HANDLE hh[FAKE_MAX_OBJECTS + 1];
	unsigned int i, made = 0;

	for (i = 0; i < FAKE_MAX_OBJECTS; i++)
		made += !SslCreateHandshakeHash(p, &hh[i], TLS1_2_PROTOCOL_VERSION, 0x009C, 0);
	CHECK(made == FAKE_MAX_OBJECTS, "limit: %u objects created", made);
	CHECK_STATUS(SslCreateHandshakeHash(p, &hh[i], TLS1_2_PROTOCOL_VERSION, 0x009C, 0),
		     NTE_NO_MEMORY, "limit: one more is NTE_NO_MEMORY");
	for (i = 0; i < made; i++)
		SslFreeObject(hh[i], 0);
	CHECK(fake_live_objects() == 0, "limit: all freed");
	SslFreeObject(p, 0);
}

/* Many instances at once: handles stay distinct, slots are reused safely. */
static void test_fake_many(void)
{
	enum { N = 100 };
	NCRYPT_PROV_HANDLE h[N], old[N];
	unsigned int i, j, ok = 0, distinct = 1, stale = 0;

	for (i = 0; i < N; i++)
		ok += (h[i] = open_ok()) != 0;
	CHECK(ok == N, "many: %u providers open at once", ok);
	for (i = 0; i < N; i++)
		for (j = i + 1; j < N; j++)
			distinct &= h[i] != h[j];
	CHECK(distinct, "many: all handles distinct");
	for (i = 0; i < N; i += 2) {
		old[i] = h[i];
		SslFreeObject(h[i], 0);
	}
	/* Enough new instances that freed slots are taken again. */
	for (i = 0; i < N; i += 2)
		h[i] = open_ok();
	for (i = 0; i < N; i += 2)
		stale += SslIncrementProviderReferenceCount(old[i]) != NTE_INVALID_HANDLE;
	CHECK(!stale, "many: freed handles stay invalid when their slots are reused (%u)",
	      stale);
	ok = 0;
	for (i = 0; i < N; i++)
		ok += !SslFreeObject(h[i], 0);
	CHECK(ok == N && fake_open_files() == 0, "many: all freed, all files closed");
}

struct worker {
	unsigned int failures;
};

/*
 * Each thread churns through its own instances while the others do the
 * same, freeing the provider before or after its hash: the table lock and
 * busy counts must keep every call on a valid descriptor.
 */
static void *worker(void *arg)
{
	struct worker *w = arg;
	NCRYPT_PROV_HANDLE p;
	NCRYPT_HASH_HANDLE hh;
	BYTE msg[16] = { 0 };
	unsigned int i;

	for (i = 0; i < 300; i++) {
		p = open_ok();
		if (!p) {
			w->failures++;
			continue;
		}
		w->failures += SslCreateHandshakeHash(p, &hh, TLS1_3_PROTOCOL_VERSION,
						      TLS_AES_256_GCM_SHA384, 0) != 0;
		w->failures += SslIncrementProviderReferenceCount(p) != 0;
		w->failures += SslHashHandshake(p, hh, msg, sizeof(msg), 0) != 0;
		w->failures += SslDecrementProviderReferenceCount(p) != 0;
		if (i % 2) {
			w->failures += SslFreeObject(p, 0) != 0;
			w->failures += SslFreeObject(hh, 0) != 0;
		} else {
			w->failures += SslFreeObject(hh, 0) != 0;
			w->failures += SslFreeObject(p, 0) != 0;
		}
	}
	return NULL;
}

static void test_fake_threads(void)
{
	enum { THREADS = 4 };
	struct worker w[THREADS] = { { 0 } };
	pthread_t t[THREADS];
	unsigned int i, failures = 0;

	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, &w[i]);
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		failures += w[i].failures;
	}
	CHECK(!failures, "threads: %d threads x 300 rounds, %u failures", THREADS, failures);
	CHECK(fake_open_files() == 0 && fake_live_objects() == 0,
	      "threads: every file closed, every object freed");
}

static void test_fake(void)
{
	int fds = count_fds();

	setenv("SSLPROV_DEVICE", "/dev/null", 1);
	fake_enable(1);
	test_fake_open();
	test_fake_refcount();
	test_fake_hash();
	test_fake_big_input();
	test_fake_lifetime();
	test_fake_errno_map();
	test_fake_transcript();
	test_fake_finished_pending();
	test_fake_fork();
	test_fake_object_limit();
	test_fake_many();
	test_fake_threads();
	test_garbage_handles("after use");
	CHECK(fake_bad_sizes() == 0, "fake: every ioctl carried its structure's size");
	CHECK(fake_open_files() == 0 && count_fds() == fds,
	      "fake: no descriptor left open (%d -> %d)", fds, count_fds());
	fake_enable(0);
}

int main(void)
{
	printf("KTAP version 1\n# libsslprov unit tests (no kernel module needed)\n");
	unsetenv("SSLPROV_DEVICE");

	test_layout();
	test_constants();
	test_enum_providers();
	test_free_buffer();
	test_interface();
	test_misc();
	test_open_args();
	test_garbage_handles("fresh");
	test_missing_device();
	test_fake();

	printf("1..%u\n%u passed, %u failed\n", passed + failed, passed, failed);
	return failed ? 1 : 0;
}
