// SPDX-License-Identifier: GPL-2.0
/*
 * Handshake hash objects: which protocol/suite pairs HASH_CREATE accepts,
 * HASH_UPDATE input handling, and HASH_DIGEST known answers (MD5 || SHA-1
 * for TLS 1.0/1.1, the suite's PRF hash for TLS 1.2), read without
 * finalizing the running state.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sslprov_test.h"

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	SP_REQUIRE_DEVICE();
	self->fd = sp_open();
	ASSERT_LE(0, self->fd)
		TH_LOG("open %s: %s", SSLPROV_DEVICE, sp_errname(self->fd));
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* The digest of @h as lowercase hex into @hex; returns 0 or -errno. */
static int digest_hex(int fd, uint32_t h, char *hex, size_t hexlen)
{
	struct sslprov_hash_digest d = { .size = sizeof(d), .hash = h };
	uint32_t i;
	int ret;

	ret = sp_ioctl(fd, SSLPROV_IOC_HASH_DIGEST, &d);
	if (ret)
		return ret;
	if (d.len > sizeof(d.digest) || 2 * d.len + 1 > hexlen)
		return -ERANGE;
	for (i = 0; i < d.len; i++)
		snprintf(hex + 2 * i, 3, "%02x", d.digest[i]);
	hex[2 * d.len] = '\0';
	return 0;
}

/* Known answers (FIPS 180-4 / RFC 1321 "" and "abc", and 16 MiB of 0x17). */
struct kat {
	const char *name;
	uint32_t protocol, suite;
	unsigned int len;
	const char *empty, *abc, *big;
};

static const struct kat kats[] = {
	{ "TLS 1.0 MD5||SHA-1", SP_TLS1_0, 0, 36,
	  "d41d8cd98f00b204e9800998ecf8427e"
	  "da39a3ee5e6b4b0d3255bfef95601890afd80709",
	  "900150983cd24fb0d6963f7d28e17f72"
	  "a9993e364706816aba3e25717850c26c9cd0d89d",
	  "a638fc36d18bd55e7d17d87f4b7368c2"
	  "8a4b1c56c740de7519e6d71c742a2740cd2961e3" },
	{ "TLS 1.1 MD5||SHA-1", SP_TLS1_1, SP_RSA_AES256_GCM_SHA384, 36,
	  "d41d8cd98f00b204e9800998ecf8427e"
	  "da39a3ee5e6b4b0d3255bfef95601890afd80709",
	  "900150983cd24fb0d6963f7d28e17f72"
	  "a9993e364706816aba3e25717850c26c9cd0d89d",
	  "a638fc36d18bd55e7d17d87f4b7368c2"
	  "8a4b1c56c740de7519e6d71c742a2740cd2961e3" },
	{ "TLS 1.2 SHA-256", SP_TLS1_2, SP_RSA_AES128_GCM_SHA256, 32,
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	  "091d53a7f9e0fadf4bba645269da9b162244ee338caf1cfe83a2350f047f63ae" },
	{ "TLS 1.2 SHA-384", SP_TLS1_2, SP_RSA_AES256_GCM_SHA384, 48,
	  "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf"
	  "63f6e1da274edebfe76f65fbd51ad2f14898b95b",
	  "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a"
	  "43ff5bed8086072ba1e7cc2358baeca134c825a7",
	  "aa8ef9c30256f5fed73c6d0475f8fdeae569a919021b018a5e9eaf5e"
	  "5c5fcc6243ad37b5f622615346faaf4fbf62ca34" },
};

#define EXPECT_DIGEST(fd, h, want, what) do {				\
	char __hex[2 * SSLPROV_MAX_SESSION_HASH + 1];			\
	int __ret = digest_hex(fd, h, __hex, sizeof(__hex));		\
	ASSERT_EQ(0, __ret) TH_LOG("%s: HASH_DIGEST: %s", what,	\
				   sp_errname(__ret));			\
	EXPECT_STREQ(want, __hex) TH_LOG("%s", what);			\
} while (0)

