// SPDX-License-Identifier: GPL-2.0
/*
 * ABI rules that hold for every ioctl of uapi/linux/sslprov.h, whatever it
 * does: the argument size rules and bad argument pointers (one
 * FIXTURE_VARIANT per ioctl), size bits of the number ignored, direction
 * bits not, and ENOTTY for every number nobody defined.
 *
 * The rules are checked in depth, with valid structures, for the object
 * model's ioctls in args_test.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sslprov_test.h"

/* --- the size and pointer rules, for every ioctl of the header ---------- */

/*
 * These cases fail in sslprov_copy_args()-like code before anything else
 * looks at the structure, so they need no valid content: the structure
 * is all zeros apart from its size.  An ioctl the module does not answer
 * yet (ENOTTY) is skipped.
 */
FIXTURE(rules) {
	int fd;
	unsigned char *rw;	/* 2 pages + guard */
	long pg;
};

FIXTURE_VARIANT(rules) {
	const char *name;
	unsigned long cmd;
	uint32_t ver0;
	uint32_t known;		/* the latest version's size */
};

#define RULES_VARIANT_V(_id, _cmd, _ver0, _known)		\
	FIXTURE_VARIANT_ADD(rules, _id) {			\
		.name = #_cmd, .cmd = _cmd, .ver0 = _ver0,	\
		.known = _known,				\
	}
#define RULES_VARIANT(_id, _cmd, _ver0)	RULES_VARIANT_V(_id, _cmd, _ver0, _ver0)

RULES_VARIANT(get_info, SSLPROV_IOC_GET_INFO, SSLPROV_INFO_SIZE_VER0);
RULES_VARIANT(free, SSLPROV_IOC_FREE, SSLPROV_FREE_SIZE_VER0);
RULES_VARIANT(hash_create, SSLPROV_IOC_HASH_CREATE, SSLPROV_HASH_CREATE_SIZE_VER0);
RULES_VARIANT(hash_update, SSLPROV_IOC_HASH_UPDATE, SSLPROV_HASH_UPDATE_SIZE_VER0);
#ifdef SSLPROV_IOC_HASH_DIGEST
RULES_VARIANT(hash_digest, SSLPROV_IOC_HASH_DIGEST, SSLPROV_HASH_DIGEST_SIZE_VER0);
#endif
#ifdef SSLPROV_IOC_KEY_LOAD
RULES_VARIANT(key_load, SSLPROV_IOC_KEY_LOAD, SSLPROV_KEY_LOAD_SIZE_VER0);
RULES_VARIANT(key_list, SSLPROV_IOC_KEY_LIST, SSLPROV_KEY_LIST_SIZE_VER0);
RULES_VARIANT(key_unload, SSLPROV_IOC_KEY_UNLOAD, SSLPROV_KEY_REF_SIZE_VER0);
RULES_VARIANT(key_open, SSLPROV_IOC_KEY_OPEN, SSLPROV_KEY_REF_SIZE_VER0);
RULES_VARIANT(key_import, SSLPROV_IOC_KEY_IMPORT, SSLPROV_KEY_IMPORT_SIZE_VER0);
#endif
#ifdef SSLPROV_IOC_PUBKEY_IMPORT
RULES_VARIANT(pubkey_import, SSLPROV_IOC_PUBKEY_IMPORT, SSLPROV_PUBKEY_IMPORT_SIZE_VER0);
RULES_VARIANT(pubkey_export, SSLPROV_IOC_PUBKEY_EXPORT, SSLPROV_PUBKEY_EXPORT_SIZE_VER0);
#endif
#ifdef SSLPROV_IOC_MASTER_IMPORT
RULES_VARIANT(master_import, SSLPROV_IOC_MASTER_IMPORT, SSLPROV_MASTER_IMPORT_SIZE_VER0);
RULES_VARIANT(session_keys, SSLPROV_IOC_SESSION_KEYS, SSLPROV_SESSION_KEYS_SIZE_VER0);
RULES_VARIANT_V(finished, SSLPROV_IOC_FINISHED, SSLPROV_FINISHED_SIZE_VER0,
		SSLPROV_FINISHED_SIZE_VER1);
#endif
#ifdef SSLPROV_IOC_ENCRYPT
RULES_VARIANT(encrypt, SSLPROV_IOC_ENCRYPT, SSLPROV_RECORD_SIZE_VER0);
RULES_VARIANT(decrypt, SSLPROV_IOC_DECRYPT, SSLPROV_RECORD_SIZE_VER0);
#endif
#ifdef SSLPROV_IOC_KTLS_ATTACH
RULES_VARIANT(ktls_attach, SSLPROV_IOC_KTLS_ATTACH, SSLPROV_KTLS_SIZE_VER0);
#endif

