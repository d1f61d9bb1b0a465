// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded randomized ioctl tests: thousands of random calls (numbers with
 * our magic and others, random sizes, flags, handles and pointers incl.
 * NULL, unmapped, read-only, misaligned and page-straddling ones), then
 * threads racing on one file.  Every call must return, with success or an
 * error; where the ABI fixes the answer (bad pointer, size rules, unknown
 * number) it is checked.  At the end every file is closed and the module's
 * counters must be back where they were.
 *
 * The seed is printed; replay a failure with SSLPROV_SEED=<seed>.  The
 * number of calls is SSLPROV_FUZZ_ITERS (default 4000).  SSLPROV_FUZZ_SECONDS
 * (unset by default) also bounds random_ioctls and threads_one_file by time,
 * each, and then lifts the default call count: "make fuzz" runs them for
 * minutes (keep it under the 900 s test timeout).  The number of calls made
 * is printed, so a time-bounded failure replays with SSLPROV_SEED and
 * SSLPROV_FUZZ_ITERS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sslprov_test.h"

#define NFDS		3

/* SSLPROV_FUZZ_SECONDS from now, in CLOCK_MONOTONIC ns; 0 when unset. */
static uint64_t fuzz_deadline(void)
{
	unsigned long secs = sp_env_ulong("SSLPROV_FUZZ_SECONDS", 0);
	struct timespec ts;

	if (!secs)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec +
	       (uint64_t)secs * 1000000000ULL;
}

static bool fuzz_expired(uint64_t deadline)
{
	struct timespec ts;

	if (!deadline)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec >=
	       deadline;
}

/* SSLPROV_FUZZ_ITERS; without it, 4000, or no limit when time-bounded. */
static unsigned long fuzz_iters(uint64_t deadline)
{
	return sp_env_ulong("SSLPROV_FUZZ_ITERS", deadline ? ~0UL : 4000);
}
#define MAX_TRACKED	64
#define ARENA_PAGES	4

/* What the fuzzer knows of each ioctl: enough to aim, not to be valid. */
struct cmd_info {
	const char *name;
	unsigned long cmd;
	uint32_t ver0;
	int handle_off[2];	/* __u32 handles to fill from live ones */
	int ptr_off[2];		/* __u64 user pointers */
	int len_off;		/* a __u32 length for the first pointer */
	int out_handle_off;	/* where a new handle comes back, or -1 */
	bool object_model;	/* strict errno set */
};

#define NONE	{ -1, -1 }