TEST_F_TIMEOUT(dev, hash_create_tls12, SP_TIMEOUT)
{
	static const uint32_t suites[] = {
		SP_RSA_AES128_GCM_SHA256, SP_RSA_AES256_GCM_SHA384,
	};
	uint32_t h[ARRAY_SIZE(suites)];
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(suites); i++) {
		ret = sp_hash_create(self->fd, SP_TLS1_2, suites[i], &h[i]);
		ASSERT_EQ(0, ret)
			TH_LOG("TLS 1.2 suite 0x%04x: %s", suites[i],
			       sp_errname(ret));
		EXPECT_NE(0, h[i]) TH_LOG("handle 0 is never valid");
		if (i) {
			EXPECT_NE(h[i - 1], h[i]);
		}
		/* The suite picks the hash: SHA-256 for 0x9c, SHA-384 for 0x9d. */
		EXPECT_DIGEST(self->fd, h[i], kats[2 + i].empty, kats[2 + i].name);
		ASSERT_EQ(0, sp_hash_update(self->fd, h[i], "abc", 3));
		EXPECT_DIGEST(self->fd, h[i], kats[2 + i].abc, kats[2 + i].name);
	}
	EXPECT_EQ(ARRAY_SIZE(suites), sp_live_objects(self->fd));
}

TEST_F_TIMEOUT(dev, hash_create_tls10_tls11_any_suite, SP_TIMEOUT)
{
	static const uint32_t protocols[] = { SP_TLS1_0, SP_TLS1_1 };
	static const uint32_t suites[] = {
		0, 0x0005, 0x002f, 0x0035, SP_RSA_AES128_GCM_SHA256,
		SP_RSA_AES256_GCM_SHA384, 0xc02f, 0x1301, 0xffff, 0xffffffff,
	};
	size_t i, j;
	uint32_t h;
	int ret;

	for (i = 0; i < ARRAY_SIZE(protocols); i++) {
		for (j = 0; j < ARRAY_SIZE(suites); j++) {
			ret = sp_hash_create(self->fd, protocols[i], suites[j], &h);
			ASSERT_EQ(0, ret)
				TH_LOG("protocol 0x%04x suite 0x%04x: %s",
				       protocols[i], suites[j], sp_errname(ret));
			/* MD5 || SHA-1, whatever the suite. */
			ASSERT_EQ(0, sp_hash_update(self->fd, h, "abc", 3));
			EXPECT_DIGEST(self->fd, h, kats[0].abc, "TLS 1.0/1.1");
			ASSERT_EQ(0, sp_free(self->fd, h));
		}
	}
}

TEST_F_TIMEOUT(dev, hash_create_unsupported_protocol, SP_TIMEOUT)
{
	static const uint32_t protocols[] = {
		0x0300,		/* SSL 3.0 */
		0x0002,		/* SSL 2.0 */
		0x0304,		/* TLS 1.3: not by this call */
		0,
		0x0200, 0x0305, 0x0403,
		0xfeff, 0xfefd,	/* DTLS 1.0, 1.2 */
		0x00010303,	/* TLS 1.2 with junk above the 16 wire bits */
		0x03030000, 0xffffffff,
	};
	static const uint32_t suites[] = {
		SP_RSA_AES128_GCM_SHA256, SP_RSA_AES256_GCM_SHA384, 0, 0x002f,
	};
	size_t i, j;
	uint32_t h;
	int ret;

	for (i = 0; i < ARRAY_SIZE(protocols); i++) {
		for (j = 0; j < ARRAY_SIZE(suites); j++) {
			h = 0xdeadbeef;
			ret = sp_hash_create(self->fd, protocols[i], suites[j], &h);
			ASSERT_EQ(-EOPNOTSUPP, ret)
				TH_LOG("protocol 0x%04x suite 0x%04x: %s, want EOPNOTSUPP",
				       protocols[i], suites[j], sp_errname(ret));
		}
	}
	EXPECT_EQ(0, sp_live_objects(self->fd))
		TH_LOG("a refused HASH_CREATE left an object behind");
}

/*
 * Suites the provider never offers (spec section 7: no NULL, RC4, DES,
 * EXPORT, DSS or anonymous suites; SCSVs and GREASE are not suites; TLS 1.3
 * suites are not TLS 1.2 suites), and numbers with junk above 16 bits.
 */
