// SPDX-License-Identifier: GPL-2.0
/*
 * The object model of /dev/sslprov: open/close, GET_INFO, objects and
 * handles, their isolation between files and processes, bad handle values.
 *
 * Elsewhere: hash objects in hash_test.c, the per-file object limit and the
 * module's leak counters in limit_test.c, argument structures in
 * args_test.c and abi_rules_test.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
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

/* --- 1. open/close and GET_INFO ---------------------------------------- */

TEST_F_TIMEOUT(dev, open_close_many, SP_TIMEOUT)
{
	struct sp_stats before, now;
	int fds[32], i, ret;
	char diff[256];

	ASSERT_EQ(0, sp_stats_read(&before));
	for (i = 0; i < 32; i++) {
		fds[i] = sp_open();
		ASSERT_LE(0, fds[i]) TH_LOG("open #%d: %s", i, sp_errname(fds[i]));
	}
	ASSERT_EQ(0, sp_stats_read(&now));
	EXPECT_EQ(before.files + 32, now.files)
		TH_LOG("the 'files' counter does not count open files");
	for (i = 0; i < 32; i++) {
		ASSERT_EQ(0, close(fds[i]));
	}
	ret = sp_stats_wait(&before, diff, sizeof(diff), 10);
	ASSERT_EQ(0, ret) TH_LOG("after closing 32 files: %s", diff);
}

TEST_F_TIMEOUT(dev, get_info, SP_TIMEOUT)
{
	struct sslprov_info info;
	long max_objects;

	memset(&info, 0xa5, sizeof(info));
	info.size = sizeof(info);
	info.flags = 0;
	ASSERT_EQ(0, sp_ioctl(self->fd, SSLPROV_IOC_GET_INFO, &info));
	EXPECT_EQ(sizeof(info), info.size)
		TH_LOG("GET_INFO changed the size field");
	EXPECT_EQ(0, info.flags);
	EXPECT_EQ(2, info.abi_version);
	EXPECT_EQ(SSLPROV_ABI_VERSION, info.abi_version);
	EXPECT_TRUE(info.features & SSLPROV_FEATURE_HASH)
		TH_LOG("features 0x%llx lack SSLPROV_FEATURE_HASH",
		       (unsigned long long)info.features);
	ASSERT_EQ(0, sp_read_max_objects(&max_objects))
		TH_LOG("cannot read %s", SP_PARAM_MAX_OBJECTS);
	EXPECT_EQ(max_objects, info.max_objects)
		TH_LOG("max_objects differs from the module parameter");
	EXPECT_EQ(0, info.live_objects) TH_LOG("a fresh file holds objects");
	EXPECT_EQ(0, info.__reserved)
		TH_LOG("__reserved is an output that must read 0");
}

TEST_F_TIMEOUT(dev, get_info_live_objects, SP_TIMEOUT)
{
	uint32_t h[3];
	int other, i;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, sp_new_hash(self->fd, &h[i]));
	}
	EXPECT_EQ(3, sp_live_objects(self->fd));
	ASSERT_EQ(0, sp_free(self->fd, h[1]));
	EXPECT_EQ(2, sp_live_objects(self->fd));
	ASSERT_EQ(-EBADF, sp_free(self->fd, h[1]));
	EXPECT_EQ(2, sp_live_objects(self->fd))
		TH_LOG("a failed FREE changed the object count");

	other = sp_open();
	ASSERT_LE(0, other);
	EXPECT_EQ(0, sp_live_objects(other))
		TH_LOG("live_objects counts another file's objects");
	close(other);
}

/* --- 2. objects and handles ------------------------------------------ */

TEST_F_TIMEOUT(dev, free, SP_TIMEOUT)
{
	uint32_t h, h2;

	ASSERT_EQ(0, sp_new_hash(self->fd, &h));
	ASSERT_EQ(0, sp_new_hash(self->fd, &h2));
	ASSERT_EQ(0, sp_free(self->fd, h));
	EXPECT_EQ(-EBADF, sp_free(self->fd, h)) TH_LOG("double FREE");
	EXPECT_EQ(-EBADF, sp_hash_update(self->fd, h, "a", 1))
		TH_LOG("UPDATE after FREE");
	/* The other object is untouched. */
	EXPECT_EQ(0, sp_hash_update(self->fd, h2, "a", 1));
	EXPECT_EQ(1, sp_live_objects(self->fd));
	ASSERT_EQ(0, sp_free(self->fd, h2));
	EXPECT_EQ(0, sp_live_objects(self->fd));
}

/* "Handles are allocated cyclically, so a freed handle is not handed out
 * again soon."
 */