static const struct cmd_info cmds[] = {
	{ "GET_INFO", SSLPROV_IOC_GET_INFO, SSLPROV_INFO_SIZE_VER0,
	  NONE, NONE, -1, -1, true },
	{ "FREE", SSLPROV_IOC_FREE, SSLPROV_FREE_SIZE_VER0,
	  { offsetof(struct sslprov_free, handle), -1 }, NONE, -1, -1, true },
	{ "HASH_CREATE", SSLPROV_IOC_HASH_CREATE, SSLPROV_HASH_CREATE_SIZE_VER0,
	  NONE, NONE, -1, offsetof(struct sslprov_hash_create, handle), true },
	{ "HASH_UPDATE", SSLPROV_IOC_HASH_UPDATE, SSLPROV_HASH_UPDATE_SIZE_VER0,
	  { offsetof(struct sslprov_hash_update, handle), -1 },
	  { offsetof(struct sslprov_hash_update, data), -1 },
	  offsetof(struct sslprov_hash_update, len), -1, true },
#ifdef SSLPROV_IOC_HASH_DIGEST
	{ "HASH_DIGEST", SSLPROV_IOC_HASH_DIGEST, SSLPROV_HASH_DIGEST_SIZE_VER0,
	  { offsetof(struct sslprov_hash_digest, hash), -1 }, NONE, -1, -1,
	  true },
#endif
#ifdef SSLPROV_IOC_KEY_LOAD
	/*
	 * KEY_LOAD and KEY_UNLOAD change the global key store: left out, so
	 * that a random call can never load or drop a key other tests use.
	 */
	{ "KEY_LIST", SSLPROV_IOC_KEY_LIST, SSLPROV_KEY_LIST_SIZE_VER0,
	  NONE, { offsetof(struct sslprov_key_list, entries), -1 },
	  offsetof(struct sslprov_key_list, count), -1, false },
	{ "KEY_OPEN", SSLPROV_IOC_KEY_OPEN, SSLPROV_KEY_REF_SIZE_VER0,
	  NONE, NONE, -1, offsetof(struct sslprov_key_ref, handle), false },
	{ "KEY_IMPORT", SSLPROV_IOC_KEY_IMPORT, SSLPROV_KEY_IMPORT_SIZE_VER0,
	  NONE, { offsetof(struct sslprov_key_import, der), -1 },
	  offsetof(struct sslprov_key_import, der_len),
	  offsetof(struct sslprov_key_import, handle), false },
#endif
#ifdef SSLPROV_IOC_PUBKEY_IMPORT
	{ "PUBKEY_IMPORT", SSLPROV_IOC_PUBKEY_IMPORT,
	  SSLPROV_PUBKEY_IMPORT_SIZE_VER0,
	  NONE, { offsetof(struct sslprov_pubkey_import, der), -1 },
	  offsetof(struct sslprov_pubkey_import, der_len),
	  offsetof(struct sslprov_pubkey_import, handle), false },
	{ "PUBKEY_EXPORT", SSLPROV_IOC_PUBKEY_EXPORT,
	  SSLPROV_PUBKEY_EXPORT_SIZE_VER0,
	  { offsetof(struct sslprov_pubkey_export, handle), -1 },
	  { offsetof(struct sslprov_pubkey_export, buf), -1 },
	  offsetof(struct sslprov_pubkey_export, buf_len), -1, false },
#endif
#ifdef SSLPROV_IOC_MASTER_IMPORT
	{ "MASTER_IMPORT", SSLPROV_IOC_MASTER_IMPORT,
	  SSLPROV_MASTER_IMPORT_SIZE_VER0,
	  { offsetof(struct sslprov_master_import, private_key), -1 },
	  { offsetof(struct sslprov_master_import, enc), -1 },
	  offsetof(struct sslprov_master_import, enc_len),
	  offsetof(struct sslprov_master_import, handle), false },
	{ "SESSION_KEYS", SSLPROV_IOC_SESSION_KEYS,
	  SSLPROV_SESSION_KEYS_SIZE_VER0,
	  { offsetof(struct sslprov_session_keys, master_key), -1 }, NONE, -1,
	  offsetof(struct sslprov_session_keys, read_key), false },
	{ "FINISHED", SSLPROV_IOC_FINISHED, SSLPROV_FINISHED_SIZE_VER1,
	  { offsetof(struct sslprov_finished, master_key),
	    offsetof(struct sslprov_finished, hash) },
	  { offsetof(struct sslprov_finished, out),
	    offsetof(struct sslprov_finished, pending) },
	  offsetof(struct sslprov_finished, out_len), -1, false },
#endif
#ifdef SSLPROV_IOC_ENCRYPT
	{ "ENCRYPT", SSLPROV_IOC_ENCRYPT, SSLPROV_RECORD_SIZE_VER0,
	  { offsetof(struct sslprov_record, key), -1 },
	  { offsetof(struct sslprov_record, in),
	    offsetof(struct sslprov_record, out) },
	  offsetof(struct sslprov_record, in_len), -1, false },
	{ "DECRYPT", SSLPROV_IOC_DECRYPT, SSLPROV_RECORD_SIZE_VER0,
	  { offsetof(struct sslprov_record, key), -1 },
	  { offsetof(struct sslprov_record, in),
	    offsetof(struct sslprov_record, out) },
	  offsetof(struct sslprov_record, in_len), -1, false },
#endif
	/* KTLS_ATTACH: its fd field could name one of our own files. */
};

/* The errors the object model's ioctls may give for random input. */
static bool object_model_errno(int err)
{
	switch (-err) {
	case 0: case EBADF: case EINVAL: case EFAULT: case E2BIG:
	case EOPNOTSUPP: case ENOSPC: case ENOMEM:
		return true;
	}
	return false;
}

/*
 * Magic numbers for "not ours": never 0x00, 0x15, 'T', 'X', 'f' or 0x94,
 * whose numbers the VFS partly answers itself (FIOCLEX, FIONBIO, FIFREEZE,
 * FS_IOC_*, FICLONE...), on any file.
 */
static bool vfs_magic(unsigned int magic)
{
	return magic == 0x00 || magic == 0x15 || magic == 'T' ||
	       magic == 'X' || magic == 'f' || magic == 0x94;
}