TEST_F_TIMEOUT(dev, hash_create_tls12_unknown_suite, SP_TIMEOUT)
{
	static const uint32_t suites[] = {
		0x0000,			/* TLS_NULL_WITH_NULL_NULL */
		0x0001, 0x0002, 0x003b,	/* NULL ciphers */
		0x0003, 0x0006,		/* EXPORT */
		0x0004, 0x0005,		/* RC4 */
		0x0009,			/* DES */
		0x0013, 0x0032,		/* DSS */
		0x0018, 0x0034, 0x00a6,	/* anonymous DH */
		0x00ff, 0x5600,		/* SCSVs */
		0x0a0a, 0xfafa,		/* GREASE */
		0x1301, 0x1302, 0x1303,	/* TLS 1.3 only */
		0xffff,
		0x0001009c, 0xffff009d, 0x009c0000, 0xffffffff,
	};
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(suites); i++) {
		ret = sp_hash_create(self->fd, SP_TLS1_2, suites[i], NULL);
		ASSERT_EQ(-EOPNOTSUPP, ret)
			TH_LOG("TLS 1.2 suite 0x%04x: %s, want EOPNOTSUPP",
			       suites[i], sp_errname(ret));
	}
	EXPECT_EQ(0, sp_live_objects(self->fd));
}

TEST_F_TIMEOUT(dev, hash_create_ignores_output_field, SP_TIMEOUT)
{
	struct sslprov_hash_create args = {
		.size = sizeof(args),
		.protocol = SP_TLS1_2,
		.cipher_suite = SP_RSA_AES128_GCM_SHA256,
		.handle = 0xdeadbeef,	/* out only: whatever is there */
	};

	ASSERT_EQ(0, sp_ioctl(self->fd, SSLPROV_IOC_HASH_CREATE, &args));
	EXPECT_NE(0xdeadbeef, args.handle) TH_LOG("no handle written back");
	EXPECT_NE(0, args.handle);
	EXPECT_EQ(SP_TLS1_2, args.protocol) TH_LOG("an input field changed");
	EXPECT_EQ(SP_RSA_AES128_GCM_SHA256, args.cipher_suite);
	EXPECT_EQ(0, args.__reserved);
	ASSERT_EQ(0, sp_hash_update(self->fd, args.handle, "y", 1));
}

TEST_F_TIMEOUT(dev, hash_update, SP_TIMEOUT)
{
	long pg = sysconf(_SC_PAGESIZE);
	static char buf[8192];
	uint32_t h;
	char *ro;
	int ret;

	memset(buf, 0x5a, sizeof(buf));
	ASSERT_EQ(0, sp_new_hash(self->fd, &h));
	ASSERT_EQ(0, sp_hash_update(self->fd, h, buf, sizeof(buf)));
	ASSERT_EQ(0, sp_hash_update(self->fd, h, buf + 1, 1))
		TH_LOG("misaligned data");
	ASSERT_EQ(0, sp_hash_update(self->fd, h, buf + 3, 4093));
	ret = sp_hash_update(self->fd, h, NULL, 0);
	ASSERT_EQ(0, ret) TH_LOG("zero bytes at NULL: %s", sp_errname(ret));
	ASSERT_EQ(0, sp_hash_update(self->fd, h, buf, 0));

	/* The data is input only: a read-only buffer will do. */
	ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	ret = sp_hash_update(self->fd, h, ro, pg);
	EXPECT_EQ(0, ret) TH_LOG("read-only data: %s", sp_errname(ret));
	munmap(ro, pg);

	/* Too long: refused before anything is read. */
	ret = sp_hash_update(self->fd, h, buf, SSLPROV_MAX_HASH_INPUT + 1);
	EXPECT_EQ(-EINVAL, ret)
		TH_LOG("len MAX_HASH_INPUT + 1: %s", sp_errname(ret));
	ret = sp_hash_update(self->fd, h, buf, UINT32_MAX);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("len 0xffffffff: %s", sp_errname(ret));

	/* Still usable. */
	ASSERT_EQ(0, sp_hash_update(self->fd, h, "z", 1));
}

