// SPDX-License-Identifier: GPL-2.0
/*
 * Sequence fuzzer: valid TLS 1.2 server call sequences (open, import an
 * RSA private key, import a master key from a premaster OpenSSL encrypted,
 * Finished, session keys for both sides, encrypt a record and decrypt it
 * with the peer's key, free, close), with random calls mutated on the way:
 * argument sizes (short, long with zero or junk tail, over a page, a size
 * field that claims bytes running into a guard page), the argument itself
 * NULL, misaligned or read-only, buffer pointers NULL, unmapped, misaligned
 * or read-only, handles stale, foreign, of the wrong type or random, flags,
 * reserved fields and lengths.  Several forked processes, each with several
 * threads, run sequences at once, on files of their own, on one file per
 * process shared by its threads, and on one file all processes inherited.
 *
 * Every call must return success or a clean negative errno from the ABI's
 * list; an unmutated call in a valid sequence on a file nobody else
 * disturbs must succeed, and its results must match OpenSSL (Finished) or
 * the peer (a record round trip).  A signal, a hang or counters that do not
 * return to their baseline after every file is closed fail the test.
 *
 * Environment: SSLPROV_FUZZ_SEED (replay; else SSLPROV_SEED, else the
 * clock), SSLPROV_FUZZ_ITERS (sequences per worker, default 60),
 * SSLPROV_FUZZ_SECONDS (time budget, default 20).  The seed is printed;
 * each worker's generator is derived from it, so a replay repeats every
 * worker's choices (thread interleaving is up to the scheduler).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sslprov_test.h"
#include "tls12_common.h"

#define NPROCS		2
#define NTHREADS	3
#define MAX_STALE	16
#define REC_BUF		(SSLPROV_MAX_RECORD + 64)
#define RODATA_PAGES	6

/* Results of all workers of all processes: a MAP_SHARED page. */
struct fz_shared {
	atomic_int failures;
	atomic_ulong calls;
	atomic_ulong mutated;
	atomic_ulong errors;
	atomic_ulong sequences;
	atomic_ulong finished_ok;	/* matched OpenSSL */
	atomic_ulong roundtrips;	/* record decrypted by the peer key */
	atomic_int first_lock;
	char first[768];
};

static struct fz_shared *shared;
static struct tk_rsa rsa;
static long pagesz;

enum fd_kind { FD_OWN, FD_PROC, FD_GLOBAL };

struct worker {
	uint64_t rng;
	int id;
	int proc_fd;		/* shared by this process's threads */
	int global_fd;		/* inherited by every process */
	enum fd_kind kind;
	int fd;
	char *rw;		/* one read-write page, then a guard page */
	char *ro;		/* a read-only page */
	char *rodata;		/* read-only copies of input buffers */
	uint8_t *in, *out;	/* record buffers */
	uint32_t stale[MAX_STALE];
	int nstale;
	uint32_t foreign[4];	/* handles of the previous sequence's file */
	int foreign_fd;		/* ... which was this one, or -1 */
	double deadline;
	unsigned long iters;
	bool mutating;		/* this sequence may mutate calls */
};

static uint32_t rnd(struct worker *w, uint32_t n)
{
	return sp_rand_below(&w->rng, n);
}

/* One in @n. */
static bool chance(struct worker *w, uint32_t n)
{
	return rnd(w, n) == 0;
}

/* One in @n, in a sequence that mutates. */
static bool mutate(struct worker *w, uint32_t n)
{
	return w->mutating && chance(w, n);
}

static void fail(struct worker *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct worker *w, const char *fmt, ...)
{
	va_list ap;
	int zero = 0;

	atomic_fetch_add(&shared->failures, 1);
	if (!atomic_compare_exchange_strong(&shared->first_lock, &zero, 1))
		return;
	va_start(ap, fmt);
	snprintf(shared->first, 64, "pid %d worker %d: ", getpid(), w->id);
	vsnprintf(shared->first + strlen(shared->first),
		  sizeof(shared->first) - strlen(shared->first), fmt, ap);
	va_end(ap);
}

/* The errors the ABI documents (uapi/linux/sslprov.h, "Errors"). */
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