enum ptr_kind {
	P_ARENA,	/* fully inside the read-write arena */
	P_STRADDLE,	/* runs into the PROT_NONE guard page */
	P_RO,		/* read-only page */
	P_BAD,		/* NULL, unmapped, kernel, non-canonical, tiny */
};

struct tracked {
	uint32_t h[MAX_TRACKED];
	int n;
};

FIXTURE(fuzz) {
	uint64_t seed, rng;
	struct sp_stats base;
	int fds[NFDS];
	struct tracked live[NFDS];
	size_t pg;
	unsigned char *arena;	/* ARENA_PAGES read-write, then a guard */
	unsigned char *ro;	/* one read-only page */
	void *gone;		/* unmapped */
	bool missing[ARRAY_SIZE(cmds)];	/* ENOTTY: not in this module yet */
	unsigned long calls, errs[256];
};

FIXTURE_SETUP(fuzz)
{
	int i;

	for (i = 0; i < NFDS; i++)
		self->fds[i] = -1;
	SP_REQUIRE_DEVICE();
	self->seed = sp_seed();
	self->rng = self->seed;
	TH_LOG("seed %" PRIu64 " (replay: SSLPROV_SEED=%" PRIu64 ")",
	       self->seed, self->seed);
	ASSERT_EQ(0, sp_stats_read(&self->base));
	self->pg = sysconf(_SC_PAGESIZE);
	self->arena = sp_map_guarded(ARENA_PAGES);
	ASSERT_NE(NULL, self->arena);
	self->ro = mmap(NULL, self->pg, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->ro);
	self->gone = sp_unmapped_addr();
	ASSERT_NE(NULL, self->gone);
	for (i = 0; i < NFDS; i++) {
		self->fds[i] = sp_open();
		ASSERT_LE(0, self->fds[i]);
	}
	/* Ioctls of the header this module does not answer yet. */
	for (i = 0; i < (int)ARRAY_SIZE(cmds); i++) {
		memset(self->arena, 0, cmds[i].ver0);
		memcpy(self->arena, &cmds[i].ver0, 4);
		self->missing[i] = sp_ioctl(self->fds[0], cmds[i].cmd,
					    self->arena) == -ENOTTY;
		if (self->missing[i])
			TH_LOG("%s: not implemented (ENOTTY)", cmds[i].name);
	}
}

FIXTURE_TEARDOWN(fuzz)
{
	int i;

	for (i = 0; i < NFDS; i++)
		if (self->fds[i] >= 0)
			close(self->fds[i]);
	if (self->arena)
		munmap(self->arena, (ARENA_PAGES + 1) * self->pg);
	if (self->ro && self->ro != MAP_FAILED)
		munmap(self->ro, self->pg);
}

static uint32_t rnd(FIXTURE_DATA(fuzz) *self, uint32_t n)
{
	return sp_rand_below(&self->rng, n);
}

static uint32_t rnd32(FIXTURE_DATA(fuzz) *self)
{
	return (uint32_t)(sp_rand64(&self->rng) >> 16);
}

/* A "size" field: mostly right, often wrong in every way. */
static uint32_t pick_size(FIXTURE_DATA(fuzz) *self, uint32_t ver0)
{
	switch (rnd(self, 10)) {
	case 0:
		return rnd(self, ver0);			/* too small */
	case 1:
		return SP_MAX_ARG_SIZE + 1 + rnd(self, 3) * rnd32(self) % 100000;
	case 2:
		return rnd32(self);			/* anything */
	case 3:
	case 4:
		return ver0 + rnd(self, 64);		/* longer */
	default:
		return ver0;
	}
}

/* A value for a user-pointer field (data the kernel reads or writes). */
static uint64_t pick_user_ptr(FIXTURE_DATA(fuzz) *self)
{
	size_t arena_len = ARENA_PAGES * self->pg;

	switch (rnd(self, 8)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)self->gone + rnd(self, 64);
	case 2:
		return 0xffff888000000000ULL + rnd(self, 1 << 20);
	case 3:
		return (uintptr_t)self->ro + rnd(self, self->pg);
	case 4:	/* ending near the guard page */
		return (uintptr_t)self->arena + arena_len - rnd(self, 256);
	default:
		return (uintptr_t)self->arena + rnd(self, arena_len);
	}
}

