// SPDX-License-Identifier: GPL-2.0
/*
 * The per-file object limit (module parameter max_objects) and the
 * module's live-object counters in /sys/class/misc/sslprov/stats/.
 *
 * Both are global state: the limit tests put max_objects back in their
 * teardown, and the counter tests compare against a snapshot taken before
 * they open anything.  The harness runs one test at a time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sslprov_test.h"

#define LIMIT	8

/* --- 5. the object limit ------------------------------------------------ */

FIXTURE(limit) {
	int fd;
	long saved;
	bool changed;
	struct sp_stats base;
};

FIXTURE_SETUP(limit)
{
	int ret;

	self->fd = -1;
	SP_REQUIRE_DEVICE();
	ASSERT_EQ(0, sp_read_max_objects(&self->saved))
		TH_LOG("cannot read %s", SP_PARAM_MAX_OBJECTS);
	ret = sp_set_max_objects(LIMIT);
	if (ret == -EACCES || ret == -EPERM)
		SP_SKIP_SETUP("cannot write %s: %s (not root?)",
			      SP_PARAM_MAX_OBJECTS, sp_errname(ret));
	ASSERT_EQ(0, ret) TH_LOG("writing %s: %s", SP_PARAM_MAX_OBJECTS,
				 sp_errname(ret));
	self->changed = true;
	ASSERT_EQ(0, sp_stats_read(&self->base));
	self->fd = sp_open();
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", sp_errname(self->fd));
}

FIXTURE_TEARDOWN(limit)
{
	long now;

	if (self->fd >= 0)
		close(self->fd);
	if (!self->changed)
		return;
	/* No ASSERT here: it would jump back into the test wrapper. */
	EXPECT_EQ(0, sp_set_max_objects(self->saved))
		TH_LOG("could not restore max_objects=%ld", self->saved);
	EXPECT_EQ(0, sp_read_max_objects(&now));
	EXPECT_EQ(self->saved, now);
}

/* Create until the first failure; returns how many were made. */
static int fill(int fd, uint32_t *handles, int max, int *err)
{
	int n;

	for (n = 0; n < max; n++) {
		*err = sp_new_hash(fd, &handles[n]);
		if (*err)
			break;
	}
	return n;
}

TEST_F_TIMEOUT(limit, create_up_to_limit, SP_TIMEOUT)
{
	uint32_t h[LIMIT + 4];
	struct sp_stats st, want;
	char diff[256];
	int n, err, i;

	n = fill(self->fd, h, LIMIT + 4, &err);
	ASSERT_EQ(LIMIT, n) TH_LOG("created %d objects with max_objects=%d, stopped by %s",
				   n, LIMIT, sp_errname(err));
	ASSERT_EQ(-ENOSPC, err) TH_LOG("object %d: %s, want ENOSPC", n + 1,
				       sp_errname(err));
	/* Failing again and again leaks nothing. */
	for (i = 0; i < 16; i++) {
		ASSERT_EQ(-ENOSPC, sp_hash_create(self->fd, SP_TLS1_0, 0, NULL));
	}
	EXPECT_EQ(LIMIT, sp_live_objects(self->fd));
	ASSERT_EQ(0, sp_stats_read(&st));
	want = sp_stats_plus(&self->base, 1, LIMIT);
	EXPECT_EQ(0, sp_stats_diff(&want, &st, diff, sizeof(diff)))
		TH_LOG("refused creates leaked: %s", diff);

	/* Everything made is usable. */
	for (i = 0; i < LIMIT; i++) {
		EXPECT_EQ(0, sp_hash_update(self->fd, h[i], "x", 1));
	}

	/* One freed, one more fits, and no more than that. */
	ASSERT_EQ(0, sp_free(self->fd, h[3]));
	ASSERT_EQ(0, sp_new_hash(self->fd, &h[3]))
		TH_LOG("no room after freeing one of %d", LIMIT);
	ASSERT_EQ(-ENOSPC, sp_new_hash(self->fd, NULL));
	EXPECT_EQ(LIMIT, sp_live_objects(self->fd));

	/* Emptying the table gives all of it back. */
	for (i = 0; i < LIMIT; i++) {
		ASSERT_EQ(0, sp_free(self->fd, h[i]));
	}
	n = fill(self->fd, h, LIMIT + 4, &err);
	EXPECT_EQ(LIMIT, n) TH_LOG("after freeing all: %d fit", n);
}