TEST_F_TIMEOUT(dev, handles_not_reused, SP_TIMEOUT)
{
	uint32_t seen[256], h;
	int i, j;

	for (i = 0; i < 256; i++) {
		ASSERT_EQ(0, sp_new_hash(self->fd, &h));
		ASSERT_NE(0, h);
		for (j = 0; j < i; j++) {
			ASSERT_NE(seen[j], h)
				TH_LOG("handle %u handed out again after %d frees",
				       h, i - j);
		}
		seen[i] = h;
		ASSERT_EQ(0, sp_free(self->fd, h));
	}
}

/* --- 3. isolation -------------------------------------------------------- */

TEST_F_TIMEOUT(dev, isolation_two_files, SP_TIMEOUT)
{
	uint32_t ha, hb;
	int b;

	ASSERT_EQ(0, sp_new_hash(self->fd, &ha));
	b = sp_open();
	ASSERT_LE(0, b);

	EXPECT_EQ(-EBADF, sp_hash_update(b, ha, "x", 1))
		TH_LOG("file B reached file A's handle %u", ha);
	EXPECT_EQ(-EBADF, sp_free(b, ha))
		TH_LOG("file B freed file A's handle %u", ha);
	EXPECT_EQ(0, sp_hash_update(self->fd, ha, "x", 1))
		TH_LOG("file A's object broke through file B");

	/* Each table counts from 1: B's first handle has A's number. */
	ASSERT_EQ(0, sp_new_hash(b, &hb));
	TH_LOG("file A handle %u, file B handle %u", ha, hb);
	ASSERT_EQ(0, sp_free(b, hb));
	EXPECT_EQ(0, sp_hash_update(self->fd, ha, "x", 1))
		TH_LOG("freeing B's handle %u hurt A's %u", hb, ha);
	EXPECT_EQ(1, sp_live_objects(self->fd));
	EXPECT_EQ(0, sp_live_objects(b));

	/* Closing B does not touch A. */
	ASSERT_EQ(0, sp_new_hash(b, &hb));
	close(b);
	EXPECT_EQ(0, sp_hash_update(self->fd, ha, "x", 1));
	EXPECT_EQ(0, sp_free(self->fd, ha));
}

/*
 * Child side of the fork tests: returns 0 or the number of the check that
 * failed (the parent reports it).
 */
static int child_own_fd(uint32_t parent_handle)
{
	uint32_t h;
	int fd;

	fd = sp_open();
	if (fd < 0)
		return 1;
	if (sp_hash_update(fd, parent_handle, "x", 1) != -EBADF)
		return 2;
	if (sp_free(fd, parent_handle) != -EBADF)
		return 3;
	if (sp_live_objects(fd) != 0)
		return 4;
	if (sp_new_hash(fd, &h))
		return 5;
	close(fd);
	return 0;
}

TEST_F_TIMEOUT(dev, isolation_processes, SP_TIMEOUT)
{
	uint32_t h;
	pid_t pid;
	int ret;

	ASSERT_EQ(0, sp_new_hash(self->fd, &h));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->fd);
		_exit(child_own_fd(h));
	}
	ret = sp_wait_child(pid);
	ASSERT_EQ(0, ret)
		TH_LOG("child with its own fd, check %d failed (1 open, 2 UPDATE and 3 FREE of the parent's handle not EBADF, 4 live_objects, 5 create)",
		       ret);
	EXPECT_EQ(0, sp_hash_update(self->fd, h, "x", 1));
	EXPECT_EQ(1, sp_live_objects(self->fd));
}

static int child_shared_fd(int fd, uint32_t parent_handle, uint32_t *made)
{
	if (sp_hash_update(fd, parent_handle, "x", 1))
		return 1;
	if (sp_live_objects(fd) != 1)
		return 2;
	if (sp_new_hash(fd, made))
		return 3;
	return 0;
}

