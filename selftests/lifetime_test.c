// SPDX-License-Identifier: GPL-2.0
/*
 * Object and file lifetime under concurrency:
 *  - threads sharing one provider file run mixed operations (hashes,
 *    private keys, master keys, session keys, records) while other threads
 *    free the same handles and one closes the file under them;
 *  - a forked child keeps using an inherited provider after the parent
 *    closed its copy;
 *  - a provider file passed to another process with SCM_RIGHTS is used
 *    there after the sender closed it;
 *  - unloading the module while a provider is open and busy is refused,
 *    and the module keeps working.
 * Every call must work or return a clean errno; results that can be
 * checked are checked against OpenSSL; the module's counters return to
 * their baseline at the end of every test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sslprov_test.h"
#include "tls12_common.h"

#define NMIXERS		3
#define NFREERS		2
#define NHS		8
#define ROUNDS		4

static bool clean_errno(int ret)
{
	switch (-ret) {
	case 0: case EBADF: case EINVAL: case EFAULT: case E2BIG:
	case EEXIST: case EBADRQC: case ENOMEM: case ENOSPC: case ENOBUFS:
	case EOPNOTSUPP: case ENOTTY: case EPROTONOSUPPORT:
	case EKEYREJECTED: case EBADMSG: case EILSEQ: case ENOKEY:
	case EPERM: case EACCES:
		return true;
	}
	return false;
}

FIXTURE(life) {
	struct sp_stats base;
	struct tk_rsa rsa;
	bool have_rsa;
};

FIXTURE_SETUP(life)
{
	SP_REQUIRE_DEVICE();
	ASSERT_EQ(0, sp_stats_read(&self->base));
	ASSERT_EQ(0, tk_rsa_get(&self->rsa)) TH_LOG("RSA: %s", tk_ossl_err());
	self->have_rsa = true;
}

FIXTURE_TEARDOWN(life)
{
	char diff[256];
	int ret;

	ret = sp_stats_wait(&self->base, diff, sizeof(diff), 10);
	if (ret)
		TH_LOG("counters after the test: %s", diff);
	EXPECT_EQ(0, ret);
	if (self->have_rsa)
		tk_rsa_free(&self->rsa);
}

/* --- threads on one file, freeing and closing under each other ------- */

struct race {
	int fd;
	atomic_bool closed;
	atomic_bool stop;
	atomic_int bad;
	atomic_ulong calls, ok;
	atomic_int bad_ret;
	const char *bad_what;
	struct tk_hs *hs;
	const struct tk_rsa *rsa;
	uint64_t seed;
};

static void race_check(struct race *r, const char *what, int ret)
{
	atomic_fetch_add(&r->calls, 1);
	if (!ret)
		atomic_fetch_add(&r->ok, 1);
	if (!clean_errno(ret)) {
		if (atomic_fetch_add(&r->bad, 1) == 0) {
			r->bad_what = what;
			atomic_store(&r->bad_ret, ret);
		}
	}
}