TEST_F_TIMEOUT(limit, get_info_reports_limit, SP_TIMEOUT)
{
	struct sslprov_info info;

	ASSERT_EQ(0, sp_get_info(self->fd, &info));
	EXPECT_EQ(LIMIT, info.max_objects);
	ASSERT_EQ(0, sp_set_max_objects(13));
	ASSERT_EQ(0, sp_get_info(self->fd, &info));
	EXPECT_EQ(13, info.max_objects)
		TH_LOG("GET_INFO does not follow the module parameter");
}

TEST_F_TIMEOUT(limit, limit_is_per_file, SP_TIMEOUT)
{
	uint32_t a[LIMIT + 1], b[LIMIT + 1];
	int fd2, n, err;

	n = fill(self->fd, a, LIMIT + 1, &err);
	ASSERT_EQ(LIMIT, n);
	fd2 = sp_open();
	ASSERT_LE(0, fd2);
	n = fill(fd2, b, LIMIT + 1, &err);
	EXPECT_EQ(LIMIT, n)
		TH_LOG("a second file got %d objects while the first is full (%s)",
		       n, sp_errname(err));
	EXPECT_EQ(-ENOSPC, err);
	close(fd2);
	/* The first file is still full. */
	EXPECT_EQ(-ENOSPC, sp_new_hash(self->fd, NULL));
}

TEST_F_TIMEOUT(limit, lowered_below_live, SP_TIMEOUT)
{
	uint32_t h[LIMIT];
	int n, err, i;

	n = fill(self->fd, h, LIMIT, &err);
	ASSERT_EQ(LIMIT, n);
	ASSERT_EQ(0, sp_set_max_objects(4));
	/* What exists stays usable; nothing new fits. */
	for (i = 0; i < LIMIT; i++) {
		EXPECT_EQ(0, sp_hash_update(self->fd, h[i], "x", 1));
	}
	EXPECT_EQ(-ENOSPC, sp_new_hash(self->fd, NULL));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, sp_free(self->fd, h[i]));
	}
	/* 3 left, limit 4: exactly one more. */
	EXPECT_EQ(0, sp_new_hash(self->fd, &h[0]));
	EXPECT_EQ(-ENOSPC, sp_new_hash(self->fd, NULL));
	EXPECT_EQ(4, sp_live_objects(self->fd));
}

TEST_F_TIMEOUT(limit, zero, SP_TIMEOUT)
{
	struct sp_stats st;
	char diff[256];
	struct sp_stats want;

	ASSERT_EQ(0, sp_set_max_objects(0));
	EXPECT_EQ(-ENOSPC, sp_new_hash(self->fd, NULL));
	EXPECT_EQ(-ENOSPC, sp_hash_create(self->fd, SP_TLS1_1, 0, NULL));
	EXPECT_EQ(0, sp_live_objects(self->fd));
	ASSERT_EQ(0, sp_stats_read(&st));
	want = sp_stats_plus(&self->base, 1, 0);
	EXPECT_EQ(0, sp_stats_diff(&want, &st, diff, sizeof(diff)))
		TH_LOG("%s", diff);
}

struct racer {
	pthread_t thread;
	pthread_barrier_t *start;
	int fd;
	int made;
	int nospc;
	int other;		/* any other result: a failure */
	int other_err;
	uint32_t handles[LIMIT];
};

static void *race_create(void *arg)
{
	struct racer *r = arg;
	uint32_t h;
	int i, ret;

	pthread_barrier_wait(r->start);
	for (i = 0; i < 4 * LIMIT; i++) {
		ret = sp_new_hash(r->fd, &h);
		if (!ret && r->made < LIMIT)
			r->handles[r->made++] = h;
		else if (!ret)
			r->made++;	/* more than the limit: reported */
		else if (ret == -ENOSPC)
			r->nospc++;
		else {
			r->other++;
			r->other_err = ret;
		}
	}
	return NULL;
}