TEST_F_TIMEOUT(dev, hash_update_max_input, SP_TIMEOUT_LONG)
{
	size_t len = SSLPROV_MAX_HASH_INPUT;
	uint32_t h[3];
	char *buf;
	int i, ret;

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	memset(buf, 0x17, len);
	/* One of each hash kind: MD5+SHA-1, SHA-256, SHA-384. */
	ASSERT_EQ(0, sp_hash_create(self->fd, SP_TLS1_0, 0, &h[0]));
	ASSERT_EQ(0, sp_new_hash(self->fd, &h[1]));
	ASSERT_EQ(0, sp_hash_create(self->fd, SP_TLS1_2,
				    SP_RSA_AES256_GCM_SHA384, &h[2]));
	for (i = 0; i < 3; i++) {
		ret = sp_hash_update(self->fd, h[i], buf, len);
		EXPECT_EQ(0, ret)
			TH_LOG("%s: exactly SSLPROV_MAX_HASH_INPUT bytes: %s",
			       kats[i + 1].name, sp_errname(ret));
		if (!ret) {
			EXPECT_DIGEST(self->fd, h[i], kats[i + 1].big,
				      "16 MiB of 0x17");
		}
	}
	munmap(buf, len);
}

TEST_F_TIMEOUT(dev, hash_update_bad_data, SP_TIMEOUT)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *guarded;
	void *gone;
	uint32_t h;
	int ret;

	ASSERT_EQ(0, sp_new_hash(self->fd, &h));
	ASSERT_EQ(0, sp_hash_update(self->fd, h, "ab", 2));
	gone = sp_unmapped_addr();
	ASSERT_NE(NULL, gone);
	guarded = sp_map_guarded(1);
	ASSERT_NE(NULL, guarded);

	ret = sp_hash_update(self->fd, h, NULL, 1);
	EXPECT_EQ(-EFAULT, ret) TH_LOG("NULL data: %s", sp_errname(ret));
	ret = sp_hash_update(self->fd, h, gone, 16);
	EXPECT_EQ(-EFAULT, ret) TH_LOG("unmapped data: %s", sp_errname(ret));
	/* The last 8 bytes of a page, then the guard page. */
	ret = sp_hash_update(self->fd, h, guarded + pg - 8, 16);
	EXPECT_EQ(-EFAULT, ret)
		TH_LOG("data running into a PROT_NONE page: %s", sp_errname(ret));
	ret = sp_hash_update(self->fd, h, (void *)0xffff888000000000ULL, 16);
	EXPECT_EQ(-EFAULT, ret) TH_LOG("kernel address as data: %s",
				       sp_errname(ret));
	ret = sp_hash_update(self->fd, h, (void *)0x8000000000000000ULL, 16);
	EXPECT_EQ(-EFAULT, ret) TH_LOG("non-canonical data: %s",
				       sp_errname(ret));

	/* A fault leaves the running state as it was: "ab" + "c". */
	ASSERT_EQ(0, sp_hash_update(self->fd, h, "c", 1));
	EXPECT_DIGEST(self->fd, h, kats[2].abc, "after faulting updates");
	ASSERT_EQ(1, sp_live_objects(self->fd));

	/* Data that ends right at the guard page is fine. */
	memcpy(guarded + pg - 3, "abc", 3);
	ASSERT_EQ(0, sp_free(self->fd, h));
	ASSERT_EQ(0, sp_new_hash(self->fd, &h));
	ret = sp_hash_update(self->fd, h, guarded + pg - 3, 3);
	EXPECT_EQ(0, ret) TH_LOG("data ending at the guard page: %s",
				 sp_errname(ret));
	EXPECT_DIGEST(self->fd, h, kats[2].abc, "data ending at the guard page");
	munmap(guarded, 2 * pg);
}

