// SPDX-License-Identifier: GPL-2.0
/*
 * Exhaustion: the module's per-object memory is charged to the caller's
 * memory cgroup, and every user-supplied length is checked against its
 * maximum before the module allocates for it.
 *
 * memcg.objects_charged: a forked child in a cgroup with a small
 * memory.max creates handshake hashes in many provider files until a call
 * fails.  The failure must be ENOMEM (each file's max_objects limit gives
 * ENOSPC first, so the child moves on to the next file: the cgroup, not
 * the per-file limit, must stop it), memory.current must have risen while
 * the objects lived and never passed memory.max, no OOM kill may happen,
 * and after the child exits the counters are back and the module works.
 * Skipped when the kernel has no cgroup2 memory controller.
 *
 * sizes.*: lengths one above each maximum, with pointers that cannot be
 * read, must give EINVAL (not EFAULT: nothing was read; not ENOMEM:
 * nothing was allocated), and the largest hash input is charged too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "kselftest_harness.h"
#include "sslprov_test.h"

#define CG_ROOT_DEFAULT	"/sys/fs/cgroup"
#define CG_LIMIT	(4L << 20)
#define CG_FILES	64
#define TK_GCM_OVERHEAD	(5 + 8 + 16)

/* Shared with the child: it may not allocate once it is near its limit. */
struct cg_shared {
	volatile int go;	/* parent: the child is in the cgroup */
	volatile int holding;	/* child: at its limit, objects alive */
	volatile int release;	/* parent: measured, let go */
	int open_err;
	int last_err;		/* what stopped the child */
	int big_update_err;	/* HASH_UPDATE of SSLPROV_MAX_HASH_INPUT */
	long objects;
	int files_used;
};

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	n = n < 0 ? -errno : 0;
	close(fd);
	return (int)n;
}

static int read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* "key value" lines (memory.events): the value of @key, or -1. */
static long read_key(const char *path, const char *key)
{
	char buf[1024], *p;
	size_t kl = strlen(key);

	if (read_str(path, buf, sizeof(buf)))
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, kl) && p[kl] == ' ')
			return strtol(p + kl + 1, NULL, 10);
	return -1;
}

static bool is_cgroup2(const char *dir)
{
	struct statfs sf;

	return !statfs(dir, &sf) && sf.f_type == CGROUP2_SUPER_MAGIC;
}

FIXTURE(memcg) {
	struct sp_stats base;
	char root[256];
	char cg[PATH_MAX];
	bool mounted;
	bool made_cg;
};

FIXTURE_SETUP(memcg)
{
	char buf[512], path[PATH_MAX + 32];

	SP_REQUIRE_DEVICE();
	ASSERT_EQ(0, sp_stats_read(&self->base));
	snprintf(self->root, sizeof(self->root), CG_ROOT_DEFAULT);
	if (!is_cgroup2(self->root)) {
		/* Not mounted (or v1 there): a cgroup2 mount of our own. */
		snprintf(self->root, sizeof(self->root), "/tmp/sslprov-cg2.%d",
			 getpid());
		ASSERT_TRUE(!mkdir(self->root, 0700) || errno == EEXIST);
		if (mount("none", self->root, "cgroup2", 0, NULL)) {
			rmdir(self->root);
			if (errno == ENODEV)
				SP_SKIP_SETUP("no cgroup2 in this kernel");
			ASSERT_EQ(0, -errno) TH_LOG("mount cgroup2: %s",
						    strerror(errno));
		}
		self->mounted = true;
	}
	snprintf(path, sizeof(path), "%s/cgroup.controllers", self->root);
	ASSERT_EQ(0, read_str(path, buf, sizeof(buf)));
	if (!strstr(buf, "memory"))
		SP_SKIP_SETUP("no memory controller (CONFIG_MEMCG): %s", buf);
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", self->root);
	ASSERT_EQ(0, write_str(path, "+memory"));
	snprintf(self->cg, sizeof(self->cg), "%s/sslprov-memcg.%d", self->root,
		 getpid());
	ASSERT_EQ(0, mkdir(self->cg, 0755)) TH_LOG("mkdir %s: %s", self->cg,
						    strerror(errno));
	self->made_cg = true;
}