/* Threads racing for the last slots: exactly max_objects of them win. */
TEST_F_TIMEOUT(limit, concurrent_creates, SP_TIMEOUT)
{
	enum { NTHREADS = 4 };
	struct racer r[NTHREADS];
	pthread_barrier_t start;
	int i, j, k, total = 0;

	ASSERT_EQ(0, pthread_barrier_init(&start, NULL, NTHREADS));
	memset(r, 0, sizeof(r));
	for (i = 0; i < NTHREADS; i++) {
		r[i].start = &start;
		r[i].fd = self->fd;
		ASSERT_EQ(0, pthread_create(&r[i].thread, NULL, race_create, &r[i]));
	}
	for (i = 0; i < NTHREADS; i++) {
		ASSERT_EQ(0, pthread_join(r[i].thread, NULL));
	}
	pthread_barrier_destroy(&start);

	for (i = 0; i < NTHREADS; i++) {
		EXPECT_EQ(0, r[i].other)
			TH_LOG("thread %d: unexpected %s", i,
			       sp_errname(r[i].other_err));
		total += r[i].made;
	}
	ASSERT_EQ(LIMIT, total)
		TH_LOG("%d threads racing made %d objects, limit %d",
		       NTHREADS, total, LIMIT);
	EXPECT_EQ(LIMIT, sp_live_objects(self->fd));
	/* All handles distinct. */
	for (i = 0; i < NTHREADS; i++)
		for (j = 0; j < r[i].made; j++)
			for (k = i; k < NTHREADS; k++) {
				int l = k == i ? j + 1 : 0;

				for (; l < r[k].made; l++) {
					EXPECT_NE(r[i].handles[j], r[k].handles[l]);
				}
			}
}

/* --- 6. leak counters --------------------------------------------------- */

FIXTURE(leak) {
	struct sp_stats base;
	int fds[16];
};

FIXTURE_SETUP(leak)
{
	int i;

	for (i = 0; i < 16; i++)
		self->fds[i] = -1;
	SP_REQUIRE_DEVICE();
	ASSERT_EQ(0, sp_stats_read(&self->base))
		TH_LOG("cannot read %s", SP_SYSFS_STATS);
}

FIXTURE_TEARDOWN(leak)
{
	int i;

	for (i = 0; i < 16; i++)
		if (self->fds[i] >= 0)
			close(self->fds[i]);
}

#define EXPECT_STATS(want, what) do {					\
	char __diff[256];						\
	int __ret = sp_stats_wait(want, __diff, sizeof(__diff), 10);	\
	EXPECT_EQ(0, __ret) TH_LOG("%s: %s", what, __diff);		\
} while (0)

TEST_F_TIMEOUT(leak, counters_follow_objects, SP_TIMEOUT)
{
	struct sp_stats want;
	uint32_t h[40];
	int fd, i;

	fd = self->fds[0] = sp_open();
	ASSERT_LE(0, fd);
	want = sp_stats_plus(&self->base, 1, 0);
	EXPECT_STATS(&want, "after open");
	for (i = 0; i < 40; i++) {
		switch (i % 3) {
		case 0:
			ASSERT_EQ(0, sp_hash_create(fd, SP_TLS1_0, 0, &h[i]));
			break;
		case 1:
			ASSERT_EQ(0, sp_new_hash(fd, &h[i]));
			break;
		default:
			ASSERT_EQ(0, sp_hash_create(fd, SP_TLS1_2,
						    SP_RSA_AES256_GCM_SHA384, &h[i]));
		}
		ASSERT_EQ(0, sp_hash_update(fd, h[i], "abc", 3));
	}
	want = sp_stats_plus(&self->base, 1, 40);
	EXPECT_STATS(&want, "after 40 creates");
	for (i = 0; i < 10; i++) {
		ASSERT_EQ(0, sp_free(fd, h[i]));
	}
	want = sp_stats_plus(&self->base, 1, 30);
	EXPECT_STATS(&want, "after 10 frees");
	close(fd);
	self->fds[0] = -1;
	EXPECT_STATS(&self->base, "after close with 30 objects");
}