FIXTURE_SETUP(rules)
{
	unsigned char *p;
	int ret;

	self->fd = -1;
	SP_REQUIRE_DEVICE();
	self->pg = sysconf(_SC_PAGESIZE);
	self->rw = sp_map_guarded(2);
	ASSERT_NE(NULL, self->rw);
	self->fd = sp_open();
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", sp_errname(self->fd));
	/* Probe: is the ioctl there at all? */
	p = self->rw;
	memset(p, 0, variant->ver0);
	memcpy(p, &variant->ver0, 4);
	ret = sp_ioctl(self->fd, variant->cmd, p);
	if (ret == -ENOTTY)
		SP_SKIP_SETUP("%s: not answered by this module (ENOTTY)",
			      variant->name);
}

FIXTURE_TEARDOWN(rules)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->rw)
		munmap(self->rw, 3 * self->pg);
}

/* A zeroed structure of @size at @p (size field set), @tail bytes more. */
static unsigned char *zeroed(unsigned char *p, uint32_t size, size_t len)
{
	memset(p, 0, len);
	memcpy(p, &size, sizeof(size));
	return p;
}

TEST_F_TIMEOUT(rules, size_below_ver0, SP_TIMEOUT)
{
	uint32_t sizes[] = { 0, 1, 4, 8, variant->ver0 / 2, variant->ver0 - 1 };
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		zeroed(self->rw + (i & 3), sizes[i], 2 * variant->ver0);
		ret = sp_ioctl(self->fd, variant->cmd, self->rw + (i & 3));
		ASSERT_EQ(-EINVAL, ret) TH_LOG("%s with size %u: %s", variant->name,
					       sizes[i], sp_errname(ret));
	}
}

TEST_F_TIMEOUT(rules, size_above_page, SP_TIMEOUT)
{
	static const uint32_t sizes[] = {
		SP_MAX_ARG_SIZE + 1, 65536, 0x80000000, 0xffffffff,
	};
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		zeroed(self->rw + (i & 3), sizes[i], 2 * self->pg - 4);
		ret = sp_ioctl(self->fd, variant->cmd, self->rw + (i & 3));
		ASSERT_EQ(-E2BIG, ret) TH_LOG("%s with size %u: %s", variant->name,
					      sizes[i], sp_errname(ret));
	}
}

TEST_F_TIMEOUT(rules, nonzero_unknown_tail, SP_TIMEOUT)
{
	uint32_t size = variant->known + 16;
	unsigned char *p;
	int i, ret;

	for (i = 0; i < 16; i += 5) {
		p = zeroed(self->rw + (i & 3), size, size);
		p[variant->known + i] = 0x01;
		ret = sp_ioctl(self->fd, variant->cmd, p);
		ASSERT_EQ(-E2BIG, ret)
			TH_LOG("%s, size %u, byte %u of the tail set: %s",
			       variant->name, size, variant->known + i,
			       sp_errname(ret));
	}
}

TEST_F_TIMEOUT(rules, bad_pointers, SP_TIMEOUT)
{
	unsigned char *end = self->rw + 2 * self->pg;
	struct { void *p; const char *what; } cases[] = {
		{ NULL, "NULL" },
		{ sp_unmapped_addr(), "unmapped" },
		{ end, "PROT_NONE" },
		{ end - 4, "only the size field mapped" },
		{ (void *)0xffff888000000000ULL, "kernel address" },
	};
	uint32_t size = variant->ver0;
	size_t i;
	int ret;

	memset(end - 8, 0, 8);
	memcpy(end - 4, &size, 4);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ret = sp_ioctl(self->fd, variant->cmd, cases[i].p);
		ASSERT_EQ(-EFAULT, ret) TH_LOG("%s at %s: %s", variant->name,
					       cases[i].what, sp_errname(ret));
	}
	/* Unknown tail in the PROT_NONE page. */
	size = variant->known + 8;
	zeroed(end - variant->known, size, variant->known);
	ret = sp_ioctl(self->fd, variant->cmd, end - variant->known);
	ASSERT_EQ(-EFAULT, ret) TH_LOG("%s with its tail unmapped: %s",
				       variant->name, sp_errname(ret));
}

/* Other size bits: the same answer as the canonical number. */
TEST_F_TIMEOUT(rules, size_bits_ignored, SP_TIMEOUT)
{
	unsigned int sizes[] = { 0, 1, variant->ver0 + 8, _IOC_SIZEMASK };
	unsigned long cmd;
	int want, ret;
	size_t i;

	/* A size below VER0 is refused the same way whatever the number. */
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		cmd = _IOC(_IOC_DIR(variant->cmd), _IOC_TYPE(variant->cmd),
			   _IOC_NR(variant->cmd), sizes[i]);
		zeroed(self->rw, variant->ver0 - 1, variant->ver0);
		ret = sp_ioctl(self->fd, cmd, self->rw);
		ASSERT_EQ(-EINVAL, ret) TH_LOG("%s as %#lx: %s", variant->name,
					       cmd, sp_errname(ret));
	}
	/* And a plausible structure gets the canonical number's answer. */
	zeroed(self->rw, variant->ver0, variant->ver0);
	want = sp_ioctl(self->fd, variant->cmd, self->rw);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		cmd = _IOC(_IOC_DIR(variant->cmd), _IOC_TYPE(variant->cmd),
			   _IOC_NR(variant->cmd), sizes[i]);
		zeroed(self->rw, variant->ver0, variant->ver0);
		ret = sp_ioctl(self->fd, cmd, self->rw);
		ASSERT_EQ(want, ret) TH_LOG("%s as %#lx: %s, canonical: %s",
					    variant->name, cmd, sp_errname(ret),
					    sp_errname(want));
	}
}

