// SPDX-License-Identifier: GPL-2.0
/*
 * The argument-structure rules (uapi/linux/sslprov.h, "Argument
 * structures") in depth, with valid structures, for the object model's
 * ioctls: copy_struct_from_user() semantics as in openat2(2) and clone3(2),
 * flags and reserved fields, bounded write-back, bad and read-only
 * pointers, size bits of the ioctl number.  abi_rules_test.c checks the
 * rules that need no valid structure for every ioctl of the header.
 *
 * Each test runs once per ioctl (FIXTURE_VARIANT), and each case both at an
 * aligned and at misaligned addresses.  Every failing case also checks that
 * the call had no effect: no object made, none freed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sslprov_test.h"

#define CANARY		0xa5
#define CANARY_LEN	64

enum kind { K_INFO, K_FREE, K_CREATE, K_UPDATE, K_DIGEST };

union anyarg {
	struct sslprov_info info;
	struct sslprov_free fr;
	struct sslprov_hash_create cr;
	struct sslprov_hash_update up;
	struct sslprov_hash_digest dg;
	unsigned char raw[SSLPROV_HASH_DIGEST_SIZE_VER0];
};

/* Misalignments every case is tried at (0 = naturally aligned). */
static const size_t offsets[] = { 0, 1, 2, 3, 5, 7 };

FIXTURE(args) {
	int fd;
	long pg;
	unsigned char *rw;	/* 2 pages, then a PROT_NONE guard page */
	unsigned char *ro;	/* 1 page, read-only while used */
	uint32_t hash;		/* for HASH_UPDATE */
	char data[16];
};

FIXTURE_VARIANT(args) {
	const char *name;
	unsigned long cmd;
	uint32_t ver0;		/* first published size */
	uint32_t ksize;		/* the size this test was built with */
	enum kind kind;
	bool writes_back;	/* has output fields */
	int reserved_off;	/* offset of an input __reserved, or -1 */
};

FIXTURE_VARIANT_ADD(args, get_info) {
	.name = "GET_INFO",
	.cmd = SSLPROV_IOC_GET_INFO,
	.ver0 = SSLPROV_INFO_SIZE_VER0,
	.ksize = sizeof(struct sslprov_info),
	.kind = K_INFO,
	.writes_back = true,
	.reserved_off = -1,	/* its __reserved is an output */
};

FIXTURE_VARIANT_ADD(args, free) {
	.name = "FREE",
	.cmd = SSLPROV_IOC_FREE,
	.ver0 = SSLPROV_FREE_SIZE_VER0,
	.ksize = sizeof(struct sslprov_free),
	.kind = K_FREE,
	.reserved_off = offsetof(struct sslprov_free, __reserved),
};

FIXTURE_VARIANT_ADD(args, hash_create) {
	.name = "HASH_CREATE",
	.cmd = SSLPROV_IOC_HASH_CREATE,
	.ver0 = SSLPROV_HASH_CREATE_SIZE_VER0,
	.ksize = sizeof(struct sslprov_hash_create),
	.kind = K_CREATE,
	.writes_back = true,
	.reserved_off = offsetof(struct sslprov_hash_create, __reserved),
};

FIXTURE_VARIANT_ADD(args, hash_update) {
	.name = "HASH_UPDATE",
	.cmd = SSLPROV_IOC_HASH_UPDATE,
	.ver0 = SSLPROV_HASH_UPDATE_SIZE_VER0,
	.ksize = sizeof(struct sslprov_hash_update),
	.kind = K_UPDATE,
	.reserved_off = -1,
};

FIXTURE_VARIANT_ADD(args, hash_digest) {
	.name = "HASH_DIGEST",
	.cmd = SSLPROV_IOC_HASH_DIGEST,
	.ver0 = SSLPROV_HASH_DIGEST_SIZE_VER0,
	.ksize = sizeof(struct sslprov_hash_digest),
	.kind = K_DIGEST,
	.writes_back = true,
	.reserved_off = -1,
};