static uint32_t pick_len(FIXTURE_DATA(fuzz) *self)
{
	switch (rnd(self, 16)) {
	case 0:
		return rnd32(self);
	case 1:
		return SSLPROV_MAX_HASH_INPUT + rnd(self, 2);
	case 2:
		return rnd(self, 65536);
	default:
		return rnd(self, 512);
	}
}

static uint32_t pick_handle(FIXTURE_DATA(fuzz) *self, int fdi)
{
	struct tracked *t = &self->live[fdi];

	if (t->n && rnd(self, 4))
		return t->h[rnd(self, t->n)];
	switch (rnd(self, 4)) {
	case 0:
		return 0;
	case 1:
		return rnd32(self);
	default:
		return 1 + rnd(self, 64);
	}
}

static void track(struct tracked *t, uint32_t h)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (t->h[i] == h)
			return;
	if (t->n < MAX_TRACKED)
		t->h[t->n++] = h;
	else
		t->h[h % MAX_TRACKED] = h;
}

static void untrack(struct tracked *t, uint32_t h)
{
	int i;

	for (i = 0; i < t->n; i++) {
		if (t->h[i] == h) {
			t->h[i] = t->h[--t->n];
			return;
		}
	}
}

/*
 * Where to put the argument structure; @p is set to it and @kind says
 * how much of it the kernel can read.
 */
static enum ptr_kind place_arg(FIXTURE_DATA(fuzz) *self, uint32_t need,
			       unsigned char **p)
{
	size_t arena_len = ARENA_PAGES * self->pg;
	static const uint64_t bad[] = {
		0, 1, 4095, 0xffff888000000000ULL, 0x8000000000000000ULL,
		0xfffffffffffff000ULL, ~0ULL,
	};

	switch (rnd(self, 20)) {
	case 0:
	case 1:
		*p = (unsigned char *)(uintptr_t)bad[rnd(self, ARRAY_SIZE(bad))];
		return P_BAD;
	case 2:
		*p = (unsigned char *)self->gone + rnd(self, 16);
		return P_BAD;
	case 3:
		*p = self->ro + rnd(self, 64);
		return P_RO;
	case 4:
		/* The structure, or its size field, runs into the guard. */
		*p = self->arena + arena_len - 1 - rnd(self, need);
		return P_STRADDLE;
	default:
		*p = self->arena + rnd(self, arena_len - need - 64);
		return P_ARENA;
	}
}

