// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading and reloading sslprov.ko: an open file (or one a child process
 * still holds) pins the module, the last close releases it, and a reloaded
 * module comes back with a working /dev/sslprov.
 *
 * run_tests.sh runs this program last.  Every test leaves the module
 * loaded, with the max_objects it had: the teardown reloads it if a test
 * stopped half-way.
 *
 * Loading: finit_module() of $SSLPROV_KO when set, else "modprobe sslprov"
 * (the test VM installs the module as extra/sslprov.ko and depmods it).
 * Unloading: delete_module(O_NONBLOCK), as rmmod does; while the module is
 * in use the kernel refuses with EWOULDBLOCK (EAGAIN), which rmmod reports
 * as "in use".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sslprov_test.h"

#define MODNAME		"sslprov"
#define REFCNT		SP_SYSFS_MODULE "/refcnt"

static int unload(void)
{
	return syscall(SYS_delete_module, MODNAME, O_NONBLOCK) ? -errno : 0;
}

/* Wait until @path exists (@present) or not; 0 or -ETIMEDOUT. */
static int wait_path(const char *path, bool present, double timeout)
{
	double end = sp_now() + timeout;

	while ((access(path, F_OK) == 0) != present) {
		if (sp_now() > end)
			return -ETIMEDOUT;
		usleep(10000);
	}
	return 0;
}

/*
 * Load the module with max_objects=@max_objects; wait for its device.
 * Returns 0 or a negative errno (-ECHILD: modprobe failed).
 */