TEST_F_TIMEOUT(dev, hash_update_flags, SP_TIMEOUT)
{
	struct sslprov_hash_update args = { .size = sizeof(args) };
	uint32_t h;
	int bit, ret;

	ASSERT_EQ(0, sp_new_hash(self->fd, &h));
	args.handle = h;
	args.len = 3;
	args.data = (uintptr_t)"abc";
	for (bit = 0; bit < 32; bit++) {
		args.flags = 1U << bit;
		ret = sp_ioctl(self->fd, SSLPROV_IOC_HASH_UPDATE, &args);
		ASSERT_EQ(-EINVAL, ret)
			TH_LOG("flags 0x%x: %s", args.flags, sp_errname(ret));
	}
}


/* Digests of "", then "abc" fed in pieces, read in between. */
TEST_F_TIMEOUT(dev, digest_known_answers, SP_TIMEOUT)
{
	size_t i;
	uint32_t h;

	for (i = 0; i < ARRAY_SIZE(kats); i++) {
		ASSERT_EQ(0, sp_hash_create(self->fd, kats[i].protocol,
					    kats[i].suite, &h));
		EXPECT_DIGEST(self->fd, h, kats[i].empty, kats[i].name);
		/* Reading does not finalize: read again, then go on. */
		EXPECT_DIGEST(self->fd, h, kats[i].empty, kats[i].name);
		ASSERT_EQ(0, sp_hash_update(self->fd, h, "a", 1));
		ASSERT_EQ(0, sp_hash_update(self->fd, h, NULL, 0));
		ASSERT_EQ(0, sp_hash_update(self->fd, h, "bc", 2));
		EXPECT_DIGEST(self->fd, h, kats[i].abc, kats[i].name);
		EXPECT_DIGEST(self->fd, h, kats[i].abc, kats[i].name);
	}
}

TEST_F_TIMEOUT(dev, digest_length, SP_TIMEOUT)
{
	struct sslprov_hash_digest d;
	size_t i;
	uint32_t h;

	for (i = 0; i < ARRAY_SIZE(kats); i++) {
		ASSERT_EQ(0, sp_hash_create(self->fd, kats[i].protocol,
					    kats[i].suite, &h));
		memset(&d, 0xee, sizeof(d));
		d.size = sizeof(d);
		d.flags = 0;
		d.hash = h;
		ASSERT_EQ(0, sp_ioctl(self->fd, SSLPROV_IOC_HASH_DIGEST, &d));
		EXPECT_EQ(kats[i].len, d.len) TH_LOG("%s", kats[i].name);
		/*
		 * The bytes after the digest hold nothing from the kernel:
		 * zeros, or what the caller had there.
		 */
		for (size_t j = d.len; j < sizeof(d.digest); j++) {
			ASSERT_TRUE(d.digest[j] == 0 || d.digest[j] == 0xee)
				TH_LOG("%s: byte %zu after the digest is %#x",
				       kats[i].name, j, d.digest[j]);
		}
	}
}

TEST_F_TIMEOUT(dev, digest_errors, SP_TIMEOUT)
{
	struct sslprov_hash_digest d = { .size = sizeof(d) };
	uint32_t h;
	int bit, ret;

	ASSERT_EQ(0, sp_new_hash(self->fd, &h));
	d.hash = h;
	for (bit = 0; bit < 32; bit++) {
		d.flags = 1U << bit;
		ret = sp_ioctl(self->fd, SSLPROV_IOC_HASH_DIGEST, &d);
		ASSERT_EQ(-EINVAL, ret) TH_LOG("flags %#x: %s", d.flags,
					       sp_errname(ret));
	}
	d.flags = 0;
	d.hash = 0;
	EXPECT_EQ(-EBADF, sp_ioctl(self->fd, SSLPROV_IOC_HASH_DIGEST, &d));
	d.hash = h + 1;
	EXPECT_EQ(-EBADF, sp_ioctl(self->fd, SSLPROV_IOC_HASH_DIGEST, &d));
	ASSERT_EQ(0, sp_free(self->fd, h));
	d.hash = h;
	EXPECT_EQ(-EBADF, sp_ioctl(self->fd, SSLPROV_IOC_HASH_DIGEST, &d))
		TH_LOG("digest of a freed hash");
}

TEST_HARNESS_MAIN