static void *race_mixer(void *arg)
{
	struct race *r = arg;
	uint64_t rng = r->seed ^ (uintptr_t)pthread_self();
	uint8_t buf[512], rec[600], out[600];
	uint32_t key = 0, master = 0, hash = 0, rk = 0, wk = 0, len;
	uint64_t seq = 0;
	int ret;

	rng = rng ?: 1;
	memset(buf, 0x5a, sizeof(buf));
	while (!atomic_load(&r->stop)) {
		struct tk_hs *hs = &r->hs[sp_rand_below(&rng, NHS)];

		switch (sp_rand_below(&rng, 7)) {
		case 0:
			ret = sp_new_hash(r->fd, &hash);
			race_check(r, "HASH_CREATE", ret);
			break;
		case 1:
			ret = sp_hash_update(r->fd, hash, buf, sizeof(buf));
			race_check(r, "HASH_UPDATE", ret);
			break;
		case 2:
			ret = tk_key_import(r->fd, r->rsa->der, r->rsa->der_len,
					    &key);
			race_check(r, "KEY_IMPORT", ret);
			break;
		case 3:
			ret = tk_hs_import(r->fd, key, hs, &master);
			race_check(r, "MASTER_IMPORT", ret);
			break;
		case 4:
			ret = tk_session_keys(r->fd, master, SSLPROV_SERVER,
					      hs->cr, hs->sr, &rk, &wk);
			race_check(r, "SESSION_KEYS", ret);
			seq = 0;
			break;
		case 5:
			ret = tk_record(r->fd, SSLPROV_IOC_ENCRYPT, wk,
					TK_CT_APPDATA, seq++, buf, 100, rec,
					sizeof(rec), &len);
			race_check(r, "ENCRYPT", ret);
			break;
		default:
			ret = tk_record(r->fd, SSLPROV_IOC_DECRYPT, rk, 0, 0,
					rec, 100 + TK_GCM_OVERHEAD, out,
					sizeof(out), &len);
			race_check(r, "DECRYPT", ret);
			break;
		}
		if (ret == -EBADF && atomic_load(&r->closed))
			break;
	}
	return NULL;
}

/* Frees handles the mixers are using: cyclic handles are small here. */
static void *race_freer(void *arg)
{
	struct race *r = arg;
	uint64_t rng = (r->seed * 31) ^ (uintptr_t)pthread_self();
	int ret;

	rng = rng ?: 1;
	while (!atomic_load(&r->stop)) {
		ret = sp_free(r->fd, 1 + sp_rand_below(&rng, 400));
		race_check(r, "FREE", ret);
		if (ret == -EBADF && atomic_load(&r->closed))
			break;
		if (sp_rand_below(&rng, 4) == 0)
			usleep(200);
	}
	return NULL;
}

TEST_F_TIMEOUT(life, free_and_close_under_users, SP_TIMEOUT)
{
	pthread_t t[NMIXERS + NFREERS];
	struct tk_hs hs[NHS];
	unsigned long calls = 0, ok = 0;
	int round, i, ret;

	for (i = 0; i < NHS; i++)
		ASSERT_EQ(0, tk_hs_new(&hs[i], &self->rsa, SP_TLS1_2,
				       SP_RSA_AES128_GCM_SHA256, SP_TLS1_2));

	for (round = 0; round < ROUNDS; round++) {
		struct race r = { .hs = hs, .rsa = &self->rsa };

		r.seed = sp_seed() + round;
		r.fd = sp_open();
		ASSERT_LE(0, r.fd) TH_LOG("open: %s", sp_errname(r.fd));
		for (i = 0; i < NMIXERS + NFREERS; i++)
			ASSERT_EQ(0, pthread_create(&t[i], NULL,
						    i < NMIXERS ? race_mixer :
						    race_freer, &r));
		/* Let them work, then pull the file from under them. */
		usleep(300000 + 200000 * round);
		ASSERT_EQ(0, close(r.fd));
		atomic_store(&r.closed, true);
		/* The number is free now: no call may reach a file with it. */
		ret = sp_free(r.fd, 1);
		EXPECT_EQ(-EBADF, ret);
		usleep(100000);
		atomic_store(&r.stop, true);
		for (i = 0; i < NMIXERS + NFREERS; i++)
			pthread_join(t[i], NULL);
		EXPECT_EQ(0, atomic_load(&r.bad))
			TH_LOG("round %d: %d unclean results, first %s: %d",
			       round, atomic_load(&r.bad), r.bad_what,
			       atomic_load(&r.bad_ret));
		calls += atomic_load(&r.calls);
		ok += atomic_load(&r.ok);
	}
	TH_LOG("%lu calls, %lu succeeded", calls, ok);
	/* The race must have exercised real objects, not just errors. */
	EXPECT_LT(100, (long)ok);
}

/* --- a provider after its creator let go of it ------------------------ */

struct objs {
	uint32_t key, master, hash, rk, wk;
};

