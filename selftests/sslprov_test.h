/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the sslprov selftests.  Include after
 * kselftest_harness.h, once per test program: everything here is static.
 *
 * Conventions: the sp_*() ioctl wrappers return 0 or a negative errno, so
 * that a test reads ASSERT_EQ(-EBADF, sp_free(fd, h)).  Nothing here calls
 * ASSERT_*(): helpers that can fail return an error for the caller to check,
 * which keeps them usable in forked children and threads, where the
 * harness's assertions must not be used.
 */
#ifndef SSLPROV_TEST_H
#define SSLPROV_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/sslprov.h>

#define SP_SYSFS_MODULE		"/sys/module/sslprov"
#define SP_PARAM_MAX_OBJECTS	SP_SYSFS_MODULE "/parameters/max_objects"
#define SP_SYSFS_STATS		"/sys/class/misc/sslprov/stats"

#define SP_TLS1_0	0x0301
#define SP_TLS1_1	0x0302
#define SP_TLS1_2	0x0303
#define SP_RSA_AES128_GCM_SHA256	0x009c
#define SP_RSA_AES256_GCM_SHA384	0x009d

/* The largest argument size the ABI accepts ("one above a page": E2BIG). */
#define SP_MAX_ARG_SIZE	4096

/* Seconds: the test VM is emulated (TCG), far slower than real hardware. */
#define SP_TIMEOUT	300
#define SP_TIMEOUT_LONG	900

/*
 * SKIP() in FIXTURE_SETUP does not stop the harness (6.1) from running the
 * test body, so end the test child here; exit status 255 is the harness's
 * own "skipped" code and the reason travels in its shared results page.
 */
#define SP_SKIP_SETUP(fmt, ...) SKIP(_exit(255), fmt, ##__VA_ARGS__)

/*
 * For FIXTURE_SETUP: skip when the module is not loaded at all (a run
 * outside the test VM); a loaded module without its device is a failure
 * the test itself reports.
 */
#define SP_REQUIRE_DEVICE() do {					\
	if (access(SSLPROV_DEVICE, F_OK) && !sp_module_loaded())	\
		SP_SKIP_SETUP("sslprov module not loaded");		\
} while (0)

static inline const char *sp_errname(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case 0:		return "success";
	case EPERM:	return "EPERM";
	case ENOENT:	return "ENOENT";
	case EBADF:	return "EBADF";
	case ENOMEM:	return "ENOMEM";
	case EACCES:	return "EACCES";
	case EFAULT:	return "EFAULT";
	case EBUSY:	return "EBUSY";
	case EEXIST:	return "EEXIST";
	case ENODEV:	return "ENODEV";
	case EINVAL:	return "EINVAL";
	case ENOTTY:	return "ENOTTY";
	case ENOSPC:	return "ENOSPC";
	case E2BIG:	return "E2BIG";
	case ENOSYS:	return "ENOSYS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOBUFS:	return "ENOBUFS";
	case EBADRQC:	return "EBADRQC";
	case EKEYREJECTED: return "EKEYREJECTED";
	case EBADMSG:	return "EBADMSG";
	case EILSEQ:	return "EILSEQ";
	case ENOKEY:	return "ENOKEY";
	default:	return strerror(err);
	}
}

/* ioctl() returning 0 (or the positive result) or a negative errno. */
static inline int sp_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