/* How the argument structure itself is passed. */
enum arg_mut {
	A_NONE,
	A_MISALIGNED,	/* valid: copy_from_user does not care */
	A_LONG_ZERO,	/* valid: a newer caller's zeroed tail */
	A_SHORT,	/* -EINVAL */
	A_LONG_JUNK,	/* -E2BIG */
	A_HUGE,		/* -E2BIG */
	A_LYING,	/* size runs into the guard page: -EFAULT */
	A_NULL,		/* -EFAULT */
	A_READONLY,	/* whatever the ioctl writes back fails */
	A_NR
};

/*
 * Issue @cmd with @arg (@len bytes, first published size @ver0), passed
 * as @am says; copy back what the kernel wrote.  @valid: the sequence and
 * every field are as the ABI wants, so the call must succeed unless
 * another worker shares the file.  Returns the call's result.
 */
static int fz_call(struct worker *w, const char *name, unsigned long cmd,
		   void *arg, size_t len, size_t ver0, bool valid)
{
	enum arg_mut am = A_NONE;
	int want = 1;		/* 1: no fixed expectation */
	char *p = w->rw;
	uint32_t size = (uint32_t)len;
	int ret;

	if (mutate(w, 6))
		am = (enum arg_mut)(1 + rnd(w, A_NR - 1));
	memset(w->rw, 0, pagesz);
	switch (am) {
	case A_NONE:
		break;
	case A_MISALIGNED:
		p = w->rw + 1 + rnd(w, 7);
		break;
	case A_LONG_ZERO:
		size = (uint32_t)(len + 1 + rnd(w, pagesz - len - 8));
		break;
	case A_SHORT:
		size = rnd(w, (uint32_t)ver0);
		want = -EINVAL;
		break;
	case A_LONG_JUNK:
		size = (uint32_t)(len + 1 + rnd(w, 64));
		w->rw[len + rnd(w, size - len)] = (char)(1 + rnd(w, 255));
		want = -E2BIG;
		break;
	case A_HUGE:
		size = (uint32_t)pagesz + 1 + rnd(w, 1 << 20);
		if (chance(w, 4))
			size = UINT32_MAX;
		want = -E2BIG;
		break;
	case A_LYING:
		/* The structure ends at the guard page; size claims more. */
		p = w->rw + pagesz - len;
		size = (uint32_t)(len + 1 + rnd(w, 128));
		want = -EFAULT;
		break;
	case A_NULL:
		p = NULL;
		want = -EFAULT;
		break;
	case A_READONLY:
		p = w->ro;
		break;
	case A_NR:
		break;
	}
	((uint32_t *)arg)[0] = size;
	if (am == A_READONLY) {
		if (mprotect(w->ro, pagesz, PROT_READ | PROT_WRITE) == 0) {
			memcpy(w->ro, arg, len);
			mprotect(w->ro, pagesz, PROT_READ);
		}
	} else if (p) {
		memcpy(p, arg, len);
	}
	ret = sp_ioctl(w->fd, cmd, p);
	atomic_fetch_add(&shared->calls, 1);
	if (ret)
		atomic_fetch_add(&shared->errors, 1);
	if (p)
		memcpy(arg, p, len);
	((uint32_t *)arg)[0] = (uint32_t)len;

	if (!clean_errno(ret)) {
		fail(w, "%s (arg mutation %d, size %u): returned %d (%s), not a documented errno",
		     name, am, size, ret, sp_errname(ret));
		return ret;
	}
	if (want != 1 && ret != want) {
		fail(w, "%s with arg mutation %d (size %u): %s, want %s",
		     name, am, size, sp_errname(ret), sp_errname(want));
		return ret ?: -EPROTO;
	}
	if (am != A_NONE && am != A_MISALIGNED && am != A_LONG_ZERO) {
		atomic_fetch_add(&shared->mutated, 1);
		/* A_READONLY: may have worked but the handle is unknown. */
		return ret ?: -EFAULT;
	}
	if (valid && ret && w->kind == FD_OWN)
		fail(w, "%s: a valid call failed: %s (arg mutation %d)", name,
		     sp_errname(ret), am);
	/* Shared files: another worker may free our handles at random. */
	else if (valid && ret && ret != -EBADF && ret != -EKEYREJECTED &&
	    ret != -ENOSPC && ret != -EINVAL)
		fail(w, "%s: a valid call on a shared file failed: %s", name,
		     sp_errname(ret));
	return ret;
}

/* A handle mutation: stale, foreign, random, zero, or @wrong (a valid
 * handle of another type).  Returns true when it replaced *h.
 */