/* A master key and a handshake hash on @fd from @hs. */
static int make_objs(int fd, const struct tk_rsa *rsa, struct tk_hs *hs,
		     const uint8_t *msgs, size_t len, struct objs *o)
{
	return tk_key_import(fd, rsa->der, rsa->der_len, &o->key) ?:
	       tk_hs_import(fd, o->key, hs, &o->master) ?:
	       tk_hash_of(fd, SP_TLS1_2, SP_RSA_AES128_GCM_SHA256, msgs, len,
			  &o->hash);
}

/*
 * In a process that only inherited or received @fd: the objects still
 * work (Finished equals OpenSSL's; session keys; a record encrypts), then
 * are freed.  Returns 0 or a step number.
 */
static int use_objs(int fd, const struct tk_hs *hs, const uint8_t *msgs,
		    size_t len, struct objs *o)
{
	uint8_t want[TK_VERIFY_LEN], got[TK_VERIFY_LEN], rec[200];
	uint32_t rlen;

	if (tk_verify_data(SP_TLS1_2, SP_RSA_AES128_GCM_SHA256, hs->ms,
			   SSLPROV_CLIENT, msgs, len, want))
		return 2;
	if (tk_finished(fd, o->master, o->hash, SSLPROV_CLIENT, got))
		return 3;
	if (memcmp(want, got, sizeof(want)))
		return 4;
	if (tk_session_keys(fd, o->master, 0, hs->cr, hs->sr, &o->rk, &o->wk))
		return 5;
	if (tk_record(fd, SSLPROV_IOC_ENCRYPT, o->wk, TK_CT_APPDATA, 0, msgs,
		      64, rec, sizeof(rec), &rlen) || rlen != 64 + TK_GCM_OVERHEAD)
		return 6;
	if (sp_free(fd, o->wk) || sp_free(fd, o->rk) ||
	    sp_free(fd, o->hash) || sp_free(fd, o->master) ||
	    sp_free(fd, o->key))
		return 7;
	if (sp_live_objects(fd) != 0)
		return 8;
	return 0;
}

TEST_F_TIMEOUT(life, child_after_parent_close, SP_TIMEOUT)
{
	struct sp_stats want;
	struct tk_hs hs;
	struct objs o;
	uint8_t msgs[300];
	int fd, go[2], code;
	char diff[256], c = 0;
	pid_t pid;

	ASSERT_EQ(0, tk_random(msgs, sizeof(msgs)));
	ASSERT_EQ(0, tk_hs_new(&hs, &self->rsa, SP_TLS1_2,
			       SP_RSA_AES128_GCM_SHA256, SP_TLS1_2));
	fd = sp_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, make_objs(fd, &self->rsa, &hs, msgs, sizeof(msgs), &o));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(go[1]);
		/* Wait until the parent closed its copy. */
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(use_objs(fd, &hs, msgs, sizeof(msgs), &o));
	}
	close(go[0]);
	ASSERT_EQ(0, close(fd));
	/* The child's reference keeps the file and its three objects. */
	want = self->base;
	want.files += 1;
	want.objects += 3;
	want.hash += 1;
	want.private_key += 1;
	want.master_key += 1;
	EXPECT_EQ(0, sp_stats_wait(&want, diff, sizeof(diff), 5))
		TH_LOG("after the parent's close: %s", diff);
	ASSERT_EQ(1, write(go[1], &c, 1));
	close(go[1]);
	code = sp_wait_child(pid);
	EXPECT_EQ(0, code) TH_LOG("child failed at step %d", code);
}

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 'F';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -errno;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -errno ?: -EIO;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -ENOENT;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