static int load(long max_objects, char *how, size_t howlen)
{
	const char *ko = getenv("SSLPROV_KO");
	char param[64];
	int fd, ret, status;
	pid_t pid;

	snprintf(param, sizeof(param), "max_objects=%ld", max_objects);
	if (ko && *ko) {
		snprintf(how, howlen, "finit_module(%s, \"%s\")", ko, param);
		fd = open(ko, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		ret = syscall(SYS_finit_module, fd, param, 0) ? -errno : 0;
		close(fd);
		if (ret)
			return ret;
	} else {
		snprintf(how, howlen, "modprobe %s %s", MODNAME, param);
		pid = fork();
		if (pid < 0)
			return -errno;
		if (pid == 0) {
			execlp("modprobe", "modprobe", MODNAME, param, (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid)
			return -errno;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			return -ECHILD;
	}
	ret = wait_path(SSLPROV_DEVICE, true, 10);
	return ret;
}

FIXTURE(reload) {
	long max_objects;
	bool may_be_unloaded;
};

FIXTURE_SETUP(reload)
{
	long refs;

	SP_REQUIRE_DEVICE();
	if (geteuid() != 0)
		SP_SKIP_SETUP("needs root to unload and load modules");
	if (access(REFCNT, F_OK))
		SP_SKIP_SETUP("%s missing: kernel without CONFIG_MODULE_UNLOAD?",
			      REFCNT);
	ASSERT_EQ(0, sp_read_max_objects(&self->max_objects));
	ASSERT_EQ(0, sp_read_long(REFCNT, &refs));
	ASSERT_EQ(0, refs)
		TH_LOG("sslprov is in use by someone else (refcnt %ld): cannot test unloading",
		       refs);
	self->may_be_unloaded = true;
}

FIXTURE_TEARDOWN(reload)
{
	char how[256];
	long now;
	int ret;

	if (!self->may_be_unloaded || sp_module_loaded())
		return;
	ret = load(self->max_objects, how, sizeof(how));
	EXPECT_EQ(0, ret) TH_LOG("reloading after a failed test: %s: %s", how,
				 sp_errname(ret));
	EXPECT_EQ(0, sp_read_max_objects(&now));
	EXPECT_EQ(self->max_objects, now);
}

/* Unload, check it is gone, load again, check it works. */
static void cycle(struct __test_metadata *_metadata,
		  FIXTURE_DATA(reload) *self)
{
	struct sslprov_info info;
	struct sp_stats st;
	char how[256];
	long max;
	int ret, fd;

	ret = unload();
	ASSERT_EQ(0, ret) TH_LOG("unloading an unused module: %s", sp_errname(ret));
	EXPECT_FALSE(sp_module_loaded());
	EXPECT_EQ(0, wait_path(SSLPROV_DEVICE, false, 10))
		TH_LOG("%s still there after unloading", SSLPROV_DEVICE);
	fd = sp_open();
	EXPECT_GT(0, fd) TH_LOG("opened %s with the module unloaded",
				SSLPROV_DEVICE);
	if (fd >= 0)
		close(fd);

	ret = load(self->max_objects, how, sizeof(how));
	ASSERT_EQ(0, ret) TH_LOG("%s: %s", how, sp_errname(ret));
	fd = sp_open();
	ASSERT_LE(0, fd) TH_LOG("open after reload: %s", sp_errname(fd));
	ASSERT_EQ(0, sp_get_info(fd, &info));
	EXPECT_EQ(SSLPROV_ABI_VERSION, info.abi_version);
	EXPECT_EQ(self->max_objects, info.max_objects);
	ASSERT_EQ(0, sp_read_max_objects(&max));
	EXPECT_EQ(self->max_objects, max);
	ASSERT_EQ(0, sp_new_hash(fd, NULL));
	/* A fresh module counts only this file and its one object. */
	ASSERT_EQ(0, sp_stats_read(&st));
	EXPECT_EQ(1, st.files);
	EXPECT_EQ(1, st.objects);
	EXPECT_EQ(1, st.hash);
	close(fd);
}

TEST_F_TIMEOUT(reload, busy_while_open, SP_TIMEOUT)
{
	long refs;
	uint32_t h;
	int fd, ret;

	fd = sp_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sp_new_hash(fd, &h));
	ASSERT_EQ(0, sp_read_long(REFCNT, &refs));
	EXPECT_LT(0, refs) TH_LOG("an open file does not pin the module");

	ret = unload();
	EXPECT_EQ(-EWOULDBLOCK, ret)
		TH_LOG("unloading with a file open: %s, want EWOULDBLOCK (in use)",
		       sp_errname(ret));
	ASSERT_TRUE(sp_module_loaded()) {
		/* Unloaded under an open file: nothing more is safe. */
		close(fd);
	}
	EXPECT_EQ(0, sp_hash_update(fd, h, "still here", 10))
		TH_LOG("the object broke after the refused unload");
	close(fd);

	ASSERT_EQ(0, sp_read_long(REFCNT, &refs));
	EXPECT_EQ(0, refs) TH_LOG("closing the last file did not unpin the module");
	cycle(_metadata, self);
}

TEST_F_TIMEOUT(reload, busy_while_child_holds, SP_TIMEOUT)
{
	int fd, p[2], ret;
	pid_t pid;
	char c;

	fd = sp_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sp_new_hash(fd, NULL));
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Holds the inherited file until killed. */
		close(p[0]);
		c = 'r';
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	ASSERT_EQ(1, read(p[0], &c, 1));
	close(p[0]);
	close(fd);

	ret = unload();
	EXPECT_EQ(-EWOULDBLOCK, ret)
		TH_LOG("unloading while a child holds the file: %s",
		       sp_errname(ret));
	kill(pid, SIGKILL);
	EXPECT_EQ(1000 + SIGKILL, sp_wait_child(pid));
	ASSERT_TRUE(sp_module_loaded());
	cycle(_metadata, self);
}

/* Load, use, unload a few times over: nothing may stay behind. */
TEST_F_TIMEOUT(reload, repeated, SP_TIMEOUT_LONG)
{
	int i, j, fd;

	for (i = 0; i < 3; i++) {
		fd = sp_open();
		ASSERT_LE(0, fd);
		for (j = 0; j < 20; j++) {
			ASSERT_EQ(0, sp_hash_create(fd, j % 2 ? SP_TLS1_0 : SP_TLS1_2,
						    SP_RSA_AES256_GCM_SHA384, NULL));
		}
		close(fd);
		cycle(_metadata, self);
	}
}

TEST_HARNESS_MAIN