static void fuzz_one(struct __test_metadata *_metadata,
		     FIXTURE_DATA(fuzz) *self, unsigned long iter)
{
	unsigned char buf[SP_MAX_ARG_SIZE + 64], *p;
	const struct cmd_info *ci = NULL;
	uint32_t size, ksize, len, h;
	enum ptr_kind kind;
	unsigned long cmd;
	int fdi, ret, want = 1, i;
	uint64_t ptr;
	size_t n;

	fdi = rnd(self, NFDS);

	/* The number. */
	switch (rnd(self, 20)) {
	case 0: {	/* another magic */
		unsigned int magic;

		do {
			magic = rnd(self, 256);
		} while (magic == SSLPROV_IOC_MAGIC || vfs_magic(magic));
		cmd = _IOC(rnd(self, 4), magic, rnd(self, 256),
			   rnd(self, _IOC_SIZEMASK + 1));
		want = -ENOTTY;
		break;
	}
	case 1:		/* our magic, any number */
		cmd = _IOC(rnd(self, 4), SSLPROV_IOC_MAGIC, rnd(self, 256),
			   rnd(self, _IOC_SIZEMASK + 1));
		for (i = 0; i < (int)ARRAY_SIZE(cmds); i++)
			if (SP_IOC_NOSIZE(cmd) == SP_IOC_NOSIZE(cmds[i].cmd))
				ci = &cmds[i];
		/* Ioctls of the header left out of cmds[] on purpose. */
		if (!ci && sp_known_cmd(cmd))
			return;
		if (!ci)
			want = -ENOTTY;
		break;
	default:
		ci = &cmds[rnd(self, ARRAY_SIZE(cmds))];
		cmd = ci->cmd;
		if (rnd(self, 4) == 0)	/* other size bits: same ioctl */
			cmd = _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd),
				   rnd(self, _IOC_SIZEMASK + 1));
	}

	/* The structure: random words, then aimed fields. */
	ksize = ci ? ci->ver0 : 64;
	size = pick_size(self, ksize);
	n = size < sizeof(buf) ? size : sizeof(buf) - 64;
	if (n < ksize)
		n = ksize;
	for (i = 0; i < (int)(n + 3) / 4; i++) {
		uint32_t w = rnd(self, 3) ? 0 : rnd32(self);

		memcpy(buf + 4 * i, &w, 4);
	}
	memcpy(buf, &size, 4);
	if (rnd(self, 5))
		memset(buf + 4, 0, 4);		/* flags */
	if (rnd(self, 3))
		memset(buf + ksize, 0, n - ksize);	/* clean tail */
	if (ci) {
		for (i = 0; i < 2; i++) {
			if (ci->handle_off[i] < 0)
				continue;
			h = pick_handle(self, fdi);
			memcpy(buf + ci->handle_off[i], &h, 4);
		}
		for (i = 0; i < 2; i++) {
			if (ci->ptr_off[i] < 0)
				continue;
			ptr = pick_user_ptr(self);
			memcpy(buf + ci->ptr_off[i], &ptr, 8);
		}
		if (ci->len_off >= 0) {
			len = pick_len(self);
			memcpy(buf + ci->len_off, &len, 4);
		}
		if (ci->cmd == SSLPROV_IOC_HASH_CREATE) {
			static const uint32_t protos[] = {
				SP_TLS1_0, SP_TLS1_1, SP_TLS1_2, SP_TLS1_2, 0x0300,
			};
			static const uint32_t suites[] = {
				SP_RSA_AES128_GCM_SHA256, SP_RSA_AES256_GCM_SHA384,
				0x002f, 0x0004,
			};
			memcpy(buf + 8, &protos[rnd(self, ARRAY_SIZE(protos))], 4);
			memcpy(buf + 12, &suites[rnd(self, ARRAY_SIZE(suites))], 4);
		}
	}

	/* Where it goes. */
	kind = place_arg(self, n, &p);
	if (kind == P_ARENA) {
		memcpy(p, buf, n);
	} else if (kind == P_STRADDLE) {
		size_t room = self->arena + ARENA_PAGES * self->pg - p;

		memcpy(p, buf, room < n ? room : n);
	} else if (kind == P_RO) {
		ASSERT_EQ(0, mprotect(self->ro, self->pg, PROT_READ | PROT_WRITE));
		memcpy(p, buf, n < self->pg - 64 ? n : self->pg - 64);
		ASSERT_EQ(0, mprotect(self->ro, self->pg, PROT_READ));
		if (n > self->pg - 64)
			kind = P_STRADDLE;	/* past our copy: unknown */
	}

	/* What the ABI says, where it says anything. */
	if (ci && self->missing[ci - cmds])
		want = -ENOTTY;
	if (want == 1 && ci) {
		if (kind == P_BAD)
			want = -EFAULT;
		else if (kind != P_STRADDLE && size < ci->ver0)
			want = -EINVAL;
		else if (kind != P_STRADDLE && size > SP_MAX_ARG_SIZE)
			want = -E2BIG;
	}

	ret = sp_ioctl(self->fds[fdi], cmd, p);
	self->calls++;
	self->errs[-ret < 256 ? -ret : 255]++;

	if (want != 1) {
		ASSERT_EQ(want, ret)
			TH_LOG("call %lu: ioctl %#lx (%s) size %u arg %p (kind %d): %s, want %s; seed %" PRIu64,
			       iter, cmd, ci ? ci->name : "not in sp_known_cmds[]", size, p,
			       kind, sp_errname(ret), sp_errname(want),
			       self->seed);
	}
	if (ci && ci->object_model) {
		ASSERT_TRUE(object_model_errno(ret))
			TH_LOG("call %lu: %s gave %s, not an error of the ABI; seed %" PRIu64,
			       iter, ci->name, sp_errname(ret), self->seed);
	}
	if (ret || !ci)
		return;

	/* Keep handles that came to life, forget freed ones. */
	if (ci->out_handle_off >= 0) {
		memcpy(&h, p + ci->out_handle_off, 4);
		track(&self->live[fdi], h);
#ifdef SSLPROV_IOC_SESSION_KEYS
		if (ci->cmd == SSLPROV_IOC_SESSION_KEYS) {
			memcpy(&h, p + offsetof(struct sslprov_session_keys,
						write_key), 4);
			track(&self->live[fdi], h);
		}
#endif
	}
	if (ci->cmd == SSLPROV_IOC_FREE) {
		memcpy(&h, p + offsetof(struct sslprov_free, handle), 4);
		untrack(&self->live[fdi], h);
	}
}