static bool mut_handle(struct worker *w, uint32_t *h, uint32_t wrong)
{
	if (!mutate(w, 7))
		return false;
	switch (rnd(w, 5)) {
	case 0:
		*h = w->nstale ? w->stale[rnd(w, w->nstale)] : 0x7fffffff;
		break;
	case 1:	/* a handle of another file */
		if (w->foreign_fd != w->fd && w->foreign[0])
			*h = w->foreign[rnd(w, 4)];
		else
			*h = 1 + rnd(w, 8);
		break;
	case 2:
		*h = (uint32_t)sp_rand64(&w->rng);
		break;
	case 3:
		*h = 0;
		break;
	default:
		if (!wrong)
			return false;
		*h = wrong;
		break;
	}
	return true;
}

/*
 * A user pointer mutation for the buffer at *ptr (@len bytes).  Returns
 * true when the call is no longer valid: an input moved to a read-only
 * copy of itself, or to a misaligned one, still is.
 */
static bool mut_ptr(struct worker *w, __u64 *ptr, uint32_t len, bool output)
{
	long room = RODATA_PAGES * pagesz;
	char *dst;
	void *un;

	if (!output && *ptr && len < room - 8 && chance(w, 10)) {
		dst = w->rodata + rnd(w, 8);
		if (mprotect(w->rodata, room, PROT_READ | PROT_WRITE))
			return false;
		memmove(dst, (void *)(uintptr_t)*ptr, len);
		mprotect(w->rodata, room, PROT_READ);
		*ptr = (uintptr_t)dst;
		return false;
	}

	if (!mutate(w, 8))
		return false;
	switch (rnd(w, 4)) {
	case 0:
		*ptr = 0;
		return true;
	case 1:
		un = sp_unmapped_addr();
		*ptr = (uintptr_t)un;
		return true;
	case 2:
		*ptr = (uintptr_t)w->ro;	/* zeros, and not writable */
		return true;
	default:
		*ptr = 0xffff800000000000ULL + rnd(w, 1 << 20); /* kernel */
		return true;
	}
}

/* A length mutation around @valid_len and the ABI's limits. */
static bool mut_len(struct worker *w, uint32_t *len, uint32_t max)
{
	static const int64_t deltas[] = { -1, 1, 16, -16 };

	if (!mutate(w, 8))
		return false;
	switch (rnd(w, 6)) {
	case 0: *len = 0; break;
	case 1: *len = max + 1; break;
	case 2: *len = UINT32_MAX; break;
	case 3: *len = (uint32_t)sp_rand64(&w->rng); break;
	case 4: *len = max; break;
	default: *len = (uint32_t)(*len + deltas[rnd(w, 4)]); break;
	}
	return true;
}

static bool mut_u32(struct worker *w, uint32_t *v)
{
	if (!mutate(w, 10))
		return false;
	*v = chance(w, 2) ? 1u << rnd(w, 32) : (uint32_t)sp_rand64(&w->rng);
	return true;
}

static void remember_stale(struct worker *w, uint32_t h)
{
	if (!h)
		return;
	if (w->nstale < MAX_STALE)
		w->stale[w->nstale++] = h;
	else
		w->stale[rnd(w, MAX_STALE)] = h;
}

static void fz_free(struct worker *w, uint32_t h, uint32_t other)
{
	struct sslprov_free a = { .handle = h };
	bool mut = false;
	int ret;

	if (!h)
		return;
	mut |= mut_u32(w, &a.flags);
	mut |= mut_u32(w, &a.__reserved);
	/* Someone else's handle, on a shared file only: on a private one it
	 * would free a handle this sequence still frees itself.
	 */
	if (w->kind != FD_OWN && mutate(w, 10)) {
		a.handle = other;
		mut = true;
	}
	ret = fz_call(w, "FREE", SSLPROV_IOC_FREE, &a, sizeof(a),
		      SSLPROV_FREE_SIZE_VER0, !mut);
	if (!mut && !ret) {
		remember_stale(w, h);
		/* a second free of the same handle: always -EBADF */
		if (chance(w, 6)) {
			a.handle = h;
			a.size = sizeof(a);
			ret = sp_ioctl(w->fd, SSLPROV_IOC_FREE, &a);
			if (ret != -EBADF)
				fail(w, "FREE twice: %s, want EBADF",
				     sp_errname(ret));
		}
	}
}

/* One sequence; handles left behind are freed by close (or stay on a
 * shared file until its last close).
 */