FIXTURE_SETUP(args)
{
	self->fd = -1;
	SP_REQUIRE_DEVICE();
	self->pg = sysconf(_SC_PAGESIZE);
	ASSERT_EQ(SP_MAX_ARG_SIZE, self->pg)
		TH_LOG("these tests assume 4 KiB pages");
	self->rw = sp_map_guarded(2);
	ASSERT_NE(NULL, self->rw);
	self->ro = mmap(NULL, self->pg, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->ro);
	self->fd = sp_open();
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", sp_errname(self->fd));
	ASSERT_EQ(0, sp_new_hash(self->fd, &self->hash));
	memcpy(self->data, "handshake bytes", 16);
	/* The harness's sizes must match the ABI's: ver0 == sizeof today. */
	ASSERT_EQ(variant->ver0, variant->ksize);
}

FIXTURE_TEARDOWN(args)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->rw)
		munmap(self->rw, 3 * self->pg);
	if (self->ro && self->ro != MAP_FAILED)
		munmap(self->ro, self->pg);
}

/* A valid argument of the variant's kind, size ver0. */
static int prepare(FIXTURE_DATA(args) *self,
		   const FIXTURE_VARIANT(args) *variant, union anyarg *a)
{
	int ret = 0;

	memset(a, 0, sizeof(*a));
	switch (variant->kind) {
	case K_INFO:
		break;
	case K_FREE:
		ret = sp_new_hash(self->fd, &a->fr.handle);
		break;
	case K_CREATE:
		a->cr.protocol = SP_TLS1_2;
		a->cr.cipher_suite = SP_RSA_AES128_GCM_SHA256;
		break;
	case K_UPDATE:
		a->up.handle = self->hash;
		a->up.len = sizeof(self->data);
		a->up.data = (uintptr_t)self->data;
		break;
	case K_DIGEST:
		a->dg.hash = self->hash;
		break;
	}
	a->info.size = variant->ver0;	/* size is first in every struct */
	return ret;
}

/* Put @a (ver0 bytes) at @p, zeros up to @size, then the canary. */
static void place(const FIXTURE_VARIANT(args) *variant, unsigned char *p,
		  const union anyarg *a, uint32_t size)
{
	memcpy(p, a, variant->ver0);
	if (size > variant->ver0)
		memset(p + variant->ver0, 0, size - variant->ver0);
	memset(p + (size > variant->ver0 ? size : variant->ver0), CANARY,
	       CANARY_LEN);
}

static bool canary_intact(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != CANARY)
			return false;
	return true;
}

/*
 * Issue the variant's ioctl with argument @p, built from @a.  @want is 0 or
 * a negative errno; on success the effect is checked, on failure the
 * absence of any effect.
 */
static void attempt(struct __test_metadata *_metadata,
		    FIXTURE_DATA(args) *self,
		    const FIXTURE_VARIANT(args) *variant,
		    unsigned long cmd, void *p, const union anyarg *a,
		    int want, const char *what)
{
	int live0, live1, ret;
	union anyarg out;

	live0 = sp_live_objects(self->fd);
	ret = sp_ioctl(self->fd, cmd, p);
	ASSERT_EQ(want, ret)
		TH_LOG("%s %s at %p: got %s, want %s", variant->name, what, p,
		       sp_errname(ret), sp_errname(want));
	live1 = sp_live_objects(self->fd);

	if (want) {
		EXPECT_EQ(live0, live1)
			TH_LOG("%s %s failed but changed the object count",
			       variant->name, what);
		if (variant->kind == K_FREE) {
			EXPECT_EQ(0, sp_hash_update(self->fd, a->fr.handle, "x", 1))
				TH_LOG("a failed FREE freed the object");
			sp_free(self->fd, a->fr.handle);
		}
		return;
	}

	memcpy(&out, p, variant->ver0);
	EXPECT_EQ(a->info.size, out.info.size)
		TH_LOG("%s %s: the size field changed", variant->name, what);
	switch (variant->kind) {
	case K_INFO:
		EXPECT_EQ(SSLPROV_ABI_VERSION, out.info.abi_version)
			TH_LOG("%s: no output written", what);
		EXPECT_EQ(live0, (int)out.info.live_objects);
		EXPECT_EQ(0, out.info.__reserved);
		break;
	case K_FREE:
		EXPECT_EQ(live0 - 1, live1);
		EXPECT_EQ(-EBADF, sp_free(self->fd, a->fr.handle))
			TH_LOG("%s: the object is still there", what);
		break;
	case K_CREATE:
		EXPECT_EQ(live0 + 1, live1);
		EXPECT_NE(0, out.cr.handle) TH_LOG("%s: no handle written", what);
		EXPECT_EQ(0, sp_hash_update(self->fd, out.cr.handle, "x", 1));
		EXPECT_EQ(0, sp_free(self->fd, out.cr.handle));
		break;
	case K_UPDATE:
		EXPECT_EQ(live0, live1);
		break;
	case K_DIGEST:
		/* self->hash is never updated here: SHA-256 of nothing. */
		EXPECT_EQ(32, out.dg.len) TH_LOG("%s: digest length", what);
		EXPECT_EQ(0, memcmp(out.dg.digest, "\xe3\xb0\xc4\x42\x98\xfc", 6))
			TH_LOG("%s: not the SHA-256 of the empty transcript", what);
		EXPECT_EQ(live0, live1);
		break;
	}
	/* Input-only structures are not written to at all. */
	if (!variant->writes_back) {
		EXPECT_EQ(0, memcmp(p, a, variant->ver0))
			TH_LOG("%s %s: the kernel wrote into an input-only argument",
			       variant->name, what);
	}
}