FIXTURE_TEARDOWN(memcg)
{
	char diff[256];
	int ret;

	if (self->made_cg)
		rmdir(self->cg);
	if (self->mounted) {
		umount2(self->root, MNT_DETACH);
		rmdir(self->root);
	}
	ret = sp_stats_wait(&self->base, diff, sizeof(diff), 10);
	if (ret)
		TH_LOG("counters after the test: %s", diff);
	EXPECT_EQ(0, ret);
}

/* The child, in the cgroup: nothing here may allocate user memory. */
static int cg_child(struct cg_shared *sh)
{
	int fds[CG_FILES], nfds = 0, cur = 0, ret;
	uint32_t h;

	while (!sh->go)
		usleep(1000);
	/* Every file first: open() charges too, without our GFP flags. */
	for (nfds = 0; nfds < CG_FILES; nfds++) {
		fds[nfds] = sp_open();
		if (fds[nfds] < 0) {
			sh->open_err = fds[nfds];
			return 2;
		}
	}
	/* The largest hash input alone is over the limit: ENOMEM. */
	ret = sp_new_hash(fds[0], &h);
	if (ret) {
		sh->big_update_err = 1000 + ret;
	} else {
		sh->big_update_err = sp_hash_update(fds[0], h,
						    sp_unmapped_addr(),
						    SSLPROV_MAX_HASH_INPUT);
		sp_free(fds[0], h);
	}

	for (;;) {
		ret = sp_new_hash(fds[cur], &h);
		if (!ret) {
			sh->objects++;
			continue;
		}
		if (ret == -ENOSPC && cur + 1 < nfds) {
			cur++;	/* this file's max_objects: the next file */
			continue;
		}
		break;
	}
	sh->last_err = ret;
	sh->files_used = cur + 1;
	sh->holding = 1;
	while (!sh->release)
		usleep(1000);
	/* Last close frees all objects of a file. */
	for (cur = 0; cur < nfds; cur++)
		close(fds[cur]);
	return 0;
}

TEST_F_TIMEOUT(memcg, objects_charged, SP_TIMEOUT)
{
	char path[PATH_MAX + 32], buf[64], diff[256];
	long before, during, peak_max, oom_kills, max_events, limit;
	struct cg_shared *sh;
	double end;
	pid_t pid;
	int code, fd, i;
	uint32_t h;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));

	snprintf(path, sizeof(path), "%s/memory.max", self->cg);
	snprintf(buf, sizeof(buf), "%ld", CG_LIMIT);
	ASSERT_EQ(0, write_str(path, buf));
	snprintf(path, sizeof(path), "%s/memory.swap.max", self->cg);
	write_str(path, "0");	/* absent without swap accounting */

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char stack[64 << 10];

		/* Fault in stack and shared page before the move. */
		memset(stack, 1, sizeof(stack));
		sh->objects = stack[sizeof(stack) - 1] - 1;
		_exit(cg_child(sh));
	}
	snprintf(path, sizeof(path), "%s/cgroup.procs", self->cg);
	snprintf(buf, sizeof(buf), "%d", pid);
	ASSERT_EQ(0, write_str(path, buf));
	snprintf(path, sizeof(path), "%s/memory.current", self->cg);
	ASSERT_EQ(0, sp_read_long(path, &before));
	sh->go = 1;

	end = sp_now() + 120;
	while (!sh->holding && sp_now() < end) {
		if (waitpid(pid, &code, WNOHANG) == pid)
			break;
		usleep(10000);
	}
	ASSERT_EQ(1, sh->holding) TH_LOG("the child stopped early (open: %s)",
					  sp_errname(sh->open_err));
	ASSERT_EQ(0, sp_read_long(path, &during));
	snprintf(path, sizeof(path), "%s/memory.max", self->cg);
	ASSERT_EQ(0, sp_read_long(path, &limit));
	snprintf(path, sizeof(path), "%s/memory.peak", self->cg);
	if (sp_read_long(path, &peak_max))
		peak_max = during;	/* memory.peak: 5.19 and later */
	snprintf(path, sizeof(path), "%s/memory.events", self->cg);
	max_events = read_key(path, "max");
	oom_kills = read_key(path, "oom_kill");
	sh->release = 1;
	code = sp_wait_child(pid);

	TH_LOG("child: %ld hashes in %d files, then %s; 16 MiB HASH_UPDATE: %s",
	       sh->objects, sh->files_used, sp_errname(sh->last_err),
	       sp_errname(sh->big_update_err));
	TH_LOG("memory.current %ld -> %ld (peak %ld, max %ld), events: max %ld, oom_kill %ld",
	       before, during, peak_max, limit, max_events, oom_kills);
	EXPECT_EQ(0, code) TH_LOG("child exit code %d", code);
	/* The cgroup, not max_objects or the files we gave it, stopped it. */
	EXPECT_EQ(-ENOMEM, sh->last_err);
	EXPECT_GT(sh->files_used, 1) TH_LOG("ENOMEM before one file was full: not the cgroup?");
	EXPECT_EQ(-ENOMEM, sh->big_update_err);
	/* The objects' memory was charged here: most of the limit. */
	EXPECT_GT(during - before, limit / 2);
	EXPECT_LE(peak_max, limit);
	EXPECT_LT(0, max_events);
	EXPECT_EQ(0, oom_kills);

	/* Everything went back when the child exited; the module works. */
	EXPECT_EQ(0, sp_stats_wait(&self->base, diff, sizeof(diff), 10))
		TH_LOG("after the child: %s", diff);
	fd = sp_open();
	ASSERT_LE(0, fd);
	for (i = 0; i < 1000; i++) {
		ASSERT_EQ(0, sp_new_hash(fd, &h));
	}
	EXPECT_EQ(1000, sp_live_objects(fd));
	close(fd);
	munmap(sh, sizeof(*sh));
}