TEST_F_TIMEOUT(leak, failed_calls_leak_nothing, SP_TIMEOUT)
{
	struct sslprov_hash_create c = { .size = sizeof(c) };
	long pg = sysconf(_SC_PAGESIZE);
	struct sslprov_hash_create *ro;
	struct sp_stats want;
	uint32_t h;
	int fd, ret;

	fd = self->fds[0] = sp_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sp_new_hash(fd, &h));

	EXPECT_EQ(-EOPNOTSUPP, sp_hash_create(fd, 0x0300, 0, NULL));
	EXPECT_EQ(-EOPNOTSUPP, sp_hash_create(fd, SP_TLS1_2, 0x0004, NULL));
	c.protocol = SP_TLS1_2;
	c.cipher_suite = SP_RSA_AES128_GCM_SHA256;
	c.flags = 1;
	EXPECT_EQ(-EINVAL, sp_ioctl(fd, SSLPROV_IOC_HASH_CREATE, &c));
	c.flags = 0;
	c.__reserved = 1;
	EXPECT_EQ(-EINVAL, sp_ioctl(fd, SSLPROV_IOC_HASH_CREATE, &c));
	EXPECT_EQ(-EBADF, sp_free(fd, h + 1));
	EXPECT_EQ(-EFAULT, sp_hash_update(fd, h, NULL, 10));

	/*
	 * A create whose result cannot be written back: the object was made
	 * and published, and must be taken back, not left unreachable.
	 */
	ro = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		  -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	ro->size = sizeof(*ro);
	ro->protocol = SP_TLS1_2;
	ro->cipher_suite = SP_RSA_AES128_GCM_SHA256;
	ASSERT_EQ(0, mprotect(ro, pg, PROT_READ));
	ret = sp_ioctl(fd, SSLPROV_IOC_HASH_CREATE, ro);
	EXPECT_EQ(-EFAULT, ret) TH_LOG("HASH_CREATE into read-only memory: %s",
				       sp_errname(ret));
	EXPECT_EQ(1, sp_live_objects(fd))
		TH_LOG("the object of a failed HASH_CREATE is still counted");
	munmap(ro, pg);

	want = sp_stats_plus(&self->base, 1, 1);
	EXPECT_STATS(&want, "after failed calls");
	/* The cyclic allocator moved on, but the table is consistent. */
	EXPECT_EQ(0, sp_free(fd, h));
	close(fd);
	self->fds[0] = -1;
	EXPECT_STATS(&self->base, "after close");
}

TEST_F_TIMEOUT(leak, many_files, SP_TIMEOUT)
{
	uint64_t rng = sp_seed();
	struct sp_stats want;
	int i, j, left;

	for (i = 0; i < 16; i++) {
		self->fds[i] = sp_open();
		ASSERT_LE(0, self->fds[i]);
		for (j = 0; j <= i % 5; j++) {
			ASSERT_EQ(0, sp_new_hash(self->fds[i], NULL));
		}
	}
	for (i = 0, j = 0; i < 16; i++)
		j += i % 5 + 1;
	want = sp_stats_plus(&self->base, 16, j);
	EXPECT_STATS(&want, "16 open files");
	/* Close in random order. */
	for (left = 16; left > 0; left--) {
		i = sp_rand_below(&rng, 16);
		while (self->fds[i] < 0)
			i = (i + 1) % 16;
		close(self->fds[i]);
		self->fds[i] = -1;
	}
	EXPECT_STATS(&self->base, "after closing all");
}

/* The objects live until the last process holding the file lets go. */
TEST_F_TIMEOUT(leak, last_reference_in_child, SP_TIMEOUT)
{
	struct sp_stats want;
	int fd, p[2], i, ret;
	pid_t pid;
	char c;

	fd = sp_open();
	ASSERT_LE(0, fd);
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, sp_new_hash(fd, NULL));
	}
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Hold the file until the parent closes the pipe. */
		close(p[1]);
		ret = read(p[0], &c, 1);
		_exit(ret == 0 && sp_live_objects(fd) == 5 ? 0 : 1);
	}
	close(p[0]);
	close(fd);
	want = sp_stats_plus(&self->base, 1, 5);
	EXPECT_STATS(&want, "parent closed, child still holds the file");
	close(p[1]);
	EXPECT_EQ(0, sp_wait_child(pid))
		TH_LOG("the child lost the objects when the parent closed");
	EXPECT_STATS(&self->base, "after the child exited");
}

/* Exiting, or being killed, without close() frees everything too. */
TEST_F_TIMEOUT(leak, exit_without_close, SP_TIMEOUT)
{
	int p[2], ret;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = sp_open(), i;

		for (i = 0; fd >= 0 && i < 7; i++)
			sp_new_hash(fd, NULL);
		c = fd >= 0 ? 'k' : 'e';
		ret = write(p[1], &c, 1);
		pause();
		_exit(ret);
	}
	close(p[1]);
	ASSERT_EQ(1, read(p[0], &c, 1));
	close(p[0]);
	EXPECT_EQ('k', c) TH_LOG("child could not open the device");
	kill(pid, SIGKILL);
	EXPECT_EQ(1000 + SIGKILL, sp_wait_child(pid));
	EXPECT_STATS(&self->base, "after the child was killed");
}

TEST_HARNESS_MAIN