TEST_F_TIMEOUT(fuzz, random_ioctls, SP_TIMEOUT_LONG)
{
	uint64_t deadline = fuzz_deadline();
	unsigned long iters = fuzz_iters(deadline);
	char diff[256], hist[512];
	unsigned long i;
	size_t off = 0;
	int e;

	for (i = 0; i < iters && !fuzz_expired(deadline); i++) {
		fuzz_one(_metadata, self, i);
		/* Now and then a file goes away with what it holds. */
		if (rnd(self, 500) == 0) {
			e = rnd(self, NFDS);
			close(self->fds[e]);
			self->live[e].n = 0;
			self->fds[e] = sp_open();
			ASSERT_LE(0, self->fds[e]);
		}
	}
	for (e = 0; e < 256; e++) {
		if (self->errs[e] && off < sizeof(hist))
			off += snprintf(hist + off, sizeof(hist) - off, " %s:%lu",
					e == 255 ? "other" : sp_errname(-e),
					self->errs[e]);
	}
	TH_LOG("%lu calls; results:%s", self->calls, hist);

	/* Every file still answers sensibly. */
	for (e = 0; e < NFDS; e++)
		ASSERT_LE(0, sp_live_objects(self->fds[e]));
	for (e = 0; e < NFDS; e++) {
		close(self->fds[e]);
		self->fds[e] = -1;
	}
	ASSERT_EQ(0, sp_stats_wait(&self->base, diff, sizeof(diff), 10))
		TH_LOG("after closing every file: %s (seed %" PRIu64 ")", diff,
		       self->seed);
}

/* --- threads racing on one file ----------------------------------------- */

#define RING	32

struct race {
	int fd;
	uint32_t ring[RING];		/* handles, some live, some freed */
	int stop;
	unsigned long iters;
	uint64_t deadline;		/* SSLPROV_FUZZ_SECONDS, or 0 */
};

struct racer {
	pthread_t thread;
	struct race *race;
	uint64_t rng;
	unsigned long calls, ebadf, unexpected;
	int unexpected_err, unexpected_op;
};

static void *racer_main(void *arg)
{
	static char data[65536];
	struct racer *r = arg;
	struct race *race = r->race;
	struct sslprov_info info;
	unsigned long i;
	uint32_t h;
	int op, ret;

	for (i = 0; i < race->iters &&
		    !__atomic_load_n(&race->stop, __ATOMIC_RELAXED); i++) {
		/* A clock read per 256 calls: the race stays tight. */
		if (!(i & 255) && fuzz_expired(race->deadline))
			break;
		op = sp_rand_below(&r->rng, 6);
		h = __atomic_load_n(&race->ring[sp_rand_below(&r->rng, RING)],
				    __ATOMIC_RELAXED);
		switch (op) {
		case 0:
			ret = sp_new_hash(race->fd, &h);
			if (!ret)
				__atomic_store_n(&race->ring[sp_rand_below(&r->rng, RING)],
						 h, __ATOMIC_RELAXED);
			break;
		case 1:
			ret = sp_free(race->fd, h);
			break;
		case 2:	/* a long update, to be freed under */
			ret = sp_hash_update(race->fd, h, data,
					     sp_rand_below(&r->rng, sizeof(data)));
			break;
		case 3: {
			struct sslprov_hash_digest d = {
				.size = sizeof(d), .hash = h,
			};

			ret = sp_ioctl(race->fd, SSLPROV_IOC_HASH_DIGEST, &d);
			break;
		}
		case 4:
			ret = sp_get_info(race->fd, &info);
			break;
		default: {
			int fd2 = dup(race->fd);

			ret = fd2 < 0 ? -errno : sp_hash_update(fd2, h, "x", 1);
			if (fd2 >= 0)
				close(fd2);
		}
		}
		r->calls++;
		if (ret == -EBADF) {
			r->ebadf++;
		} else if (ret && ret != -ENOSPC) {
			r->unexpected++;
			r->unexpected_err = ret;
			r->unexpected_op = op;
		}
	}
	return NULL;
}