/* --- maximum sizes, enforced before allocation ---------------------------- */

FIXTURE(sizes) {
	int fd;
	struct sp_stats base;
	void *bad;
};

FIXTURE_SETUP(sizes)
{
	self->fd = -1;
	SP_REQUIRE_DEVICE();
	ASSERT_EQ(0, sp_stats_read(&self->base));
	self->fd = sp_open();
	ASSERT_LE(0, self->fd);
	self->bad = sp_unmapped_addr();
	ASSERT_NE(NULL, self->bad);
}

FIXTURE_TEARDOWN(sizes)
{
	char diff[256];

	if (self->fd >= 0)
		close(self->fd);
	EXPECT_EQ(0, sp_stats_wait(&self->base, diff, sizeof(diff), 10))
		TH_LOG("%s", diff);
}

TEST_F(sizes, hash_input)
{
	static const uint32_t lens[] = { SSLPROV_MAX_HASH_INPUT + 1, UINT32_MAX };
	uint32_t h;
	size_t i;

	ASSERT_EQ(0, sp_new_hash(self->fd, &h));
	for (i = 0; i < 2; i++)
		EXPECT_EQ(-EINVAL, sp_hash_update(self->fd, h, self->bad,
						  lens[i]))
			TH_LOG("len %u", lens[i]);
	/* At the maximum the length is accepted: the bad pointer faults. */
	EXPECT_EQ(-EFAULT, sp_hash_update(self->fd, h, self->bad, 4096));
}

TEST_F(sizes, key_der)
{
	static const uint32_t lens[] = { SSLPROV_MAX_KEY_DER + 1, UINT32_MAX };
	struct sslprov_key_import a;
	size_t i;

	for (i = 0; i < 2; i++) {
		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.der_len = lens[i];
		a.der = (uintptr_t)self->bad;
		EXPECT_EQ(-EINVAL, sp_ioctl(self->fd, SSLPROV_IOC_KEY_IMPORT, &a))
			TH_LOG("der_len %u", lens[i]);
	}
	a.der_len = SSLPROV_MAX_KEY_DER;
	EXPECT_EQ(-EFAULT, sp_ioctl(self->fd, SSLPROV_IOC_KEY_IMPORT, &a));
}