/* An inherited fd is the same open file: the child shares its handles. */
TEST_F_TIMEOUT(dev, fork_shares_inherited_fd, SP_TIMEOUT)
{
	uint32_t h, *made;
	pid_t pid;
	int ret;

	made = mmap(NULL, sizeof(*made), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, made);
	ASSERT_EQ(0, sp_new_hash(self->fd, &h));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(child_shared_fd(self->fd, h, made));
	ret = sp_wait_child(pid);
	ASSERT_EQ(0, ret)
		TH_LOG("child on the inherited fd, check %d failed (1 UPDATE of parent's handle, 2 live_objects, 3 create)",
		       ret);
	/* The child's object outlives the child: the file is still open. */
	EXPECT_EQ(2, sp_live_objects(self->fd));
	EXPECT_EQ(0, sp_hash_update(self->fd, *made, "x", 1))
		TH_LOG("the child's handle %u is not usable by the parent", *made);

	/* A child freeing a shared handle frees it for the parent too. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(sp_free(self->fd, *made) ? 1 : 0);
	ASSERT_EQ(0, sp_wait_child(pid)) TH_LOG("child could not FREE");
	EXPECT_EQ(-EBADF, sp_free(self->fd, *made));
	EXPECT_EQ(1, sp_live_objects(self->fd));
	munmap(made, sizeof(*made));
}

/* Objects go with the last reference to the file, not with one close(). */
TEST_F_TIMEOUT(dev, dup_keeps_objects, SP_TIMEOUT)
{
	struct sp_stats before;
	char diff[256];
	uint32_t h;
	int fd2;

	ASSERT_EQ(0, sp_new_hash(self->fd, &h));
	fd2 = dup(self->fd);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(0, sp_hash_update(fd2, h, "x", 1))
		TH_LOG("a dup()ed fd does not share the handle table");
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	EXPECT_EQ(0, sp_hash_update(fd2, h, "x", 1))
		TH_LOG("closing one of two fds freed the objects");
	EXPECT_EQ(1, sp_live_objects(fd2));

	ASSERT_EQ(0, sp_stats_read(&before));
	close(fd2);
	before.files -= 1;
	before.objects -= 1;
	before.hash -= 1;
	ASSERT_EQ(0, sp_stats_wait(&before, diff, sizeof(diff), 10))
		TH_LOG("after the last close: %s", diff);
}

/* --- 4. bad handle values ---------------------------------------------- */

static const uint32_t bad_handles[] = {
	0, 1, 2, 3, 0xff, 0x100, 0xffff, 0x10000, 0x7ffffffe, 0x7fffffff,
	0x80000000, 0x80000001, 0xfffffffe, 0xffffffff,
};

TEST_F_TIMEOUT(dev, bad_handles_fresh_file, SP_TIMEOUT)
{
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bad_handles); i++) {
		ret = sp_free(self->fd, bad_handles[i]);
		EXPECT_EQ(-EBADF, ret) TH_LOG("FREE %#x: %s", bad_handles[i],
					      sp_errname(ret));
		ret = sp_hash_update(self->fd, bad_handles[i], "x", 1);
		EXPECT_EQ(-EBADF, ret) TH_LOG("UPDATE %#x: %s", bad_handles[i],
					      sp_errname(ret));
	}
	EXPECT_EQ(0, sp_live_objects(self->fd));
}

static int is_live(const uint32_t *live, int n, uint32_t h)
{
	int i;

	for (i = 0; i < n; i++)
		if (live[i] == h)
			return 1;
	return 0;
}

TEST_F_TIMEOUT(dev, bad_handles_random, SP_TIMEOUT)
{
	uint64_t seed = sp_seed(), rng = seed;
	uint32_t live[8], freed, h;
	size_t i;
	int n, ret;

	TH_LOG("seed %" PRIu64 " (replay: SSLPROV_SEED=%" PRIu64 ")", seed, seed);
	ASSERT_EQ(0, sp_new_hash(self->fd, &freed));
	for (n = 0; n < 8; n++) {
		ASSERT_EQ(0, sp_new_hash(self->fd, &live[n]));
	}
	ASSERT_EQ(0, sp_free(self->fd, freed));

	ret = sp_free(self->fd, freed);
	EXPECT_EQ(-EBADF, ret) TH_LOG("freed handle: %s", sp_errname(ret));
	ret = sp_hash_update(self->fd, freed, "x", 1);
	EXPECT_EQ(-EBADF, ret) TH_LOG("freed handle: %s", sp_errname(ret));

	for (i = 0; i < ARRAY_SIZE(bad_handles) + 2000; i++) {
		if (i < ARRAY_SIZE(bad_handles))
			h = bad_handles[i];
		else if (i & 1)
			h = (uint32_t)sp_rand64(&rng);
		else	/* near the live ones */
			h = live[0] + sp_rand_below(&rng, 64) - 16;
		if (is_live(live, n, h))
			continue;
		ret = (i & 2) ? sp_free(self->fd, h) :
				sp_hash_update(self->fd, h, "x", 1);
		ASSERT_EQ(-EBADF, ret)
			TH_LOG("%s of handle %#x (not live): %s",
			       (i & 2) ? "FREE" : "UPDATE", h, sp_errname(ret));
	}
	/* The live objects did not notice. */
	EXPECT_EQ(n, sp_live_objects(self->fd));
	for (i = 0; i < (size_t)n; i++) {
		EXPECT_EQ(0, sp_hash_update(self->fd, live[i], "x", 1));
	}
}

TEST_HARNESS_MAIN