TEST_F_TIMEOUT(rules, other_direction, SP_TIMEOUT)
{
	static const unsigned int dirs[] = {
		_IOC_NONE, _IOC_READ, _IOC_WRITE, _IOC_READ | _IOC_WRITE,
	};
	unsigned long cmd;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (dirs[i] == _IOC_DIR(variant->cmd))
			continue;
		cmd = _IOC(dirs[i], _IOC_TYPE(variant->cmd),
			   _IOC_NR(variant->cmd), _IOC_SIZE(variant->cmd));
		zeroed(self->rw, variant->ver0, variant->ver0);
		ret = sp_ioctl(self->fd, cmd, self->rw);
		ASSERT_EQ(-ENOTTY, ret) TH_LOG("%s with direction %u: %s",
					       variant->name, dirs[i],
					       sp_errname(ret));
	}
}

/* --- ioctl numbers nobody defined --------------------------------------- */

FIXTURE(numbers) {
	int fd;
	unsigned char buf[256];
};

FIXTURE_SETUP(numbers)
{
	self->fd = -1;
	SP_REQUIRE_DEVICE();
	self->fd = sp_open();
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", sp_errname(self->fd));
	ASSERT_EQ(0, sp_new_hash(self->fd, NULL));
}

FIXTURE_TEARDOWN(numbers)
{
	if (self->fd >= 0)
		close(self->fd);
}

static int is_known(unsigned int nr)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sp_known_cmds); i++)
		if (_IOC_NR(sp_known_cmds[i].cmd) == nr)
			return 1;
	return 0;
}

/*
 * Every other number gives ENOTTY.  The argument is a valid GET_INFO-sized
 * structure, so a number wrongly taken for a known one would succeed.
 */
TEST_F_TIMEOUT(numbers, unknown_nr, SP_TIMEOUT)
{
	static const unsigned int dirs[] = {
		_IOC_NONE, _IOC_READ, _IOC_WRITE, _IOC_READ | _IOC_WRITE,
	};
	static const unsigned int sizes[] = { 0, 16, 32 };
	unsigned int nr, d, s;
	unsigned long cmd;
	int ret;

	for (nr = 0; nr <= _IOC_NRMASK; nr++) {
		if (is_known(nr))
			continue;
		for (d = 0; d < ARRAY_SIZE(dirs); d++) {
			for (s = 0; s < ARRAY_SIZE(sizes); s++) {
				memset(self->buf, 0, sizeof(self->buf));
				self->buf[0] = 32;
				cmd = _IOC(dirs[d], SSLPROV_IOC_MAGIC, nr, sizes[s]);
				ret = sp_ioctl(self->fd, cmd, self->buf);
				ASSERT_EQ(-ENOTTY, ret)
					TH_LOG("ioctl %#lx (nr %#x): %s; a new ioctl missing from sp_known_cmds[]?",
					       cmd, nr, sp_errname(ret));
			}
		}
	}
	EXPECT_EQ(1, sp_live_objects(self->fd));
}

TEST_F_TIMEOUT(numbers, other_magic, SP_TIMEOUT)
{
	/*
	 * Not 0x00, 0x15, 'T', 'X', 'f' or 0x94: the VFS answers some
	 * numbers of those itself (FIOCLEX, FIGETBSZ, FS_IOC_*, FICLONE...).
	 */
	static const unsigned int magics[] = {
		0x01, 0x45, 0x67, 0xa7, 0xe6, 0xe8, 0xf7, 0xff,
	};
	static const unsigned int nrs[] = { 0x00, 0x01, 0x10, 0x11, 0x42, 0xff };
	static const unsigned int dirs[] = {
		_IOC_NONE, _IOC_READ, _IOC_WRITE, _IOC_READ | _IOC_WRITE,
	};
	unsigned int m, n, d;
	unsigned long cmd;
	int ret;

	for (m = 0; m < ARRAY_SIZE(magics); m++) {
		for (n = 0; n < ARRAY_SIZE(nrs); n++) {
			for (d = 0; d < ARRAY_SIZE(dirs); d++) {
				memset(self->buf, 0, sizeof(self->buf));
				self->buf[0] = 32;
				cmd = _IOC(dirs[d], magics[m], nrs[n], 32);
				ret = sp_ioctl(self->fd, cmd, self->buf);
				ASSERT_EQ(-ENOTTY, ret)
					TH_LOG("ioctl %#lx (magic %#x): %s", cmd,
					       magics[m], sp_errname(ret));
			}
		}
	}
	EXPECT_EQ(1, sp_live_objects(self->fd));
}

TEST_HARNESS_MAIN