static unsigned char *at(FIXTURE_DATA(args) *self, size_t off)
{
	return self->rw + 64 + off;
}

TEST_F_TIMEOUT(args, valid_at_any_alignment, SP_TIMEOUT)
{
	union anyarg a;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(offsets); i++) {
		ASSERT_EQ(0, prepare(self, variant, &a));
		place(variant, at(self, offsets[i]), &a, variant->ver0);
		attempt(_metadata, self, variant, variant->cmd,
			at(self, offsets[i]), &a, 0, "valid");
		EXPECT_TRUE(canary_intact(at(self, offsets[i]) + variant->ver0,
					  CANARY_LEN))
			TH_LOG("written past the caller's size (offset %zu)",
			       offsets[i]);
	}
}

TEST_F_TIMEOUT(args, size_too_small, SP_TIMEOUT)
{
	union anyarg a;
	uint32_t size;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(offsets); i += 2) {
		for (size = 0; size < variant->ver0; size++) {
			ASSERT_EQ(0, prepare(self, variant, &a));
			a.info.size = size;
			place(variant, at(self, offsets[i]), &a, variant->ver0);
			attempt(_metadata, self, variant, variant->cmd,
				at(self, offsets[i]), &a, -EINVAL, "size < VER0");
		}
	}
}

TEST_F_TIMEOUT(args, size_too_big, SP_TIMEOUT)
{
	static const uint32_t sizes[] = {
		SP_MAX_ARG_SIZE + 1, SP_MAX_ARG_SIZE + 4, 2 * SP_MAX_ARG_SIZE,
		65536, 0x7fffffff, 0x80000000, 0xffffffff,
	};
	unsigned char *end;
	union anyarg a;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (j = 0; j < ARRAY_SIZE(offsets); j += 3) {
			ASSERT_EQ(0, prepare(self, variant, &a));
			a.info.size = sizes[i];
			place(variant, at(self, offsets[j]), &a, variant->ver0);
			attempt(_metadata, self, variant, variant->cmd,
				at(self, offsets[j]), &a, -E2BIG, "size > page");
		}
		/* Refused on the size alone, whatever follows in memory. */
		ASSERT_EQ(0, prepare(self, variant, &a));
		a.info.size = sizes[i];
		end = self->rw + 2 * self->pg - variant->ver0;
		memcpy(end, &a, variant->ver0);
		attempt(_metadata, self, variant, variant->cmd, end, &a, -E2BIG,
			"size > page, at the end of the mapping");
	}
}

TEST_F_TIMEOUT(args, larger_size_zero_tail, SP_TIMEOUT)
{
	uint32_t sizes[] = {
		variant->ver0 + 1, variant->ver0 + 3, variant->ver0 + 4,
		variant->ver0 + 8, 64, 256, SP_MAX_ARG_SIZE - 1, SP_MAX_ARG_SIZE,
	};
	unsigned char *p;
	union anyarg a;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (j = 0; j < ARRAY_SIZE(offsets); j += 2) {
			p = at(self, offsets[j]);
			ASSERT_EQ(0, prepare(self, variant, &a));
			a.info.size = sizes[i];
			place(variant, p, &a, sizes[i]);
			attempt(_metadata, self, variant, variant->cmd, p, &a, 0,
				"size > ksize, zero tail");
			EXPECT_TRUE(canary_intact(p + sizes[i], CANARY_LEN))
				TH_LOG("size %u: written past the caller's size",
				       sizes[i]);
			/* The part the kernel does not know stays zero. */
			for (size_t k = variant->ksize; k < sizes[i]; k++) {
				ASSERT_EQ(0, p[k])
					TH_LOG("size %u: byte %zu of the unknown tail written",
					       sizes[i], k);
			}
		}
	}
}