static inline int sp_open(void)
{
	int fd = open(SSLPROV_DEVICE, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static inline int sp_get_info(int fd, struct sslprov_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return sp_ioctl(fd, SSLPROV_IOC_GET_INFO, info);
}

/* Objects this file holds according to the module, or a negative errno. */
static inline int sp_live_objects(int fd)
{
	struct sslprov_info info;
	int ret = sp_get_info(fd, &info);

	return ret ? ret : (int)info.live_objects;
}

static inline int sp_hash_create(int fd, uint32_t protocol, uint32_t suite,
				 uint32_t *handle)
{
	struct sslprov_hash_create args = {
		.size = sizeof(args),
		.protocol = protocol,
		.cipher_suite = suite,
	};
	int ret = sp_ioctl(fd, SSLPROV_IOC_HASH_CREATE, &args);

	if (!ret && handle)
		*handle = args.handle;
	return ret;
}

static inline int sp_hash_update(int fd, uint32_t handle, const void *data,
				 uint32_t len)
{
	struct sslprov_hash_update args = {
		.size = sizeof(args),
		.handle = handle,
		.len = len,
		.data = (uintptr_t)data,
	};

	return sp_ioctl(fd, SSLPROV_IOC_HASH_UPDATE, &args);
}

static inline int sp_free(int fd, uint32_t handle)
{
	struct sslprov_free args = {
		.size = sizeof(args),
		.handle = handle,
	};

	return sp_ioctl(fd, SSLPROV_IOC_FREE, &args);
}

/* A TLS 1.2 SHA-256 handshake hash: the cheapest object there is. */
static inline int sp_new_hash(int fd, uint32_t *handle)
{
	return sp_hash_create(fd, SP_TLS1_2, SP_RSA_AES128_GCM_SHA256, handle);
}

/* The ioctl number without its size bits, which dispatching ignores. */
#define SP_IOC_NOSIZE(cmd) \
	((unsigned long)(cmd) & ~((unsigned long)_IOC_SIZEMASK << _IOC_SIZESHIFT))

/*
 * Every ioctl of uapi/linux/sslprov.h.  A number the module answers that
 * is missing here fails abi_rules_test (numbers.unknown_nr) and the
 * fuzzer: add new ioctls here.
 */
static const struct {
	const char *name;
	unsigned long cmd;
} sp_known_cmds[] = {
#define SP_CMD(c) { #c, c }
	SP_CMD(SSLPROV_IOC_GET_INFO),
	SP_CMD(SSLPROV_IOC_FREE),
	SP_CMD(SSLPROV_IOC_HASH_CREATE),
	SP_CMD(SSLPROV_IOC_HASH_UPDATE),
#ifdef SSLPROV_IOC_HASH_DIGEST
	SP_CMD(SSLPROV_IOC_HASH_DIGEST),
#endif
#ifdef SSLPROV_IOC_KEY_LOAD
	SP_CMD(SSLPROV_IOC_KEY_LOAD),
	SP_CMD(SSLPROV_IOC_KEY_LIST),
	SP_CMD(SSLPROV_IOC_KEY_UNLOAD),
	SP_CMD(SSLPROV_IOC_KEY_OPEN),
	SP_CMD(SSLPROV_IOC_KEY_IMPORT),
#endif
#ifdef SSLPROV_IOC_PUBKEY_IMPORT
	SP_CMD(SSLPROV_IOC_PUBKEY_IMPORT),
	SP_CMD(SSLPROV_IOC_PUBKEY_EXPORT),
#endif
#ifdef SSLPROV_IOC_MASTER_IMPORT
	SP_CMD(SSLPROV_IOC_MASTER_IMPORT),
	SP_CMD(SSLPROV_IOC_SESSION_KEYS),
	SP_CMD(SSLPROV_IOC_FINISHED),
#endif
#ifdef SSLPROV_IOC_ENCRYPT
	SP_CMD(SSLPROV_IOC_ENCRYPT),
	SP_CMD(SSLPROV_IOC_DECRYPT),
#endif
#ifdef SSLPROV_IOC_KTLS_ATTACH
	SP_CMD(SSLPROV_IOC_KTLS_ATTACH),
#endif
#undef SP_CMD
};

/* The header's ioctl with this number (size bits ignored), or NULL. */
static inline const char *sp_known_cmd(unsigned long cmd)
{
	size_t i;

	for (i = 0; i < sizeof(sp_known_cmds) / sizeof(sp_known_cmds[0]); i++)
		if (SP_IOC_NOSIZE(sp_known_cmds[i].cmd) == SP_IOC_NOSIZE(cmd))
			return sp_known_cmds[i].name;
	return NULL;
}

/* --- sysfs ------------------------------------------------------------- */

static inline int sp_read_long(const char *path, long *val)
{
	char buf[64], *end;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	errno = 0;
	*val = strtol(buf, &end, 10);
	if (errno || end == buf || (*end != '\n' && *end != '\0'))
		return -EINVAL;
	return 0;
}

static inline int sp_write_long(const char *path, long val)
{
	char buf[32];
	int fd, len, ret = 0;

	len = snprintf(buf, sizeof(buf), "%ld\n", val);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) != len)
		ret = -errno ?: -EIO;
	close(fd);
	return ret;
}

static inline int sp_read_max_objects(long *val)
{
	return sp_read_long(SP_PARAM_MAX_OBJECTS, val);
}

static inline int sp_set_max_objects(long val)
{
	return sp_write_long(SP_PARAM_MAX_OBJECTS, val);
}

static inline int sp_module_loaded(void)
{
	return access(SP_SYSFS_MODULE, F_OK) == 0;
}

/* --- the module's live-object counters --------------------------------- */