TEST_F(sizes, key_list_count)
{
	struct sslprov_key_list a = {
		.size = sizeof(a),
		.count = UINT32_MAX,
		.entries = 0,
	};
	int ret;

	/* A huge room is clamped to the store's size, never allocated. */
	a.entries = (uintptr_t)self->bad;
	ret = sp_ioctl(self->fd, SSLPROV_IOC_KEY_LIST, &a);
	EXPECT_TRUE(ret == 0 || ret == -EFAULT) TH_LOG("%s", sp_errname(ret));
}

TEST_F(sizes, master_ciphertext)
{
	static const uint32_t lens[] = { 2049, 1u << 20, UINT32_MAX };
	struct sslprov_master_import a;
	size_t i;

	/* The length is checked before the key handle (here: none). */
	for (i = 0; i < 3; i++) {
		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.flags = SSLPROV_SERVER;
		a.private_key = 1;
		a.protocol = SP_TLS1_2;
		a.cipher_suite = SP_RSA_AES128_GCM_SHA256;
		a.client_version = SP_TLS1_2;
		a.enc_len = lens[i];
		a.enc = (uintptr_t)self->bad;
		EXPECT_EQ(-EINVAL, sp_ioctl(self->fd, SSLPROV_IOC_MASTER_IMPORT,
					    &a))
			TH_LOG("enc_len %u", lens[i]);
	}
	a.enc_len = 256;
	EXPECT_EQ(-EFAULT, sp_ioctl(self->fd, SSLPROV_IOC_MASTER_IMPORT, &a));
}

TEST_F(sizes, records)
{
	struct sslprov_record a;
	uint32_t h;

	/* Lengths are checked before the key: any handle will do. */
	ASSERT_EQ(0, sp_new_hash(self->fd, &h));
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.key = h;
	a.content_type = 23;
	a.in = (uintptr_t)self->bad;
	a.out = (uintptr_t)self->bad;
	a.out_len = UINT32_MAX;
	a.in_len = SSLPROV_MAX_RECORD_PLAINTEXT + 1;
	EXPECT_EQ(-EINVAL, sp_ioctl(self->fd, SSLPROV_IOC_ENCRYPT, &a));
	a.in_len = UINT32_MAX;
	EXPECT_EQ(-EINVAL, sp_ioctl(self->fd, SSLPROV_IOC_ENCRYPT, &a));
	a.content_type = 0;
	a.in_len = SSLPROV_MAX_RECORD_PLAINTEXT + TK_GCM_OVERHEAD + 1;
	EXPECT_EQ(-EINVAL, sp_ioctl(self->fd, SSLPROV_IOC_DECRYPT, &a));
	a.in_len = UINT32_MAX;
	EXPECT_EQ(-EINVAL, sp_ioctl(self->fd, SSLPROV_IOC_DECRYPT, &a));
	/* Within the limits the handle is looked at: a hash is no key. */
	a.in_len = 100;
	EXPECT_EQ(-EBADF, sp_ioctl(self->fd, SSLPROV_IOC_DECRYPT, &a));
}

TEST_F(sizes, finished_out)
{
	static const uint32_t lens[] = { 13, 4096, UINT32_MAX };
	struct sslprov_finished a;
	size_t i;

	for (i = 0; i < 3; i++) {
		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.flags = SSLPROV_CLIENT;
		a.out_len = lens[i];
		a.out = (uintptr_t)self->bad;
		EXPECT_EQ(-EINVAL, sp_ioctl(self->fd, SSLPROV_IOC_FINISHED, &a))
			TH_LOG("out_len %u", lens[i]);
	}
}

TEST_F(sizes, argument_struct)
{
	struct sslprov_info info = { .size = 4097 };

	/* The argument itself: one above a page, before any copy. */
	EXPECT_EQ(-E2BIG, sp_ioctl(self->fd, SSLPROV_IOC_GET_INFO, &info));
	info.size = UINT32_MAX;
	EXPECT_EQ(-E2BIG, sp_ioctl(self->fd, SSLPROV_IOC_GET_INFO, &info));
}

TEST_HARNESS_MAIN