TEST_F_TIMEOUT(args, larger_size_nonzero_tail, SP_TIMEOUT)
{
	struct { uint32_t size; uint32_t at; unsigned char val; } cases[] = {
		{ variant->ver0 + 1, variant->ver0, 1 },
		{ variant->ver0 + 8, variant->ver0, 0x80 },
		{ variant->ver0 + 8, variant->ver0 + 7, 1 },
		{ 256, 200, 0xff },
		{ SP_MAX_ARG_SIZE, SP_MAX_ARG_SIZE - 1, 1 },
	};
	unsigned char *p;
	union anyarg a;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (j = 0; j < ARRAY_SIZE(offsets); j += 2) {
			p = at(self, offsets[j]);
			ASSERT_EQ(0, prepare(self, variant, &a));
			a.info.size = cases[i].size;
			place(variant, p, &a, cases[i].size);
			p[cases[i].at] = cases[i].val;
			attempt(_metadata, self, variant, variant->cmd, p, &a,
				-E2BIG, "non-zero byte in the unknown tail");
		}
	}
}

TEST_F_TIMEOUT(args, flags_must_be_zero, SP_TIMEOUT)
{
	union anyarg a;
	int bit;

	for (bit = 0; bit < 32; bit++) {
		ASSERT_EQ(0, prepare(self, variant, &a));
		a.info.flags = 1U << bit;	/* flags are second everywhere */
		place(variant, at(self, bit & 3), &a, variant->ver0);
		attempt(_metadata, self, variant, variant->cmd, at(self, bit & 3),
			&a, -EINVAL, "unknown flag");
	}
}

TEST_F_TIMEOUT(args, reserved_must_be_zero, SP_TIMEOUT)
{
	static const uint32_t values[] = { 1, 0x100, 0x80000000, 0xffffffff };
	union anyarg a;
	size_t i;

	if (variant->reserved_off < 0)
		SKIP(return, "%s has no input __reserved field", variant->name);
	for (i = 0; i < ARRAY_SIZE(values); i++) {
		ASSERT_EQ(0, prepare(self, variant, &a));
		memcpy(a.raw + variant->reserved_off, &values[i], 4);
		place(variant, at(self, i), &a, variant->ver0);
		attempt(_metadata, self, variant, variant->cmd, at(self, i), &a,
			-EINVAL, "non-zero __reserved");
	}
}

/* Output fields are outputs: what the caller left in them does not matter. */
TEST_F_TIMEOUT(args, output_fields_ignored_on_input, SP_TIMEOUT)
{
	union anyarg a;

	if (!variant->writes_back)
		SKIP(return, "%s has no output fields", variant->name);
	ASSERT_EQ(0, prepare(self, variant, &a));
	if (variant->kind == K_INFO) {
		a.info.abi_version = 0xdeadbeef;
		a.info.max_objects = 0xdeadbeef;
		a.info.features = ~0ULL;
		a.info.live_objects = 0xdeadbeef;
		a.info.__reserved = 0xdeadbeef;
	} else if (variant->kind == K_DIGEST) {
		a.dg.len = 0xdeadbeef;
		memset(a.dg.digest, 0x5a, sizeof(a.dg.digest));
	} else {
		a.cr.handle = 0xdeadbeef;
	}
	place(variant, at(self, 0), &a, variant->ver0);
	attempt(_metadata, self, variant, variant->cmd, at(self, 0), &a, 0,
		"garbage in output fields");
}