TEST_F_TIMEOUT(life, scm_rights_after_sender_close, SP_TIMEOUT)
{
	struct tk_hs hs;
	struct objs o;
	uint8_t msgs[300];
	int sv[2], fd, code;
	pid_t pid;

	ASSERT_EQ(0, tk_random(msgs, sizeof(msgs)));
	ASSERT_EQ(0, tk_hs_new(&hs, &self->rsa, SP_TLS1_2,
			       SP_RSA_AES128_GCM_SHA256, SP_TLS1_2));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	/* The receiver has never seen the file: it is forked before open. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int rfd;

		close(sv[0]);
		if (read(sv[1], &o, sizeof(o)) != sizeof(o))
			_exit(20);
		rfd = recv_fd(sv[1]);
		if (rfd < 0)
			_exit(21);
		/* The sender has closed its copy by now (it said so). */
		if (read(sv[1], &code, 1) != 1)
			_exit(22);
		code = use_objs(rfd, &hs, msgs, sizeof(msgs), &o);
		close(rfd);
		_exit(code);
	}
	close(sv[1]);
	fd = sp_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, make_objs(fd, &self->rsa, &hs, msgs, sizeof(msgs), &o));
	ASSERT_EQ(sizeof(o), write(sv[0], &o, sizeof(o)));
	ASSERT_EQ(0, send_fd(sv[0], fd));
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(1, write(sv[0], "c", 1));
	code = sp_wait_child(pid);
	close(sv[0]);
	EXPECT_EQ(0, code) TH_LOG("receiver failed at step %d", code);
}

/* --- unloading while in use ------------------------------------------- */

static void *busy_hasher(void *arg)
{
	struct race *r = arg;
	uint8_t buf[256] = { 1 };
	uint32_t h;
	int ret;

	while (!atomic_load(&r->stop)) {
		ret = sp_new_hash(r->fd, &h);
		race_check(r, "HASH_CREATE", ret);
		if (!ret) {
			race_check(r, "HASH_UPDATE",
				   sp_hash_update(r->fd, h, buf, sizeof(buf)));
			race_check(r, "FREE", sp_free(r->fd, h));
		}
	}
	return NULL;
}

TEST_F_TIMEOUT(life, unload_refused_while_open, SP_TIMEOUT)
{
	static const char msg[] = "still working after an unload attempt";
	static const int flags[] = { O_NONBLOCK, 0 };
	uint8_t want[32], got[SSLPROV_MAX_SESSION_HASH];
	struct race r = { 0 };
	pthread_t t[2];
	unsigned int wlen;
	uint32_t h, len;
	int i, ret, fd;

	r.fd = sp_open();
	ASSERT_LE(0, r.fd);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, busy_hasher, &r));
	usleep(100000);
	for (i = 0; i < 2; i++) {
		ret = syscall(SYS_delete_module, "sslprov", flags[i]) ? -errno : 0;
		if (ret == -EPERM) {
			atomic_store(&r.stop, true);
			pthread_join(t[0], NULL);
			pthread_join(t[1], NULL);
			close(r.fd);
			SKIP(return, "no CAP_SYS_MODULE");
		}
		/* rmmod's "in use"; EBUSY would be as clean. */
		EXPECT_TRUE(ret == -EWOULDBLOCK || ret == -EBUSY)
			TH_LOG("delete_module(flags %#x) with a busy file open: %s",
			       flags[i], sp_errname(ret));
	}
	atomic_store(&r.stop, true);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	EXPECT_EQ(0, atomic_load(&r.bad));
	EXPECT_LT(0, (long)atomic_load(&r.ok));
	ASSERT_EQ(0, close(r.fd));

	/* The module is still there and computes what OpenSSL does. */
	ASSERT_EQ(0, access(SP_SYSFS_MODULE, F_OK));
	fd = sp_open();
	ASSERT_LE(0, fd) TH_LOG("open after the attempt: %s", sp_errname(fd));
	ASSERT_EQ(0, tk_hash_of(fd, SP_TLS1_2, SP_RSA_AES128_GCM_SHA256, msg,
				sizeof(msg), &h));
	ASSERT_EQ(0, tk_hash_digest(fd, h, got, &len));
	ASSERT_EQ(0, tk_digest("SHA256", msg, sizeof(msg), want, &wlen));
	ASSERT_EQ(wlen, len);
	EXPECT_EQ(0, memcmp(want, got, wlen));
	close(fd);
}

TEST_HARNESS_MAIN