static void fz_sequence(struct worker *w)
{
	uint32_t key = 0, master = 0, hash = 0, rs = 0, ws = 0, rc = 0, wc = 0;
	uint8_t msgs[200], want[TK_VERIFY_LEN], got[TK_VERIFY_LEN];
	bool valid = true, mut, own_fd = false;
	struct sslprov_key_import ki;
	struct sslprov_master_import mi;
	struct sslprov_session_keys sk;
	struct sslprov_finished fin;
	struct sslprov_record rec;
	uint32_t suite, plen, rlen = 0;
	uint64_t enc_seq;
	struct tk_hs hs;
	int ret;

	w->kind = (enum fd_kind)rnd(w, 3);
	/* A third of the sequences are clean: they must work end to end. */
	w->mutating = !chance(w, 3);
	if (w->kind == FD_OWN) {
		w->fd = sp_open();
		if (w->fd < 0) {
			fail(w, "open: %s", sp_errname(w->fd));
			return;
		}
		own_fd = true;
	} else {
		w->fd = w->kind == FD_PROC ? w->proc_fd : w->global_fd;
	}

	suite = chance(w, 2) ? SP_RSA_AES128_GCM_SHA256 : SP_RSA_AES256_GCM_SHA384;
	if (tk_hs_new(&hs, &rsa, SP_TLS1_2, suite, SP_TLS1_2)) {
		fail(w, "oracle: %s", tk_ossl_err());
		goto out;
	}

	/* KEY_IMPORT */
	memset(&ki, 0, sizeof(ki));
	ki.der_len = (uint32_t)rsa.der_len;
	ki.der = (uintptr_t)rsa.der;
	if (chance(w, 4))	/* misaligned input is still valid input */
		ki.der = (uintptr_t)memcpy(w->in + 1, rsa.der, rsa.der_len);
	mut = mut_ptr(w, &ki.der, ki.der_len, false);
	mut |= mut_len(w, &ki.der_len, SSLPROV_MAX_KEY_DER);
	mut |= mut_u32(w, &ki.flags);
	ret = fz_call(w, "KEY_IMPORT", SSLPROV_IOC_KEY_IMPORT, &ki, sizeof(ki),
		      SSLPROV_KEY_IMPORT_SIZE_VER0, !mut);
	if (!ret)
		key = ki.handle;
	valid &= !mut && !ret;

	/* MASTER_IMPORT, sometimes with a foreign or wrong-type key. */
	tk_mi_init(&mi, key, hs.protocol, hs.suite, hs.client_version,
		   hs.enc, (uint32_t)hs.enc_len, hs.cr, hs.sr);
	mut = mut_handle(w, &mi.private_key, 0);
	mut |= mut_ptr(w, &mi.enc, mi.enc_len, false);
	mut |= mut_len(w, &mi.enc_len, 2048);
	mut |= mut_u32(w, &mi.flags);
	mut |= mut_u32(w, &mi.protocol);
	mut |= mut_u32(w, &mi.cipher_suite);
	mut |= mut_u32(w, &mi.session_hash_len);
	mut |= mut_u32(w, &mi.__reserved);
	if (mutate(w, 10)) {
		/* A corrupt ciphertext is not an error (RFC 5246 7.4.7.1). */
		memcpy(w->in, hs.enc, hs.enc_len);
		w->in[rnd(w, (uint32_t)hs.enc_len)] ^= 0x40;
		mi.enc = (uintptr_t)w->in;
		mut = true;
	}
	ret = fz_call(w, "MASTER_IMPORT", SSLPROV_IOC_MASTER_IMPORT, &mi,
		      sizeof(mi), SSLPROV_MASTER_IMPORT_SIZE_VER0,
		      valid && !mut);
	if (!ret)
		master = mi.handle;
	valid &= !mut && !ret;

	/* FINISHED, checked against OpenSSL's PRF over our master secret. */
	tk_random(msgs, sizeof(msgs));
	if (master && tk_hash_of(w->fd, SP_TLS1_2, suite, msgs, sizeof(msgs),
				 &hash) && w->kind == FD_OWN)
		fail(w, "handshake hash: failed on a private file");
	memset(&fin, 0, sizeof(fin));
	fin.flags = SSLPROV_SERVER;
	fin.master_key = master;
	fin.hash = hash;
	fin.out_len = TK_VERIFY_LEN;
	fin.out = (uintptr_t)got;
	mut = mut_handle(w, &fin.master_key, hash);
	mut |= mut_handle(w, &fin.hash, key);
	mut |= mut_ptr(w, &fin.out, 0, true);
	mut |= mut_len(w, &fin.out_len, TK_VERIFY_LEN);
	mut |= mut_u32(w, &fin.flags);
	memset(got, 0, sizeof(got));
	ret = fz_call(w, "FINISHED", SSLPROV_IOC_FINISHED, &fin, sizeof(fin),
		      SSLPROV_FINISHED_SIZE_VER0, valid && hash && !mut);
	if (valid && hash && !mut && !ret) {
		if (tk_verify_data(SP_TLS1_2, suite, hs.ms, SSLPROV_SERVER,
				   msgs, sizeof(msgs), want))
			fail(w, "oracle verify_data: %s", tk_ossl_err());
		else if (!memcmp(want, got, sizeof(want)))
			atomic_fetch_add(&shared->finished_ok, 1);
		else if (w->kind == FD_OWN)
			fail(w, "FINISHED differs from OpenSSL's: %s",
			     tk_hex(got, sizeof(got)));
	}

	/* SESSION_KEYS for our side and the client's: a record round trip. */
	memset(&sk, 0, sizeof(sk));
	sk.flags = SSLPROV_SERVER;
	sk.master_key = master;
	memcpy(sk.client_random, hs.cr, SSLPROV_RANDOM_LEN);
	memcpy(sk.server_random, hs.sr, SSLPROV_RANDOM_LEN);
	mut = mut_handle(w, &sk.master_key, key);
	mut |= mut_u32(w, &sk.flags);
	mut |= mut_u32(w, &sk.__reserved);
	ret = fz_call(w, "SESSION_KEYS", SSLPROV_IOC_SESSION_KEYS, &sk,
		      sizeof(sk), SSLPROV_SESSION_KEYS_SIZE_VER0,
		      valid && !mut);
	if (!ret) {
		rs = sk.read_key;
		ws = sk.write_key;
	}
	valid &= !mut && !ret;
	if (valid && chance(w, 5)) {
		/* The same side again would restart the sequence numbers. */
		sk.size = sizeof(sk);
		ret = sp_ioctl(w->fd, SSLPROV_IOC_SESSION_KEYS, &sk);
		if (ret != -EINVAL && !(w->kind != FD_OWN && ret == -EBADF))
			fail(w, "SESSION_KEYS twice for one side: %s, want EINVAL",
			     sp_errname(ret));
		if (!ret) {
			remember_stale(w, sk.read_key);
			remember_stale(w, sk.write_key);
		}
	}
	memset(&sk, 0, sizeof(sk));
	sk.flags = SSLPROV_CLIENT;
	sk.master_key = master;
	memcpy(sk.client_random, hs.cr, SSLPROV_RANDOM_LEN);
	memcpy(sk.server_random, hs.sr, SSLPROV_RANDOM_LEN);
	ret = fz_call(w, "SESSION_KEYS(client)", SSLPROV_IOC_SESSION_KEYS,
		      &sk, sizeof(sk), SSLPROV_SESSION_KEYS_SIZE_VER0, valid);
	if (!ret) {
		rc = sk.read_key;
		wc = sk.write_key;
	}
	valid &= !ret;

	/* ENCRYPT with the server's write key ... */
	plen = chance(w, 8) ? SSLPROV_MAX_RECORD_PLAINTEXT : rnd(w, 2000);
	tk_random(w->in, plen);
	memset(&rec, 0, sizeof(rec));
	rec.key = ws;
	rec.content_type = TK_CT_APPDATA;
	rec.seq = rnd(w, 4);
	rec.in_len = plen;
	rec.out_len = REC_BUF;
	rec.in = (uintptr_t)w->in;
	rec.out = (uintptr_t)w->out;
	mut = mut_handle(w, &rec.key, rs);
	mut |= mut_ptr(w, &rec.in, plen, false);
	mut |= mut_ptr(w, &rec.out, 0, true);
	mut |= mut_len(w, &rec.in_len, SSLPROV_MAX_RECORD_PLAINTEXT);
	mut |= mut_len(w, &rec.out_len, plen + TK_GCM_OVERHEAD);
	mut |= mut_u32(w, &rec.content_type);
	mut |= mut_u32(w, &rec.flags);
	mut |= mut_u32(w, &rec.__reserved);
	ret = fz_call(w, "ENCRYPT", SSLPROV_IOC_ENCRYPT, &rec, sizeof(rec),
		      SSLPROV_RECORD_SIZE_VER0, valid && !mut);
	enc_seq = rec.seq;
	if (!ret && !mut) {
		rlen = rec.result_len;
		if (rlen != plen + TK_GCM_OVERHEAD)
			fail(w, "ENCRYPT: %u bytes for %u of plaintext", rlen,
			     plen);
	}
	valid &= !mut && !ret;

	/* ... and DECRYPT with the client's read key: the same plaintext. */
	memset(&rec, 0, sizeof(rec));
	rec.key = rc;
	rec.seq = enc_seq;
	rec.in_len = rlen;
	rec.out_len = REC_BUF;
	rec.in = (uintptr_t)w->out;
	rec.out = (uintptr_t)(w->out + REC_BUF);
	mut = mut_handle(w, &rec.key, wc);
	mut |= mut_ptr(w, &rec.in, rlen, false);
	mut |= mut_ptr(w, &rec.out, 0, true);
	mut |= mut_len(w, &rec.in_len, SSLPROV_MAX_RECORD);
	mut |= mut_len(w, &rec.out_len, plen);
	mut |= mut_u32(w, &rec.content_type);
	if (valid && !mut && rlen > 5 && chance(w, 8)) {
		w->out[5 + rnd(w, rlen - 5)] ^= 1;	/* tamper: EBADMSG */
		ret = tk_record(w->fd, SSLPROV_IOC_DECRYPT, rc, 0, enc_seq,
				w->out, rlen, w->out + REC_BUF, REC_BUF, NULL);
		if (ret != -EBADMSG && !(w->kind != FD_OWN && ret == -EBADF))
			fail(w, "DECRYPT of a tampered record: %s, want EBADMSG",
			     sp_errname(ret));
	} else if (valid || rc) {
		ret = fz_call(w, "DECRYPT", SSLPROV_IOC_DECRYPT, &rec,
			      sizeof(rec), SSLPROV_RECORD_SIZE_VER0,
			      valid && !mut);
		if (valid && !mut && !ret) {
			if (rec.result_len != plen ||
			    memcmp(w->out + REC_BUF, w->in, plen))
				fail(w, "DECRYPT gave %u bytes, not the %u encrypted",
				     rec.result_len, plen);
			else
				atomic_fetch_add(&shared->roundtrips, 1);
		}
	}

	/* Free all, some, or none (close frees the rest). */
	if (!chance(w, 4)) {
		uint32_t all[] = { wc, rc, ws, rs, hash, master, key };
		uint32_t other = (uint32_t)sp_rand64(&w->rng) % 64;
		size_t i;

		for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
			if (!chance(w, 6))
				fz_free(w, all[i], other);
	}
	w->foreign[0] = key;
	w->foreign[1] = master;
	w->foreign[2] = ws;
	w->foreign[3] = rc;
	/* a private file's number may come back: its handles are foreign */
	w->foreign_fd = own_fd ? -1 : w->fd;
out:
	if (own_fd)
		close(w->fd);
	w->fd = -1;
	atomic_fetch_add(&shared->sequences, 1);
}