TEST_F_TIMEOUT(args, bad_pointers, SP_TIMEOUT)
{
	unsigned char *end = self->rw + 2 * self->pg;	/* the guard page */
	struct { void *p; const char *what; } cases[] = {
		{ NULL, "NULL" },
		{ (void *)1, "address 1" },
		{ sp_unmapped_addr(), "unmapped" },
		{ (char *)sp_unmapped_addr() + 3, "unmapped, misaligned" },
		{ end, "PROT_NONE page" },
		{ end - 2, "size field straddling into PROT_NONE" },
		{ end - 4, "only the size field mapped" },
		{ end - 5, "only the size field mapped, misaligned" },
		{ (void *)0xffff888000000000ULL, "kernel address" },
		{ (void *)0x8000000000000000ULL, "non-canonical address" },
		{ (void *)~0ULL, "address ~0" },
	};
	union anyarg a;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(0, prepare(self, variant, &a));
		if ((unsigned char *)cases[i].p >= end - 8 &&
		    (unsigned char *)cases[i].p < end)
			memcpy(cases[i].p, &a, end - (unsigned char *)cases[i].p);
		attempt(_metadata, self, variant, variant->cmd, cases[i].p, &a,
			-EFAULT, cases[i].what);
	}

	/* Mapped up to exactly its size: fine. */
	ASSERT_EQ(0, prepare(self, variant, &a));
	memcpy(end - variant->ver0, &a, variant->ver0);
	attempt(_metadata, self, variant, variant->cmd, end - variant->ver0,
		&a, 0, "ending at a PROT_NONE page");

	/* A larger size whose tail lies in the PROT_NONE page. */
	ASSERT_EQ(0, prepare(self, variant, &a));
	a.info.size = variant->ver0 + 8;
	memcpy(end - variant->ver0, &a, variant->ver0);
	attempt(_metadata, self, variant, variant->cmd, end - variant->ver0,
		&a, -EFAULT, "unknown tail in a PROT_NONE page");
}

TEST_F_TIMEOUT(args, read_only_argument, SP_TIMEOUT)
{
	union anyarg a;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(offsets); i += 2) {
		ASSERT_EQ(0, mprotect(self->ro, self->pg, PROT_READ | PROT_WRITE));
		ASSERT_EQ(0, prepare(self, variant, &a));
		place(variant, self->ro + offsets[i], &a, variant->ver0);
		ASSERT_EQ(0, mprotect(self->ro, self->pg, PROT_READ));
		/* Input-only calls work; a result that cannot be written is
		 * EFAULT, and a HASH_CREATE that fails so leaves no object.
		 */
		attempt(_metadata, self, variant, variant->cmd,
			self->ro + offsets[i], &a,
			variant->writes_back ? -EFAULT : 0, "in read-only memory");
	}
}

/* "The size bits of the ioctl number are ignored when dispatching." */
TEST_F_TIMEOUT(args, ioctl_size_bits_ignored, SP_TIMEOUT)
{
	const unsigned int sizes[] = {
		0, 1, variant->ver0 - 1, variant->ver0 + 8, 4096, _IOC_SIZEMASK,
	};
	unsigned long cmd;
	union anyarg a;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		cmd = _IOC(_IOC_DIR(variant->cmd), _IOC_TYPE(variant->cmd),
			   _IOC_NR(variant->cmd), sizes[i]);
		ASSERT_EQ(0, prepare(self, variant, &a));
		place(variant, at(self, i), &a, variant->ver0);
		attempt(_metadata, self, variant, cmd, at(self, i), &a, 0,
			"with other size bits in the ioctl number");
	}
}

/* The direction bits are part of the number: only the size bits are not. */
TEST_F_TIMEOUT(args, ioctl_other_direction, SP_TIMEOUT)
{
	static const unsigned int dirs[] = {
		_IOC_NONE, _IOC_READ, _IOC_WRITE, _IOC_READ | _IOC_WRITE,
	};
	unsigned long cmd;
	union anyarg a;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (dirs[i] == _IOC_DIR(variant->cmd))
			continue;
		cmd = _IOC(dirs[i], _IOC_TYPE(variant->cmd),
			   _IOC_NR(variant->cmd), _IOC_SIZE(variant->cmd));
		ASSERT_EQ(0, prepare(self, variant, &a));
		place(variant, at(self, 0), &a, variant->ver0);
		attempt(_metadata, self, variant, cmd, at(self, 0), &a, -ENOTTY,
			"with another direction");
	}
}

TEST_HARNESS_MAIN