#define SP_STATS(X)	\
	X(files)	\
	X(objects)	\
	X(hash)		\
	X(private_key)	\
	X(public_key)	\
	X(master_key)	\
	X(session_key)	\
	X(record_aead)

struct sp_stats {
#define SP_STATS_FIELD(name) long name;
	SP_STATS(SP_STATS_FIELD)
#undef SP_STATS_FIELD
};

static inline int sp_stats_read(struct sp_stats *st)
{
	int ret;

#define SP_STATS_READ(name)						\
	ret = sp_read_long(SP_SYSFS_STATS "/" #name, &st->name);	\
	if (ret)							\
		return ret;
	SP_STATS(SP_STATS_READ)
#undef SP_STATS_READ
	return 0;
}

/*
 * Describe how @now differs from @want into @buf ("objects 3 != 0, ...");
 * returns the number of counters that differ.
 */
static inline int sp_stats_diff(const struct sp_stats *want,
				const struct sp_stats *now, char *buf,
				size_t len)
{
	size_t off = 0;
	int n = 0;

	buf[0] = '\0';
#define SP_STATS_CMP(name)						\
	if (want->name != now->name) {					\
		n++;							\
		if (off < len)						\
			off += snprintf(buf + off, len - off,		\
					"%s%s=%ld (want %ld)",		\
					off ? ", " : "", #name,		\
					now->name, want->name);		\
	}
	SP_STATS(SP_STATS_CMP)
#undef SP_STATS_CMP
	return n;
}

static inline double sp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Wait until the counters equal @want: objects of a closed file are freed
 * by the last fput(), which the exiting or closing task runs itself, so
 * this normally returns at once; the wait only covers a deferred fput.
 * Returns 0, or -ETIMEDOUT with the last difference in @buf.
 */
static inline int sp_stats_wait(const struct sp_stats *want, char *buf,
				size_t len, double timeout)
{
	double end = sp_now() + timeout;
	struct sp_stats now = { 0 };
	int ret;

	for (;;) {
		ret = sp_stats_read(&now);
		if (ret) {
			snprintf(buf, len, "reading %s: %s", SP_SYSFS_STATS,
				 strerror(-ret));
			return ret;
		}
		if (!sp_stats_diff(want, &now, buf, len))
			return 0;
		if (sp_now() > end)
			return -ETIMEDOUT;
		usleep(10000);
	}
}

/* Counters plus the given deltas to objects/hash and files. */
static inline struct sp_stats sp_stats_plus(const struct sp_stats *base,
					    long files, long hashes)
{
	struct sp_stats st = *base;

	st.files += files;
	st.objects += hashes;
	st.hash += hashes;
	return st;
}

/* --- memory with known properties -------------------------------------- */

/* An address that was mapped a moment ago and is not any more. */
static inline void *sp_unmapped_addr(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, pg);
	return p;
}

/*
 * @pages read-write pages followed by one PROT_NONE guard page, so that a
 * structure placed at the end of the region straddles into the guard.
 */
static inline void *sp_map_guarded(size_t pages)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, (pages + 1) * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + pages * pg, pg, PROT_NONE)) {
		munmap(p, (pages + 1) * pg);
		return NULL;
	}
	return p;
}

/* --- a small, seedable PRNG (xorshift64*) ------------------------------ */

static inline uint64_t sp_rand64(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static inline uint32_t sp_rand_below(uint64_t *state, uint32_t n)
{
	return n ? (uint32_t)((sp_rand64(state) >> 32) % n) : 0;
}

/*
 * The seed from $SSLPROV_SEED (decimal or 0x-hex), else from the clock.
 * Never zero: xorshift would stay at zero.
 */
static inline uint64_t sp_seed(void)
{
	const char *env = getenv("SSLPROV_SEED");
	struct timespec ts;
	uint64_t seed;

	if (env && *env) {
		seed = strtoull(env, NULL, 0);
	} else {
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_sec * 1000000007ULL ^ ts.tv_nsec ^
		       (uint64_t)getpid() << 32;
	}
	return seed ?: 1;
}

/* $name as a positive number, or @def. */
static inline unsigned long sp_env_ulong(const char *name, unsigned long def)
{
	const char *env = getenv(name);
	char *end;
	unsigned long v;

	if (!env || !*env)
		return def;
	v = strtoul(env, &end, 0);
	return *end || !v ? def : v;
}

/*
 * Wait for a child and turn its exit into a code: its exit status, or
 * 1000 + signal number when it was killed.
 */
static inline int sp_wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 1000 + WTERMSIG(status);
	return 2000;
}

#endif /* SSLPROV_TEST_H */