static void *fz_worker(void *arg)
{
	struct worker *w = arg;
	unsigned long i;

	for (i = 0; i < w->iters && sp_now() < w->deadline; i++) {
		fz_sequence(w);
		if (atomic_load(&shared->failures) > 20)
			break;
	}
	return NULL;
}

static int worker_init(struct worker *w, int id, uint64_t seed)
{
	w->id = id;
	w->foreign_fd = -1;
	w->rng = seed ^ (0x9e3779b97f4a7c15ULL * (uint64_t)(id + 1));
	w->rng = w->rng ?: 1;
	w->rw = sp_map_guarded(1);
	w->ro = mmap(NULL, pagesz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		     -1, 0);
	w->rodata = mmap(NULL, RODATA_PAGES * pagesz, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	w->in = malloc(REC_BUF);
	w->out = malloc(2 * REC_BUF);
	if (!w->rw || w->ro == MAP_FAILED || w->rodata == MAP_FAILED ||
	    !w->in || !w->out)
		return -ENOMEM;
	return 0;
}

/* One process: NTHREADS workers; returns the exit status. */
static int fz_process(int proc, int global_fd, uint64_t seed, double deadline,
		      unsigned long iters)
{
	struct worker w[NTHREADS];
	pthread_t t[NTHREADS];
	int proc_fd, i;

	proc_fd = sp_open();
	if (proc_fd < 0)
		return 10;
	for (i = 0; i < NTHREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		if (worker_init(&w[i], proc * NTHREADS + i, seed))
			return 11;
		w[i].proc_fd = proc_fd;
		w[i].global_fd = global_fd;
		w[i].deadline = deadline;
		w[i].iters = iters;
		if (pthread_create(&t[i], NULL, fz_worker, &w[i]))
			return 12;
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	close(proc_fd);
	close(global_fd);
	return 0;
}

FIXTURE(seq) {
	struct sp_stats base;
};

FIXTURE_SETUP(seq)
{
	SP_REQUIRE_DEVICE();
	ASSERT_EQ(0, sp_stats_read(&self->base));
}

FIXTURE_TEARDOWN(seq)
{
}

TEST_F_TIMEOUT(seq, fuzz, SP_TIMEOUT)
{
	const char *env = getenv("SSLPROV_FUZZ_SEED");
	unsigned long iters = sp_env_ulong("SSLPROV_FUZZ_ITERS", 60);
	double budget = (double)sp_env_ulong("SSLPROV_FUZZ_SECONDS", 20);
	pid_t pids[NPROCS];
	double deadline, end;
	uint64_t seed;
	char diff[256];
	int global_fd, i, code, ret;

	seed = env && *env ? strtoull(env, NULL, 0) : sp_seed();
	seed = seed ?: 1;
	TH_LOG("seed %#" PRIx64 " (replay: SSLPROV_FUZZ_SEED=%#" PRIx64
	       "), %lu sequences per worker, %.0f s, %d processes x %d threads",
	       seed, seed, iters, budget, NPROCS, NTHREADS);

	pagesz = sysconf(_SC_PAGESIZE);
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, shared);
	memset(shared, 0, sizeof(*shared));
	ASSERT_EQ(0, tk_rsa_get(&rsa)) TH_LOG("RSA: %s", tk_ossl_err());

	global_fd = sp_open();
	ASSERT_LE(0, global_fd) TH_LOG("open: %s", sp_errname(global_fd));
	deadline = sp_now() + budget;
	for (i = 0; i < NPROCS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i])
			_exit(fz_process(i, global_fd, seed, deadline, iters));
	}
	close(global_fd);

	/* A worker stuck in the kernel past the budget is a hang. */
	end = deadline + 60;
	for (i = 0; i < NPROCS; i++) {
		int status;
		pid_t r;

		while ((r = waitpid(pids[i], &status, WNOHANG)) == 0 &&
		       sp_now() < end)
			usleep(50000);
		if (r == 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], &status, 0);
			EXPECT_EQ(0, 1) TH_LOG("process %d hung past the budget", i);
			continue;
		}
		code = WIFEXITED(status) ? WEXITSTATUS(status) :
		       1000 + WTERMSIG(status);
		EXPECT_EQ(0, code) TH_LOG("process %d: exit code %d", i, code);
	}

	TH_LOG("%lu sequences, %lu calls, %lu with a mutated argument, %lu errors",
	       atomic_load(&shared->sequences), atomic_load(&shared->calls),
	       atomic_load(&shared->mutated), atomic_load(&shared->errors));
	EXPECT_EQ(0, atomic_load(&shared->failures))
		TH_LOG("%d failures, first: %s (seed %#" PRIx64 ")",
		       atomic_load(&shared->failures), shared->first, seed);
	/* Enough happened to mean something. */
	EXPECT_LT(NPROCS * NTHREADS, (int)atomic_load(&shared->sequences));
	TH_LOG("%lu Finished values matched OpenSSL, %lu records round-tripped",
	       atomic_load(&shared->finished_ok),
	       atomic_load(&shared->roundtrips));
	EXPECT_LT(0, (int)atomic_load(&shared->finished_ok));
	EXPECT_LT(0, (int)atomic_load(&shared->roundtrips));

	ret = sp_stats_wait(&self->base, diff, sizeof(diff), 10);
	EXPECT_EQ(0, ret) TH_LOG("after every file closed: %s", diff);
	tk_rsa_free(&rsa);
}

TEST_HARNESS_MAIN