TEST_F_TIMEOUT(fuzz, threads_one_file, SP_TIMEOUT_LONG)
{
	enum { NTHREADS = 4 };
	unsigned long total = 0, ebadf = 0;
	struct racer r[NTHREADS];
	struct race race;
	char diff[256];
	int i;

	memset(&race, 0, sizeof(race));
	race.fd = self->fds[0];
	race.deadline = fuzz_deadline();
	race.iters = fuzz_iters(race.deadline) / 2;
	for (i = 0; i < RING; i++)
		ASSERT_EQ(0, sp_new_hash(race.fd, &race.ring[i]));
	memset(r, 0, sizeof(r));
	for (i = 0; i < NTHREADS; i++) {
		r[i].race = &race;
		r[i].rng = self->seed + i * 0x9e3779b97f4a7c15ULL;
		ASSERT_EQ(0, pthread_create(&r[i].thread, NULL, racer_main, &r[i]));
	}
	for (i = 0; i < NTHREADS; i++)
		ASSERT_EQ(0, pthread_join(r[i].thread, NULL));
	for (i = 0; i < NTHREADS; i++) {
		total += r[i].calls;
		ebadf += r[i].ebadf;
		EXPECT_EQ(0, r[i].unexpected)
			TH_LOG("thread %d: op %d gave %s (seed %" PRIu64 ")", i,
			       r[i].unexpected_op, sp_errname(r[i].unexpected_err),
			       self->seed);
	}
	TH_LOG("%lu calls, %lu EBADF", total, ebadf);
	ASSERT_LE(0, sp_live_objects(race.fd));

	close(self->fds[0]);
	self->fds[0] = -1;
	/* The fixture's other files hold nothing. */
	ASSERT_EQ(0, sp_stats_wait(&(struct sp_stats){
		.files = self->base.files + NFDS - 1,
		.objects = self->base.objects, .hash = self->base.hash,
		.private_key = self->base.private_key,
		.public_key = self->base.public_key,
		.master_key = self->base.master_key,
		.session_key = self->base.session_key,
		.record_aead = self->base.record_aead,
	}, diff, sizeof(diff), 10)) TH_LOG("after close: %s", diff);
}

/*
 * The last close while other threads are inside ioctls on the file: the
 * file (and its objects) must outlive the calls in flight.
 */
TEST_F_TIMEOUT(fuzz, close_during_ioctls, SP_TIMEOUT_LONG)
{
	enum { NTHREADS = 3, ROUNDS = 20 };
	struct racer r[NTHREADS];
	struct race race;
	char diff[256];
	int round, i;

	for (i = 0; i < NFDS; i++) {
		close(self->fds[i]);
		self->fds[i] = -1;
	}
	for (round = 0; round < ROUNDS; round++) {
		memset(&race, 0, sizeof(race));
		race.fd = sp_open();
		ASSERT_LE(0, race.fd);
		race.iters = ~0UL;
		for (i = 0; i < RING; i++)
			ASSERT_EQ(0, sp_new_hash(race.fd, &race.ring[i]));
		memset(r, 0, sizeof(r));
		for (i = 0; i < NTHREADS; i++) {
			r[i].race = &race;
			r[i].rng = self->seed + round * 131 + i;
			ASSERT_EQ(0, pthread_create(&r[i].thread, NULL,
						    racer_main, &r[i]));
		}
		usleep(2000 + sp_rand_below(&self->rng, 20000));
		/*
		 * Nothing else opens files meanwhile, so the number stays
		 * free: the racers get EBADF from the VFS from now on.
		 */
		close(race.fd);
		usleep(1000);
		__atomic_store_n(&race.stop, 1, __ATOMIC_RELAXED);
		for (i = 0; i < NTHREADS; i++)
			ASSERT_EQ(0, pthread_join(r[i].thread, NULL));
		for (i = 0; i < NTHREADS; i++) {
			EXPECT_EQ(0, r[i].unexpected)
				TH_LOG("round %d thread %d: op %d gave %s", round,
				       i, r[i].unexpected_op,
				       sp_errname(r[i].unexpected_err));
		}
	}
	ASSERT_EQ(0, sp_stats_wait(&self->base, diff, sizeof(diff), 10))
		TH_LOG("after %d rounds: %s", ROUNDS, diff);
}

TEST_HARNESS_MAIN
