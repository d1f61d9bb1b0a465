// SPDX-License-Identifier: GPL-2.0
/*
 * SSLPROV_IOC_KTLS_ATTACH (SslKtlsAttach): TLS 1.2 AES-GCM session keys
 * handed from the module to kernel TLS, for both suites kTLS can take
 * (0x009C, 0x009D), checked against an independent oracle.
 *
 * Every fixture runs one RSA key exchange the test knows the premaster of
 * (KEY_IMPORT of an OpenSSL key, MASTER_IMPORT of an OpenSSL ciphertext,
 * SESSION_KEYS as the server) and derives the same key block with OpenSSL's
 * TLS1-PRF (tls12_common.h).  On a loopback TCP connection the server end
 * ("srv") gets the module's write key as TLS_TX and read key as TLS_RX; the
 * other end ("peer") has no kTLS: the test reads and writes the records
 * there by hand, sealing and opening them with OpenSSL EVP AES-GCM under
 * the client/server keys of the oracle's key block (RFC 5246 6.3, RFC 5288):
 *
 *	srv --send()/sendfile()--> kTLS TX --records--> peer: oracle opens
 *	srv <--recv()-- kTLS RX <--records-- peer: oracle seals
 *
 * What is checked:
 *  - records: 1 MiB each way, record by record: header, explicit nonce and
 *    AAD sequence number starting at the attach's seq and counting up
 *    (across a 2^32 boundary); sendfile() from a file; IPv6;
 *  - the scrub: getsockopt(SOL_TLS) reports version and cipher, but key
 *    and salt are zeros (loopback has no TLS offload: software kTLS);
 *  - the key belongs to the socket afterwards: ENCRYPT/DECRYPT and a
 *    second attach give EKEYREJECTED, the key can be freed, the socket
 *    works on after the key and the whole /dev/sslprov file are gone, and
 *    the module's counters come back;
 *  - sequence rules shared with records: no attach below a sequence number
 *    already used, UINT64_MAX refused, UINT64_MAX - 1 allowed;
 *  - errors: not a socket, bad descriptor, not TCP, not connected, wrong
 *    kind of handle, flags, a direction kTLS has keyed already (EBUSY:
 *    the key is left unused);
 *  - the same through libsslprov (SslImportKey .. SslKtlsAttach) with its
 *    NTE_* codes.
 *
 * Not tested: the window, documented in module/ktls.c, in which a racing
 * getsockopt() can see the key before it is wiped.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/tls.h>

#include "kselftest_harness.h"
#include "sslprov_test.h"
#include "tls12_common.h"
#include "../lib/include/sslprovider.h"

#ifndef SOL_TLS
#define SOL_TLS		282
#endif
#ifndef TCP_ULP
#define TCP_ULP		31
#endif
#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP	262
#endif

#define KT_BULK		(1u << 20)
#define KT_MAXFRAG	SSLPROV_MAX_RECORD_PLAINTEXT
#define KT_MAXREC	(KT_MAXFRAG + TK_GCM_OVERHEAD)
/* Seconds a blocked send/recv waits before the test gives up on it. */
#define KT_IO_TIMEOUT	120

/* --- small helpers -------------------------------------------------------- */

static int kt_attach(int dev, uint32_t key, int sock, uint64_t seq)
{
	struct sslprov_ktls a = {
		.size = sizeof(a),
		.key = key,
		.fd = sock,
		.seq = seq,
	};

	return sp_ioctl(dev, SSLPROV_IOC_KTLS_ATTACH, &a);
}

static int kt_attach_flags(int dev, uint32_t key, int sock, uint64_t seq,
			   uint32_t flags)
{
	struct sslprov_ktls a = {
		.size = sizeof(a),
		.flags = flags,
		.key = key,
		.fd = sock,
		.seq = seq,
	};

	return sp_ioctl(dev, SSLPROV_IOC_KTLS_ATTACH, &a);
}

static uint64_t kt_get_be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void kt_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int kt_set_timeouts(int s)
{
	struct timeval tv = { .tv_sec = KT_IO_TIMEOUT };

	if (setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
		return -errno;
	return 0;
}

static socklen_t kt_loopback(int family, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_loopback;
		return sizeof(*s6);
	}
	((struct sockaddr_in *)ss)->sin_family = AF_INET;
	((struct sockaddr_in *)ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof(struct sockaddr_in);
}

/* A listening TCP socket on loopback (port chosen by the kernel). */
static int kt_listener(int family, struct sockaddr_storage *ss,
		       socklen_t *len)
{
	int ls, err;

	*len = kt_loopback(family, ss);
	ls = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0)
		return -errno;
	if (bind(ls, (struct sockaddr *)ss, *len) || listen(ls, 4) ||
	    getsockname(ls, (struct sockaddr *)ss, len)) {
		err = -errno;
		close(ls);
		return err;
	}
	return ls;
}

/*
 * A connected TCP pair over loopback: *srv the accepted end, *peer the
 * connecting one.  Both time out blocked I/O after KT_IO_TIMEOUT.
 */
static int kt_tcp_pair(int family, int *srv, int *peer)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int ls, err = 0;

	*srv = *peer = -1;
	ls = kt_listener(family, &ss, &len);
	if (ls < 0)
		return ls;
	*peer = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*peer < 0 || connect(*peer, (struct sockaddr *)&ss, len))
		err = -errno;
	if (!err) {
		*srv = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
		if (*srv < 0)
			err = -errno;
	}
	if (!err)
		err = kt_set_timeouts(*srv) ?: kt_set_timeouts(*peer);
	close(ls);
	if (err) {
		kt_close(srv);
		kt_close(peer);
	}
	return err;
}

/* A connected MPTCP pair over loopback, or -errno (no MPTCP). */
static int kt_mptcp_pair(int *a, int *b)
{
	struct sockaddr_storage ss;
	socklen_t len = kt_loopback(AF_INET, &ss);
	int ls, err = 0;

	*a = *b = -1;
	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_MPTCP);
	if (ls < 0)
		return -errno;
	if (bind(ls, (struct sockaddr *)&ss, len) || listen(ls, 1) ||
	    getsockname(ls, (struct sockaddr *)&ss, &len))
		err = -errno;
	if (!err) {
		*b = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC,
			    IPPROTO_MPTCP);
		if (*b < 0 || connect(*b, (struct sockaddr *)&ss, len))
			err = -errno;
	}
	if (!err) {
		*a = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
		if (*a < 0)
			err = -errno;
	}
	close(ls);
	if (err) {
		kt_close(a);
		kt_close(b);
	}
	return err;
}

/* Read exactly @len bytes: 0, -EPIPE at end of stream, or -errno. */
static int kt_read_full(int s, void *p, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = recv(s, (uint8_t *)p + got, len - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		got += n;
	}
	return 0;
}

static int kt_write_full(int s, const void *p, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = send(s, (const uint8_t *)p + done, len - done,
			 MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += n;
	}
	return 0;
}

/* --- the oracle's end of the connection ----------------------------------------- */

/*
 * One direction of records as the oracle sees it: the key and salt from
 * its key block, and the sequence number of the next record.
 */
struct kt_oracle {
	const uint8_t *key;
	unsigned int klen;
	const uint8_t *salt;
	uint64_t seq;
	unsigned long records;
	char why[256];
};

static void kt_oracle_init(struct kt_oracle *o, const uint8_t *key,
			   unsigned int klen, const uint8_t *salt, uint64_t seq)
{
	memset(o, 0, sizeof(*o));
	o->key = key;
	o->klen = klen;
	o->salt = salt;
	o->seq = seq;
}

/*
 * Read records from @s (a plain TCP socket) until they carried @want bytes
 * of plaintext, into @out.  Every record must be TLS 1.2 application data
 * whose explicit nonce is its sequence number (what kTLS and the module
 * send), and open under the oracle's key with that sequence number in the
 * AAD.  Returns 0, or -1 with o->why set.
 */
static int kt_oracle_recv(int s, struct kt_oracle *o, uint8_t *out,
			  size_t want)
{
	uint8_t *rec = malloc(KT_MAXREC);
	size_t got = 0, len;
	long n;
	int ret = -1, err;

	if (!rec) {
		snprintf(o->why, sizeof(o->why), "out of memory");
		return -1;
	}
	while (got < want) {
		err = kt_read_full(s, rec, TK_HDR);
		if (err) {
			snprintf(o->why, sizeof(o->why),
				 "record %lu (seq %#llx): reading the header after %zu of %zu bytes: %s",
				 o->records, (unsigned long long)o->seq, got,
				 want, strerror(-err));
			goto out;
		}
		len = (size_t)rec[3] << 8 | rec[4];
		if (rec[0] != TK_CT_APPDATA || rec[1] != 3 || rec[2] != 3 ||
		    len <= TK_GCM_EXPLICIT + TK_GCM_TAG ||
		    len > KT_MAXREC - TK_HDR) {
			snprintf(o->why, sizeof(o->why),
				 "record %lu (seq %#llx): bad header %s",
				 o->records, (unsigned long long)o->seq,
				 tk_hex(rec, TK_HDR));
			goto out;
		}
		err = kt_read_full(s, rec + TK_HDR, len);
		if (err) {
			snprintf(o->why, sizeof(o->why),
				 "record %lu (seq %#llx): reading %zu bytes: %s",
				 o->records, (unsigned long long)o->seq, len,
				 strerror(-err));
			goto out;
		}
		if (kt_get_be64(rec + TK_HDR) != o->seq) {
			snprintf(o->why, sizeof(o->why),
				 "record %lu: explicit nonce %#llx, want the sequence number %#llx",
				 o->records,
				 (unsigned long long)kt_get_be64(rec + TK_HDR),
				 (unsigned long long)o->seq);
			goto out;
		}
		if (got + len - TK_GCM_EXPLICIT - TK_GCM_TAG > want) {
			snprintf(o->why, sizeof(o->why),
				 "record %lu (seq %#llx): %zu bytes of plaintext, only %zu more expected",
				 o->records, (unsigned long long)o->seq,
				 len - TK_GCM_EXPLICIT - TK_GCM_TAG,
				 want - got);
			goto out;
		}
		n = tk_record_open(o->key, o->klen, o->salt, o->seq, rec,
				   TK_HDR + len, out + got);
		if (n < 0) {
			snprintf(o->why, sizeof(o->why),
				 "record %lu (seq %#llx, %zu bytes): the oracle cannot open it: %s",
				 o->records, (unsigned long long)o->seq,
				 TK_HDR + len, sp_errname((int)n));
			goto out;
		}
		got += n;
		o->seq++;
		o->records++;
	}
	ret = 0;
out:
	free(rec);
	return ret;
}

/*
 * Seal @len bytes of @data into application data records of random sizes
 * (1 .. 2^14) and write them to @s.  Returns 0, or -1 with o->why set.
 */
static int kt_oracle_send(int s, struct kt_oracle *o, const uint8_t *data,
			  size_t len, uint64_t *rng)
{
	uint8_t *rec = malloc(KT_MAXREC);
	size_t done = 0, n;
	int ret = -1, err;

	if (!rec) {
		snprintf(o->why, sizeof(o->why), "out of memory");
		return -1;
	}
	while (done < len) {
		n = 1 + sp_rand_below(rng, KT_MAXFRAG);
		if (n > len - done)
			n = len - done;
		if (tk_record_seal(o->key, o->klen, o->salt, o->seq,
				   TK_CT_APPDATA, data + done, n, rec)) {
			snprintf(o->why, sizeof(o->why),
				 "record %lu: the oracle cannot seal: %.160s",
				 o->records, tk_ossl_err());
			goto out;
		}
		err = kt_write_full(s, rec, n + TK_GCM_OVERHEAD);
		if (err) {
			snprintf(o->why, sizeof(o->why),
				 "record %lu (seq %#llx): writing: %s",
				 o->records, (unsigned long long)o->seq,
				 strerror(-err));
			goto out;
		}
		done += n;
		o->seq++;
		o->records++;
	}
	ret = 0;
out:
	free(rec);
	return ret;
}

/* --- the other side of a transfer, in a thread (no harness asserts there) ------ */

enum kt_job_kind {
	KT_JOB_SEND,		/* send() data on a kTLS socket, random chunks */
	KT_JOB_SENDFILE,	/* sendfile() file[off..off+len) to it */
	KT_JOB_ORACLE_SEND,	/* seal records with the oracle, write them */
};

struct kt_job {
	enum kt_job_kind kind;
	int sock;
	const uint8_t *data;
	size_t len;
	int file;
	off_t off;
	struct kt_oracle *o;
	uint64_t rng;
	pthread_t thread;
	int ret;
	char why[256];
};

static void *kt_job_run(void *arg)
{
	struct kt_job *j = arg;
	size_t done = 0, n;
	off_t off = j->off;
	ssize_t r;
	int err;

	j->ret = 0;
	switch (j->kind) {
	case KT_JOB_SEND:
		/* Chunks up to 3 records long: records of many sizes. */
		while (done < j->len) {
			n = 1 + sp_rand_below(&j->rng, 3 * KT_MAXFRAG);
			if (n > j->len - done)
				n = j->len - done;
			err = kt_write_full(j->sock, j->data + done, n);
			if (err) {
				snprintf(j->why, sizeof(j->why),
					 "send() at %zu of %zu: %s", done,
					 j->len, strerror(-err));
				j->ret = -1;
				break;
			}
			done += n;
		}
		break;
	case KT_JOB_SENDFILE:
		while (done < j->len) {
			r = sendfile(j->sock, j->file, &off, j->len - done);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				snprintf(j->why, sizeof(j->why),
					 "sendfile() at %zu of %zu: %s", done,
					 j->len, r ? strerror(errno) : "returned 0");
				j->ret = -1;
				break;
			}
			done += r;
		}
		break;
	case KT_JOB_ORACLE_SEND:
		j->ret = kt_oracle_send(j->sock, j->o, j->data, j->len,
					&j->rng);
		if (j->ret)
			memcpy(j->why, j->o->why, sizeof(j->why));
		break;
	}
	return NULL;
}

static int kt_job_start(struct kt_job *j)
{
	int err = pthread_create(&j->thread, NULL, kt_job_run, j);

	if (err)
		snprintf(j->why, sizeof(j->why), "pthread_create: %s",
			 strerror(err));
	return -err;
}

/*
 * Wait for the job.  When the main side failed, @abort_sock is shut down
 * first so that a job blocked on a full socket ends now.
 */
static int kt_job_finish(struct kt_job *j, bool failed, int abort_sock)
{
	if (failed && abort_sock >= 0)
		shutdown(abort_sock, SHUT_RDWR);
	pthread_join(j->thread, NULL);
	return j->ret;
}

/* --- getsockopt(SOL_TLS) ---------------------------------------------------------- */

union kt_info {
	struct tls_crypto_info info;
	struct tls12_crypto_info_aes_gcm_128 g128;
	struct tls12_crypto_info_aes_gcm_256 g256;
};

struct kt_view {
	uint16_t version, cipher_type;
	const uint8_t *key, *salt, *rec_seq;
	socklen_t len;
};

/* getsockopt(SOL_TLS, @dir) with a structure sized for @klen. */
static int kt_getinfo(int s, int dir, unsigned int klen, union kt_info *ci,
		      struct kt_view *v)
{
	socklen_t len = klen == 16 ? sizeof(ci->g128) : sizeof(ci->g256);

	memset(ci, 0x5a, sizeof(*ci));
	if (getsockopt(s, SOL_TLS, dir, ci, &len))
		return -errno;
	v->len = len;
	v->version = ci->info.version;
	v->cipher_type = ci->info.cipher_type;
	v->key = klen == 16 ? ci->g128.key : ci->g256.key;
	v->salt = klen == 16 ? ci->g128.salt : ci->g256.salt;
	v->rec_seq = klen == 16 ? ci->g128.rec_seq : ci->g256.rec_seq;
	return 0;
}

#define KT_ULP_NAME	16	/* TCP_ULP_NAME_MAX */

/*
 * The name of @s's upper layer protocol into @name (may be NULL): its
 * length, 0 when there is none, or -errno.
 */
static int kt_ulp(int s, char name[KT_ULP_NAME])
{
	char buf[KT_ULP_NAME];
	socklen_t len = sizeof(buf) - 1;

	memset(buf, 0, sizeof(buf));
	if (getsockopt(s, SOL_TCP, TCP_ULP, buf, &len))
		return -errno;
	if (name)
		memcpy(name, buf, sizeof(buf));
	return (int)strlen(buf);
}

static bool kt_all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/*
 * What getsockopt(SOL_TLS, @dir) on @s shows after an attach: the version
 * and cipher, the sequence number of the next record, and no secret: key
 * and salt all zero (software kTLS), so neither the oracle's key nor its
 * salt.
 */
#define kt_check_scrubbed(s, dir, kb, seq) \
	__kt_check_scrubbed(_metadata, variant, s, dir, kb, seq)

/* --- the fixture: a server-side key exchange and one TCP connection -------------- */

FIXTURE(ktls) {
	struct tk_env env;
	struct tk_hs hs;
	struct tk_keyblock kb;
	uint32_t master;
	uint32_t rk, wk;	/* server: read = client's keys, write = server's */
	int srv, peer;		/* srv gets kTLS; peer is the oracle's end */
	uint64_t seed, rng;
	uint8_t *data, *got;	/* KT_BULK bytes each */
};

FIXTURE_VARIANT(ktls) {
	uint32_t suite;
	unsigned int key_len;
	uint16_t cipher_type;
};

FIXTURE_VARIANT_ADD(ktls, aes128_gcm_sha256) {
	.suite = SP_RSA_AES128_GCM_SHA256,
	.key_len = 16,
	.cipher_type = TLS_CIPHER_AES_GCM_128,
};

FIXTURE_VARIANT_ADD(ktls, aes256_gcm_sha384) {
	.suite = SP_RSA_AES256_GCM_SHA384,
	.key_len = 32,
	.cipher_type = TLS_CIPHER_AES_GCM_256,
};

static bool __kt_check_scrubbed(struct __test_metadata *_metadata,
				const FIXTURE_VARIANT(ktls) *variant, int s,
				int dir, const struct tk_keyblock *kb,
				uint64_t seq)
{
	const char *what = dir == TLS_TX ? "TLS_TX" : "TLS_RX";
	/* The socket is the server's: it writes with the server's key. */
	const uint8_t *okey = dir == TLS_TX ? kb->server_key : kb->client_key;
	const uint8_t *osalt = dir == TLS_TX ? kb->server_salt :
					       kb->client_salt;
	union kt_info ci;
	struct kt_view v;
	bool ok = true;
	int ret;

	ret = kt_getinfo(s, dir, variant->key_len, &ci, &v);
	EXPECT_EQ(0, ret) TH_LOG("getsockopt(SOL_TLS, %s): %s", what,
				 sp_errname(ret));
	if (ret)
		return false;
	EXPECT_EQ(variant->key_len == 16 ? sizeof(ci.g128) : sizeof(ci.g256),
		  v.len) TH_LOG("%s: optlen", what);
	EXPECT_EQ(TLS_1_2_VERSION, v.version) TH_LOG("%s: version", what);
	EXPECT_EQ(variant->cipher_type, v.cipher_type)
		TH_LOG("%s: cipher_type", what);
	if (!kt_all_zero(v.key, variant->key_len)) {
		TH_LOG("%s: key %s: not wiped (oracle's key %s)", what,
		       tk_hex(v.key, variant->key_len),
		       tk_hex(okey, variant->key_len));
		ok = false;
	}
	EXPECT_NE(0, memcmp(v.key, okey, variant->key_len))
		TH_LOG("%s: getsockopt() returns the session key", what);
	if (!kt_all_zero(v.salt, 4)) {
		TH_LOG("%s: salt %s: not wiped (oracle's salt %s)", what,
		       tk_hex(v.salt, 4), tk_hex(osalt, 4));
		ok = false;
	}
	EXPECT_NE(0, memcmp(v.salt, osalt, 4))
		TH_LOG("%s: getsockopt() returns the salt", what);
	EXPECT_TRUE(ok);
	EXPECT_EQ(seq, kt_get_be64(v.rec_seq))
		TH_LOG("%s: rec_seq %s", what, tk_hex(v.rec_seq, 8));
	return ok && v.version == TLS_1_2_VERSION &&
	       v.cipher_type == variant->cipher_type &&
	       kt_get_be64(v.rec_seq) == seq;
}

FIXTURE_SETUP(ktls)
{
	int ret;

	self->srv = self->peer = -1;
	self->data = self->got = NULL;
	signal(SIGPIPE, SIG_IGN);
	TK_ENV_SETUP(&self->env);
	self->seed = sp_seed();
	self->rng = self->seed;
	self->data = malloc(KT_BULK);
	self->got = malloc(KT_BULK);
	ASSERT_TRUE(self->data && self->got);
	ASSERT_EQ(0, tk_random(self->data, KT_BULK));

	ret = tk_hs_new(&self->hs, &self->env.rsa, SP_TLS1_2, variant->suite,
			SP_TLS1_2);
	ASSERT_EQ(0, ret) TH_LOG("oracle handshake: %s", tk_ossl_err());
	ret = tk_hs_import(self->env.fd, self->env.key, &self->hs,
			   &self->master);
	ASSERT_EQ(0, ret) TH_LOG("MASTER_IMPORT: %s", sp_errname(ret));
	ret = tk_session_keys(self->env.fd, self->master, 0, self->hs.cr,
			      self->hs.sr, &self->rk, &self->wk);
	ASSERT_EQ(0, ret) TH_LOG("SESSION_KEYS: %s", sp_errname(ret));
	ASSERT_EQ(0, tk_key_block(SP_TLS1_2, variant->suite, variant->key_len,
				  self->hs.ms, self->hs.cr, self->hs.sr,
				  &self->kb));
	ret = kt_tcp_pair(AF_INET, &self->srv, &self->peer);
	ASSERT_EQ(0, ret) TH_LOG("TCP pair over loopback: %s",
				 sp_errname(ret));
}

FIXTURE_TEARDOWN(ktls)
{
	kt_close(&self->srv);
	kt_close(&self->peer);
	free(self->data);
	free(self->got);
	TK_ENV_TEARDOWN(&self->env);
}

/* A first sequence number whose low 32 bits carry after 32 records. */
static uint64_t kt_seq_near_carry(uint64_t *rng)
{
	return (sp_rand64(rng) & 0x00ffffff00000000ULL) | 0xffffffe0ULL;
}

/* A random first sequence number below 2^40. */
static uint64_t kt_seq_random(uint64_t *rng)
{
	return sp_rand64(rng) & 0xffffffffffULL;
}

/*
 * @len bytes of @data sent with send() on kTLS socket @tx must reach the
 * oracle reading @rx as records @o->seq, @o->seq + 1, ...
 */
#define kt_check_tx(tx, rx, o, data, len) \
	__kt_check_tx(_metadata, self, tx, rx, o, data, len)

static bool __kt_check_tx(struct __test_metadata *_metadata,
			  FIXTURE_DATA(ktls) *self, int tx, int rx,
			  struct kt_oracle *o, const uint8_t *data, size_t len)
{
	struct kt_job job = {
		.kind = KT_JOB_SEND,
		.sock = tx,
		.data = data,
		.len = len,
		.rng = sp_rand64(&self->rng),
	};
	uint64_t first = o->seq;
	int ret, jret;

	memset(self->got, 0, len);
	if (kt_job_start(&job)) {
		TH_LOG("%s", job.why);
		EXPECT_EQ(0, 1);
		return false;
	}
	ret = kt_oracle_recv(rx, o, self->got, len);
	jret = kt_job_finish(&job, ret != 0, rx);
	EXPECT_EQ(0, ret) TH_LOG("kTLS TX from seq %#llx: %s (seed %#llx)",
				 (unsigned long long)first, o->why,
				 (unsigned long long)self->seed);
	EXPECT_EQ(0, jret) TH_LOG("sender: %s", job.why);
	if (ret || jret)
		return false;
	return TK_EXPECT_MEM(data, self->got, len, "plaintext through kTLS TX");
}

/*
 * @len bytes of @data sealed by the oracle from @o->seq on and written to
 * @tx must come out of recv() on kTLS socket @rx.
 */
#define kt_check_rx(tx, rx, o, data, len) \
	__kt_check_rx(_metadata, self, tx, rx, o, data, len)

static bool __kt_check_rx(struct __test_metadata *_metadata,
			  FIXTURE_DATA(ktls) *self, int tx, int rx,
			  struct kt_oracle *o, const uint8_t *data, size_t len)
{
	struct kt_job job = {
		.kind = KT_JOB_ORACLE_SEND,
		.sock = tx,
		.data = data,
		.len = len,
		.o = o,
		.rng = sp_rand64(&self->rng),
	};
	uint64_t first = o->seq;
	int ret, jret;

	memset(self->got, 0, len);
	if (kt_job_start(&job)) {
		TH_LOG("%s", job.why);
		EXPECT_EQ(0, 1);
		return false;
	}
	ret = kt_read_full(rx, self->got, len);
	jret = kt_job_finish(&job, ret != 0, tx);
	EXPECT_EQ(0, ret) TH_LOG("recv() on kTLS RX from seq %#llx: %s",
				 (unsigned long long)first, sp_errname(ret));
	EXPECT_EQ(0, jret) TH_LOG("oracle sender: %s (seed %#llx)", job.why,
				  (unsigned long long)self->seed);
	if (ret || jret)
		return false;
	return TK_EXPECT_MEM(data, self->got, len, "plaintext through kTLS RX");
}

/* One small exchange each way on an attached pair (TX and/or RX). */
#define kt_ping(tx_o, rx_o, srv, peer) \
	__kt_ping(_metadata, self, tx_o, rx_o, srv, peer)

static bool __kt_ping(struct __test_metadata *_metadata,
		      FIXTURE_DATA(ktls) *self, struct kt_oracle *tx_o,
		      struct kt_oracle *rx_o, int srv, int peer)
{
	bool ok = true;

	if (tx_o)
		ok = __kt_check_tx(_metadata, self, srv, peer, tx_o,
				   self->data, 1000) && ok;
	if (rx_o)
		ok = __kt_check_rx(_metadata, self, peer, srv, rx_o,
				   self->data + 1000, 1500) && ok;
	return ok;
}

/* --- 1. records both ways ------------------------------------------------------- */

/*
 * Both keys on one socket: 1 MiB sent with send() arrives as records the
 * oracle opens, numbered from N; 1 MiB of oracle records numbered from M
 * come out of recv().
 */
TEST_F_TIMEOUT(ktls, send_recv_1mib, SP_TIMEOUT_LONG)
{
	uint64_t n = kt_seq_near_carry(&self->rng);
	uint64_t m = kt_seq_random(&self->rng);
	struct kt_oracle tx, rx;
	char ulp[KT_ULP_NAME];
	int ret;

	ret = kt_attach(self->env.fd, self->wk, self->srv, n);
	ASSERT_EQ(0, ret) TH_LOG("attach write key at %#llx: %s",
				 (unsigned long long)n, sp_errname(ret));
	ret = kt_attach(self->env.fd, self->rk, self->srv, m);
	ASSERT_EQ(0, ret) TH_LOG("attach read key at %#llx: %s",
				 (unsigned long long)m, sp_errname(ret));
	/* The module attached the tls ULP itself. */
	EXPECT_EQ(3, kt_ulp(self->srv, ulp));
	EXPECT_STREQ("tls", ulp);

	kt_oracle_init(&tx, self->kb.server_key, variant->key_len,
		       self->kb.server_salt, n);
	ASSERT_TRUE(kt_check_tx(self->srv, self->peer, &tx, self->data,
				KT_BULK));
	/* The low 32 bits of the sequence number carried on the way. */
	EXPECT_GT(tx.seq, (n | 0xffffffffULL) + 1);

	kt_oracle_init(&rx, self->kb.client_key, variant->key_len,
		       self->kb.client_salt, m);
	ASSERT_TRUE(kt_check_rx(self->peer, self->srv, &rx, self->data,
				KT_BULK));
	TH_LOG("%lu records out from %#llx, %lu records in from %#llx",
	       tx.records, (unsigned long long)n, rx.records,
	       (unsigned long long)m);

	/* kTLS reports where it is, still without the secrets. */
	kt_check_scrubbed(self->srv, TLS_TX, &self->kb, tx.seq);
	kt_check_scrubbed(self->srv, TLS_RX, &self->kb, rx.seq);
}

/*
 * sendfile() through the kTLS socket, after a send(): the file's bytes
 * (from an offset) arrive intact, the records numbered on.
 */
TEST_F_TIMEOUT(ktls, sendfile, SP_TIMEOUT_LONG)
{
	const size_t flen = 300001, off = 777, head = 1000;
	const char *tmpdir = getenv("TMPDIR");
	struct kt_job job = { .kind = KT_JOB_SENDFILE };
	uint64_t n = kt_seq_random(&self->rng);
	struct kt_oracle o;
	char tpl[PATH_MAX];
	int file, ret, jret;

	snprintf(tpl, sizeof(tpl), "%.200s/sslprov-ktls-XXXXXX",
		 tmpdir && *tmpdir ? tmpdir : "/tmp");
	file = mkstemp(tpl);
	ASSERT_LE(0, file) TH_LOG("mkstemp(%s): %s", tpl, strerror(errno));
	unlink(tpl);
	ASSERT_EQ((ssize_t)flen, write(file, self->data, flen));

	ret = kt_attach(self->env.fd, self->wk, self->srv, n);
	ASSERT_EQ(0, ret) TH_LOG("attach: %s", sp_errname(ret));
	kt_oracle_init(&o, self->kb.server_key, variant->key_len,
		       self->kb.server_salt, n);
	ASSERT_TRUE(kt_check_tx(self->srv, self->peer, &o,
				self->data + flen, head));

	job.sock = self->srv;
	job.file = file;
	job.off = off;
	job.len = flen - off;
	ASSERT_EQ(0, kt_job_start(&job)) TH_LOG("%s", job.why);
	ret = kt_oracle_recv(self->peer, &o, self->got, flen - off);
	jret = kt_job_finish(&job, ret != 0, self->peer);
	close(file);
	EXPECT_EQ(0, ret) TH_LOG("after sendfile(): %s", o.why);
	ASSERT_EQ(0, jret) TH_LOG("%s", job.why);
	ASSERT_EQ(0, ret);
	TK_EXPECT_MEM(self->data + off, self->got, flen - off,
		      "sendfile() through kTLS");
	TH_LOG("sendfile: %lu records from %#llx", o.records,
	       (unsigned long long)n);
}

/* IPv6 sockets take the same path (the socket's own setsockopt). */
TEST_F_TIMEOUT(ktls, ipv6, SP_TIMEOUT)
{
	struct kt_oracle tx, rx;
	int srv, peer, ret;

	ret = kt_tcp_pair(AF_INET6, &srv, &peer);
	if (ret == -EAFNOSUPPORT || ret == -EADDRNOTAVAIL)
		SKIP(return, "no IPv6 loopback: %s", sp_errname(ret));
	ASSERT_EQ(0, ret) TH_LOG("TCP pair over ::1: %s", sp_errname(ret));
	EXPECT_EQ(0, kt_attach(self->env.fd, self->wk, srv, 3));
	EXPECT_EQ(0, kt_attach(self->env.fd, self->rk, srv, 4));
	kt_oracle_init(&tx, self->kb.server_key, variant->key_len,
		       self->kb.server_salt, 3);
	kt_oracle_init(&rx, self->kb.client_key, variant->key_len,
		       self->kb.client_salt, 4);
	kt_ping(&tx, &rx, srv, peer);
	close(srv);
	close(peer);
}

/* --- 2. the scrub ---------------------------------------------------------------- */

TEST_F_TIMEOUT(ktls, getsockopt_scrubbed, SP_TIMEOUT)
{
	uint64_t n = kt_seq_random(&self->rng), m = kt_seq_random(&self->rng);
	struct kt_oracle tx, rx;
	union kt_info ci;
	struct kt_view v;

	/* Before: no tls ULP, nothing to read. */
	EXPECT_NE(0, kt_getinfo(self->srv, TLS_TX, variant->key_len, &ci, &v));

	ASSERT_EQ(0, kt_attach(self->env.fd, self->wk, self->srv, n));
	kt_check_scrubbed(self->srv, TLS_TX, &self->kb, n);
	ASSERT_EQ(0, kt_attach(self->env.fd, self->rk, self->srv, m));
	kt_check_scrubbed(self->srv, TLS_RX, &self->kb, m);
	/* Attaching RX did not bring TX's secrets back. */
	kt_check_scrubbed(self->srv, TLS_TX, &self->kb, n);

	/* The wiped copy is not what kTLS uses: records still flow ... */
	kt_oracle_init(&tx, self->kb.server_key, variant->key_len,
		       self->kb.server_salt, n);
	kt_oracle_init(&rx, self->kb.client_key, variant->key_len,
		       self->kb.client_salt, m);
	ASSERT_TRUE(kt_ping(&tx, &rx, self->srv, self->peer));
	/* ... and afterwards the copy is still wiped. */
	kt_check_scrubbed(self->srv, TLS_TX, &self->kb, tx.seq);
	kt_check_scrubbed(self->srv, TLS_RX, &self->kb, rx.seq);
}

/* --- 3. the key belongs to the socket -------------------------------------------- */

TEST_F_TIMEOUT(ktls, key_belongs_to_socket, SP_TIMEOUT)
{
	uint64_t n = kt_seq_random(&self->rng), m = kt_seq_random(&self->rng);
	uint8_t rec[200], pt[100];
	struct kt_oracle tx, rx;
	uint32_t rl;
	int srv2, peer2;

	memset(pt, 0x42, sizeof(pt));
	ASSERT_EQ(0, kt_attach(self->env.fd, self->wk, self->srv, n));
	ASSERT_EQ(0, kt_attach(self->env.fd, self->rk, self->srv, m));

	/* No records beside kTLS, whatever the sequence number. */
	EXPECT_EQ(-EKEYREJECTED, tk_record(self->env.fd, SSLPROV_IOC_ENCRYPT,
					   self->wk, TK_CT_APPDATA, n + 1000,
					   pt, sizeof(pt), rec, sizeof(rec),
					   &rl));
	ASSERT_EQ(0, tk_record_seal(self->kb.client_key, variant->key_len,
				    self->kb.client_salt, m + 1000,
				    TK_CT_APPDATA, pt, sizeof(pt), rec));
	EXPECT_EQ(-EKEYREJECTED, tk_record(self->env.fd, SSLPROV_IOC_DECRYPT,
					   self->rk, 0,
					   m + 1000, rec,
					   sizeof(pt) + TK_GCM_OVERHEAD, pt,
					   sizeof(pt), &rl));

	/* No second attach: same socket, another socket, any sequence. */
	EXPECT_EQ(-EKEYREJECTED, kt_attach(self->env.fd, self->wk, self->srv,
					   n + 1000));
	EXPECT_EQ(-EKEYREJECTED, kt_attach(self->env.fd, self->rk, self->srv,
					   m + 1000));
	ASSERT_EQ(0, kt_tcp_pair(AF_INET, &srv2, &peer2));
	EXPECT_EQ(-EKEYREJECTED, kt_attach(self->env.fd, self->wk, srv2, 0));
	EXPECT_EQ(-EKEYREJECTED, kt_attach(self->env.fd, self->rk, srv2,
					   m + 1000));
	/* ... which left the other socket alone: no tls ULP there. */
	EXPECT_EQ(0, kt_ulp(srv2, NULL));

	/* The socket works as before. */
	kt_oracle_init(&tx, self->kb.server_key, variant->key_len,
		       self->kb.server_salt, n);
	kt_oracle_init(&rx, self->kb.client_key, variant->key_len,
		       self->kb.client_salt, m);
	ASSERT_TRUE(kt_ping(&tx, &rx, self->srv, self->peer));

	/* The handles can still be freed, once. */
	EXPECT_EQ(0, sp_free(self->env.fd, self->wk));
	EXPECT_EQ(0, sp_free(self->env.fd, self->rk));
	EXPECT_EQ(-EBADF, sp_free(self->env.fd, self->wk));
	EXPECT_EQ(-EBADF, kt_attach(self->env.fd, self->wk, srv2, 0));
	EXPECT_EQ(2, sp_live_objects(self->env.fd));	/* key, master */
	ASSERT_TRUE(kt_ping(&tx, &rx, self->srv, self->peer));
	close(srv2);
	close(peer2);
}

/*
 * The module's counters: attaching creates nothing, freeing the keys and
 * closing the file gives everything back, and the socket keeps working
 * without any of it.
 */
TEST_F_TIMEOUT(ktls, counters_and_close, SP_TIMEOUT)
{
	struct sp_stats want, now;
	struct kt_oracle tx, rx;
	char diff[256];
	int ret;

	ASSERT_EQ(0, sp_stats_read(&now));
	want = self->env.base;
	want.files += 1;
	want.objects += 4;
	want.private_key += 1;
	want.master_key += 1;
	want.session_key += 2;
	EXPECT_EQ(0, sp_stats_diff(&want, &now, diff, sizeof(diff)))
		TH_LOG("after the handshake: %s", diff);

	ASSERT_EQ(0, kt_attach(self->env.fd, self->wk, self->srv, 0));
	ASSERT_EQ(0, kt_attach(self->env.fd, self->rk, self->srv, 0));
	ASSERT_EQ(0, sp_stats_read(&now));
	EXPECT_EQ(0, sp_stats_diff(&want, &now, diff, sizeof(diff)))
		TH_LOG("after two attaches: %s", diff);

	EXPECT_EQ(0, sp_free(self->env.fd, self->wk));
	want.objects -= 1;
	want.session_key -= 1;
	ASSERT_EQ(0, sp_stats_read(&now));
	EXPECT_EQ(0, sp_stats_diff(&want, &now, diff, sizeof(diff)))
		TH_LOG("after freeing the attached write key: %s", diff);

	kt_oracle_init(&tx, self->kb.server_key, variant->key_len,
		       self->kb.server_salt, 0);
	kt_oracle_init(&rx, self->kb.client_key, variant->key_len,
		       self->kb.client_salt, 0);
	ASSERT_TRUE(kt_ping(&tx, &rx, self->srv, self->peer));

	/* Close the file with the read key still in it: all back to base. */
	close(self->env.fd);
	self->env.fd = -1;
	ret = sp_stats_wait(&self->env.base, diff, sizeof(diff), 10);
	EXPECT_EQ(0, ret) TH_LOG("after closing /dev/sslprov: %s", diff);

	/* kTLS owns its keys: the connection goes on. */
	ASSERT_TRUE(kt_ping(&tx, &rx, self->srv, self->peer));
	kt_close(&self->srv);
	kt_close(&self->peer);
	ASSERT_EQ(0, sp_stats_read(&now));
	EXPECT_EQ(0, sp_stats_diff(&self->env.base, &now, diff, sizeof(diff)))
		TH_LOG("after closing the sockets: %s", diff);
}

/* --- sequence numbers -------------------------------------------------------------- */

/*
 * A key that made or opened records may go to kTLS only beyond the last
 * sequence number used: kTLS must not repeat a nonce (write key) or take
 * a replayed record (read key).  A refused attach leaves the key as it was.
 */
TEST_F_TIMEOUT(ktls, seq_after_records, SP_TIMEOUT)
{
	const uint64_t s = 1000, r = 77;
	uint8_t rec[200], pt[100], out[100];
	struct kt_oracle tx, rx;
	uint32_t rl;
	int ret;

	ret = tk_record(self->env.fd, SSLPROV_IOC_ENCRYPT, self->wk,
			TK_CT_APPDATA, s, pt, sizeof(pt), rec, sizeof(rec),
			&rl);
	ASSERT_EQ(0, ret) TH_LOG("ENCRYPT: %s", sp_errname(ret));
	EXPECT_EQ(-EINVAL, kt_attach(self->env.fd, self->wk, self->srv, 0));
	EXPECT_EQ(-EINVAL, kt_attach(self->env.fd, self->wk, self->srv,
				     s - 1));
	EXPECT_EQ(-EINVAL, kt_attach(self->env.fd, self->wk, self->srv, s));
	ret = kt_attach(self->env.fd, self->wk, self->srv, s + 1);
	ASSERT_EQ(0, ret) TH_LOG("attach at %llu after ENCRYPT at %llu: %s",
				 (unsigned long long)s + 1,
				 (unsigned long long)s, sp_errname(ret));

	ASSERT_EQ(0, tk_record_seal(self->kb.client_key, variant->key_len,
				    self->kb.client_salt, r, TK_CT_APPDATA,
				    pt, sizeof(pt), rec));
	ret = tk_record(self->env.fd, SSLPROV_IOC_DECRYPT, self->rk, 0, r,
			rec, sizeof(pt) + TK_GCM_OVERHEAD, out, sizeof(out),
			&rl);
	ASSERT_EQ(0, ret) TH_LOG("DECRYPT: %s", sp_errname(ret));
	EXPECT_EQ(-EINVAL, kt_attach(self->env.fd, self->rk, self->srv, 1));
	EXPECT_EQ(-EINVAL, kt_attach(self->env.fd, self->rk, self->srv, r));
	ret = kt_attach(self->env.fd, self->rk, self->srv, r + 1);
	ASSERT_EQ(0, ret) TH_LOG("attach at %llu after DECRYPT at %llu: %s",
				 (unsigned long long)r + 1,
				 (unsigned long long)r, sp_errname(ret));

	kt_oracle_init(&tx, self->kb.server_key, variant->key_len,
		       self->kb.server_salt, s + 1);
	kt_oracle_init(&rx, self->kb.client_key, variant->key_len,
		       self->kb.client_salt, r + 1);
	kt_ping(&tx, &rx, self->srv, self->peer);
}

/* UINT64_MAX is never a starting point; UINT64_MAX - 1 is. */
TEST_F_TIMEOUT(ktls, seq_limits, SP_TIMEOUT)
{
	uint8_t rec[1500 + TK_GCM_OVERHEAD];
	struct kt_oracle tx, rx;
	int ret;

	EXPECT_EQ(-EINVAL, kt_attach(self->env.fd, self->wk, self->srv,
				     UINT64_MAX));
	EXPECT_EQ(-EINVAL, kt_attach(self->env.fd, self->rk, self->srv,
				     UINT64_MAX));
	ASSERT_EQ(0, kt_attach(self->env.fd, self->wk, self->srv,
			       UINT64_MAX - 1));
	ASSERT_EQ(0, kt_attach(self->env.fd, self->rk, self->srv,
			       UINT64_MAX - 1));
	/*
	 * One record each way: the one with sequence number 2^64 - 2.  One
	 * byte, because kTLS may cut a send() into several records, and a
	 * record numbered 2^64 - 1 never leaves: kTLS aborts the socket
	 * (EBADMSG) when its counter wraps after sealing it.
	 */
	kt_oracle_init(&tx, self->kb.server_key, variant->key_len,
		       self->kb.server_salt, UINT64_MAX - 1);
	kt_oracle_init(&rx, self->kb.client_key, variant->key_len,
		       self->kb.client_salt, UINT64_MAX - 1);
	kt_check_tx(self->srv, self->peer, &tx, self->data, 1);
	EXPECT_EQ(1, tx.records);
	ASSERT_EQ(0, tk_record_seal(rx.key, rx.klen, rx.salt, rx.seq,
				    TK_CT_APPDATA, self->data, 1500, rec));
	ASSERT_EQ(0, kt_write_full(self->peer, rec, 1500 + TK_GCM_OVERHEAD));
	ret = kt_read_full(self->srv, self->got, 1500);
	ASSERT_EQ(0, ret) TH_LOG("recv: %s", sp_errname(ret));
	TK_EXPECT_MEM(self->data, self->got, 1500, "record 2^64 - 2 via kTLS RX");
}

/* --- 4. errors ------------------------------------------------------------------- */

/* Descriptors that are not a connected TCP socket; the keys stay usable. */
TEST_F_TIMEOUT(ktls, errors_fd, SP_TIMEOUT)
{
	struct sockaddr_storage ss;
	struct kt_oracle tx, rx;
	int p[2], dn, u, uc, un[2], t4, t6, ls, a, b, ret;
	socklen_t len;
	char c;

	/* Not a socket. */
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	EXPECT_EQ(-ENOTSOCK, kt_attach(self->env.fd, self->wk, p[0], 1));
	EXPECT_EQ(-ENOTSOCK, kt_attach(self->env.fd, self->rk, p[1], 1));
	dn = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, dn);
	EXPECT_EQ(-ENOTSOCK, kt_attach(self->env.fd, self->wk, dn, 1));
	EXPECT_EQ(-ENOTSOCK, kt_attach(self->env.fd, self->wk, self->env.fd,
				       1));
	close(dn);

	/* No descriptor. */
	close(p[0]);
	close(p[1]);
	EXPECT_EQ(-EBADF, kt_attach(self->env.fd, self->wk, p[0], 1));
	EXPECT_EQ(-EBADF, kt_attach(self->env.fd, self->wk, -1, 1));
	EXPECT_EQ(-EBADF, kt_attach(self->env.fd, self->rk, INT_MAX, 1));

	/* A socket, but not TCP. */
	u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, u);
	EXPECT_EQ(-EINVAL, kt_attach(self->env.fd, self->wk, u, 1));
	uc = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, uc);
	len = kt_loopback(AF_INET, &ss);
	((struct sockaddr_in *)&ss)->sin_port = htons(9);
	ASSERT_EQ(0, connect(uc, (struct sockaddr *)&ss, len));
	EXPECT_EQ(-EINVAL, kt_attach(self->env.fd, self->wk, uc, 1));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, un));
	EXPECT_EQ(-EINVAL, kt_attach(self->env.fd, self->rk, un[0], 1));
	/* Stream, but not TCP's: MPTCP (connected), raw IPPROTO_TCP. */
	ret = kt_mptcp_pair(&a, &b);
	if (!ret) {
		EXPECT_EQ(-EINVAL, kt_attach(self->env.fd, self->wk, a, 1));
		EXPECT_EQ(-EINVAL, kt_attach(self->env.fd, self->rk, b, 1));
		close(a);
		close(b);
	} else {
		TH_LOG("no MPTCP here (%s): not tried", sp_errname(ret));
	}
	a = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);
	if (a >= 0) {
		EXPECT_EQ(-EINVAL, kt_attach(self->env.fd, self->wk, a, 1));
		close(a);
	}

	/* TCP, not connected. */
	t4 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, t4);
	EXPECT_EQ(-ENOTCONN, kt_attach(self->env.fd, self->wk, t4, 1));
	t6 = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (t6 >= 0)
		EXPECT_EQ(-ENOTCONN, kt_attach(self->env.fd, self->rk, t6, 1));
	ls = kt_listener(AF_INET, &ss, &len);
	ASSERT_LE(0, ls);
	EXPECT_EQ(-ENOTCONN, kt_attach(self->env.fd, self->wk, ls, 1));
	EXPECT_EQ(-ENOTCONN, kt_attach(self->env.fd, self->rk, ls, 1));
	/* No longer connected: the peer closed (CLOSE_WAIT). */
	ASSERT_EQ(0, kt_tcp_pair(AF_INET, &a, &b));
	close(b);
	ASSERT_EQ(0, recv(a, &c, 1, 0));
	EXPECT_EQ(-ENOTCONN, kt_attach(self->env.fd, self->wk, a, 1));
	EXPECT_EQ(-ENOTCONN, kt_attach(self->env.fd, self->rk, a, 1));
	close(a);

	close(u);
	close(uc);
	close(un[0]);
	close(un[1]);
	close(t4);
	if (t6 >= 0)
		close(t6);
	close(ls);

	/* None of it touched the socket or used up a key or a sequence. */
	EXPECT_EQ(0, kt_ulp(self->srv, NULL));
	ret = kt_attach(self->env.fd, self->wk, self->srv, 1);
	ASSERT_EQ(0, ret) TH_LOG("write key after failed attaches: %s",
				 sp_errname(ret));
	ret = kt_attach(self->env.fd, self->rk, self->srv, 1);
	ASSERT_EQ(0, ret) TH_LOG("read key after failed attaches: %s",
				 sp_errname(ret));
	kt_oracle_init(&tx, self->kb.server_key, variant->key_len,
		       self->kb.server_salt, 1);
	kt_oracle_init(&rx, self->kb.client_key, variant->key_len,
		       self->kb.client_salt, 1);
	kt_ping(&tx, &rx, self->srv, self->peer);
}

/* Handles that are not a session key, and bad arguments. */
TEST_F_TIMEOUT(ktls, errors_key_and_args, SP_TIMEOUT)
{
	struct sslprov_ktls a;
	uint32_t hash, gone_r, gone_w;
	uint8_t cr[SSLPROV_RANDOM_LEN], sr[SSLPROV_RANDOM_LEN];
	struct kt_oracle tx;
	int other, ret;

	/* Not a key at all: EBADF; a key of another kind: EKEYREJECTED. */
	ASSERT_EQ(0, sp_new_hash(self->env.fd, &hash));
	EXPECT_EQ(-EBADF, kt_attach(self->env.fd, hash, self->srv, 1));
	EXPECT_EQ(-EKEYREJECTED, kt_attach(self->env.fd, self->master,
					   self->srv, 1));
	EXPECT_EQ(-EKEYREJECTED, kt_attach(self->env.fd, self->env.key,
					   self->srv, 1));

	/* Nothing there: zero, unknown, freed, another file's handle. */
	EXPECT_EQ(-EBADF, kt_attach(self->env.fd, 0, self->srv, 1));
	EXPECT_EQ(-EBADF, kt_attach(self->env.fd, 0xffffffff, self->srv, 1));
	EXPECT_EQ(-EBADF, kt_attach(self->env.fd, 0x7ffe1234, self->srv, 1));
	ASSERT_EQ(0, tk_random(cr, sizeof(cr)));
	ASSERT_EQ(0, tk_random(sr, sizeof(sr)));
	ASSERT_EQ(0, tk_session_keys(self->env.fd, self->master, 0, cr, sr,
				     &gone_r, &gone_w));
	ASSERT_EQ(0, sp_free(self->env.fd, gone_w));
	ASSERT_EQ(0, sp_free(self->env.fd, gone_r));
	EXPECT_EQ(-EBADF, kt_attach(self->env.fd, gone_w, self->srv, 1));
	EXPECT_EQ(-EBADF, kt_attach(self->env.fd, gone_r, self->srv, 1));
	other = sp_open();
	ASSERT_LE(0, other);
	EXPECT_EQ(-EBADF, kt_attach(other, self->wk, self->srv, 1));
	close(other);

	/* Arguments. */
	EXPECT_EQ(-EINVAL, kt_attach(self->env.fd, self->wk, self->srv,
				     UINT64_MAX));
	EXPECT_EQ(-EINVAL, kt_attach_flags(self->env.fd, self->wk, self->srv,
					   1, 1));
	EXPECT_EQ(-EINVAL, kt_attach_flags(self->env.fd, self->wk, self->srv,
					   1, SSLPROV_SERVER));
	EXPECT_EQ(-EINVAL, kt_attach_flags(self->env.fd, self->wk, self->srv,
					   1, 0x80000000u));
	memset(&a, 0, sizeof(a));
	a.size = SSLPROV_KTLS_SIZE_VER0 - 4;
	a.key = self->wk;
	a.fd = self->srv;
	a.seq = 1;
	EXPECT_EQ(-EINVAL, sp_ioctl(self->env.fd, SSLPROV_IOC_KTLS_ATTACH,
				    &a));
	EXPECT_EQ(-EFAULT, sp_ioctl(self->env.fd, SSLPROV_IOC_KTLS_ATTACH,
				    NULL));

	/* The socket was not touched by any of it. */
	EXPECT_EQ(0, kt_ulp(self->srv, NULL));
	ret = kt_attach(self->env.fd, self->wk, self->srv, 1);
	ASSERT_EQ(0, ret) TH_LOG("attach after the errors: %s",
				 sp_errname(ret));
	kt_oracle_init(&tx, self->kb.server_key, variant->key_len,
		       self->kb.server_salt, 1);
	kt_ping(&tx, NULL, self->srv, self->peer);
	EXPECT_EQ(0, sp_free(self->env.fd, hash));
}

/* Another pair of session keys from the fixture's master, and the oracle's. */
#define kt_new_session(kb, rk, wk) \
	__kt_new_session(_metadata, self, variant, kb, rk, wk)

static bool __kt_new_session(struct __test_metadata *_metadata,
			     FIXTURE_DATA(ktls) *self,
			     const FIXTURE_VARIANT(ktls) *variant,
			     struct tk_keyblock *kb, uint32_t *rk,
			     uint32_t *wk)
{
	uint8_t cr[SSLPROV_RANDOM_LEN], sr[SSLPROV_RANDOM_LEN];
	int ret;

	if (tk_random(cr, sizeof(cr)) || tk_random(sr, sizeof(sr)) ||
	    tk_key_block(SP_TLS1_2, variant->suite, variant->key_len,
			 self->hs.ms, cr, sr, kb)) {
		TH_LOG("oracle: %s", tk_ossl_err());
		EXPECT_EQ(0, 1);
		return false;
	}
	ret = tk_session_keys(self->env.fd, self->master, 0, cr, sr, rk, wk);
	EXPECT_EQ(0, ret) TH_LOG("SESSION_KEYS: %s", sp_errname(ret));
	return !ret;
}

/*
 * @wk, refused by kTLS, still makes records under the next sequence
 * number @seq, and they open with the oracle's @kb: it was not spent.
 */
#define kt_check_unspent_write_key(wk, kb, seq) \
	__kt_check_unspent_write_key(_metadata, self, variant, wk, kb, seq)

static void __kt_check_unspent_write_key(struct __test_metadata *_metadata,
					 FIXTURE_DATA(ktls) *self,
					 const FIXTURE_VARIANT(ktls) *variant,
					 uint32_t wk,
					 const struct tk_keyblock *kb,
					 uint64_t seq)
{
	uint8_t rec[100 + TK_GCM_OVERHEAD], out[100];
	uint32_t rl = 0;
	long n;
	int ret;

	ret = tk_record(self->env.fd, SSLPROV_IOC_ENCRYPT, wk, TK_CT_APPDATA,
			seq, self->data, sizeof(out), rec, sizeof(rec), &rl);
	EXPECT_EQ(0, ret) TH_LOG("ENCRYPT with the refused write key: %s",
				 sp_errname(ret));
	if (ret)
		return;
	n = tk_record_open(kb->server_key, variant->key_len, kb->server_salt,
			   seq, rec, rl, out);
	EXPECT_EQ((long)sizeof(out), n) TH_LOG("oracle: %s",
					       sp_errname((int)n));
	EXPECT_EQ(0, memcmp(out, self->data, sizeof(out)));
}

/*
 * A direction kTLS has a key for already cannot take another: EBUSY
 * (whoever keyed it), and the refused key is not spent: it still makes
 * records, and can go to another socket.  A socket whose tls ULP
 * userspace attached, without keys, takes a key.
 */
TEST_F_TIMEOUT(ktls, busy, SP_TIMEOUT_LONG)
{
	uint8_t rec[100 + TK_GCM_OVERHEAD], out[100];
	struct tk_keyblock kb2, kb3;
	struct kt_oracle tx, rx;
	uint32_t rk2, wk2, rk3, wk3, rl;
	union kt_info ci;
	int srv2, peer2, srv3, peer3, ret;
	char ulp[KT_ULP_NAME];

	ASSERT_TRUE(kt_new_session(&kb2, &rk2, &wk2));
	ASSERT_TRUE(kt_new_session(&kb3, &rk3, &wk3));

	/* TX keyed by the module, then another write key: EBUSY. */
	ASSERT_EQ(0, kt_attach(self->env.fd, self->wk, self->srv, 1));
	EXPECT_EQ(-EBUSY, kt_attach(self->env.fd, wk2, self->srv, 1));
	/* RX keyed, then another read key: EBUSY. */
	ASSERT_EQ(0, kt_attach(self->env.fd, self->rk, self->srv, 1));
	EXPECT_EQ(-EBUSY, kt_attach(self->env.fd, rk2, self->srv, 1));
	/* The socket kept its first keys, wiped. */
	kt_check_scrubbed(self->srv, TLS_TX, &self->kb, 1);
	kt_check_scrubbed(self->srv, TLS_RX, &self->kb, 1);
	kt_oracle_init(&tx, self->kb.server_key, variant->key_len,
		       self->kb.server_salt, 1);
	kt_oracle_init(&rx, self->kb.client_key, variant->key_len,
		       self->kb.client_salt, 1);
	ASSERT_TRUE(kt_ping(&tx, &rx, self->srv, self->peer));

	/* The refused keys are not marked attached: records work. */
	kt_check_unspent_write_key(wk2, &kb2, 0);
	ASSERT_EQ(0, tk_record_seal(kb2.client_key, variant->key_len,
				    kb2.client_salt, 0, TK_CT_APPDATA,
				    self->data, sizeof(out), rec));
	ret = tk_record(self->env.fd, SSLPROV_IOC_DECRYPT, rk2, 0, 0, rec,
			sizeof(rec), out, sizeof(out), &rl);
	EXPECT_EQ(0, ret) TH_LOG("DECRYPT with the refused read key: %s",
				 sp_errname(ret));
	EXPECT_EQ(0, memcmp(out, self->data, sizeof(out)));

	/* ... and attach elsewhere: a socket with the tls ULP, no keys. */
	ASSERT_EQ(0, kt_tcp_pair(AF_INET, &srv2, &peer2));
	ASSERT_EQ(0, setsockopt(srv2, SOL_TCP, TCP_ULP, "tls", 3))
		TH_LOG("TCP_ULP tls: %s", strerror(errno));
	ret = kt_attach(self->env.fd, wk2, srv2, 1);
	EXPECT_EQ(0, ret) TH_LOG("write key to a socket with the tls ULP: %s",
				 sp_errname(ret));
	ret = kt_attach(self->env.fd, rk2, srv2, 1);
	EXPECT_EQ(0, ret) TH_LOG("read key to a socket with the tls ULP: %s",
				 sp_errname(ret));
	kt_check_scrubbed(srv2, TLS_TX, &kb2, 1);
	kt_check_scrubbed(srv2, TLS_RX, &kb2, 1);
	kt_oracle_init(&tx, kb2.server_key, variant->key_len,
		       kb2.server_salt, 1);
	kt_oracle_init(&rx, kb2.client_key, variant->key_len,
		       kb2.client_salt, 1);
	kt_ping(&tx, &rx, srv2, peer2);

	/* TX keyed by userspace (a zero key): EBUSY, the key unspent. */
	ASSERT_EQ(0, kt_tcp_pair(AF_INET, &srv3, &peer3));
	ASSERT_EQ(0, setsockopt(srv3, SOL_TCP, TCP_ULP, "tls", 3));
	memset(&ci, 0, sizeof(ci));
	ci.info.version = TLS_1_2_VERSION;
	ci.info.cipher_type = variant->cipher_type;
	ASSERT_EQ(0, setsockopt(srv3, SOL_TLS, TLS_TX, &ci,
				variant->key_len == 16 ? sizeof(ci.g128) :
							 sizeof(ci.g256)))
		TH_LOG("userspace TLS_TX: %s", strerror(errno));
	EXPECT_EQ(-EBUSY, kt_attach(self->env.fd, wk3, srv3, 1));
	kt_check_unspent_write_key(wk3, &kb3, 0);
	/* Its RX direction is free: the read key goes there. */
	ret = kt_attach(self->env.fd, rk3, srv3, 1);
	EXPECT_EQ(0, ret) TH_LOG("RX next to a userspace TX key: %s",
				 sp_errname(ret));
	EXPECT_EQ(3, kt_ulp(srv3, ulp));
	EXPECT_STREQ("tls", ulp);
	kt_oracle_init(&rx, kb3.client_key, variant->key_len,
		       kb3.client_salt, 1);
	kt_ping(NULL, &rx, srv3, peer3);

	close(srv2);
	close(peer2);
	close(srv3);
	close(peer3);
}

/* --- 5. through libsslprov ---------------------------------------------------------- */

FIXTURE(lib) {
	struct sp_stats base;
	bool have_base;
	struct tk_rsa rsa;
	struct tk_hs hs;
	struct tk_keyblock kb;
	NCRYPT_PROV_HANDLE prov;
	NCRYPT_KEY_HANDLE key, master, rk, wk;
	int srv, peer;
	uint8_t data[70000], got[70000];
};

FIXTURE_VARIANT(lib) {
	uint32_t suite;
	unsigned int key_len;
};

FIXTURE_VARIANT_ADD(lib, aes128_gcm_sha256) {
	.suite = TLS_RSA_WITH_AES_128_GCM_SHA256,
	.key_len = 16,
};

FIXTURE_VARIANT_ADD(lib, aes256_gcm_sha384) {
	.suite = TLS_RSA_WITH_AES_256_GCM_SHA384,
	.key_len = 32,
};

/* The randoms and ClientHello version, as SslImportMasterKey takes them. */
struct kt_params {
	uint8_t version[2];
	NCryptBuffer buf[3];
	NCryptBufferDesc desc;
};

static void kt_params_init(struct kt_params *p, uint8_t *cr, uint8_t *sr)
{
	p->version[0] = 3;
	p->version[1] = 3;
	p->buf[0].cbBuffer = SSLPROV_RANDOM_LEN;
	p->buf[0].BufferType = NCRYPTBUFFER_SSL_CLIENT_RANDOM;
	p->buf[0].pvBuffer = cr;
	p->buf[1].cbBuffer = SSLPROV_RANDOM_LEN;
	p->buf[1].BufferType = NCRYPTBUFFER_SSL_SERVER_RANDOM;
	p->buf[1].pvBuffer = sr;
	p->buf[2].cbBuffer = sizeof(p->version);
	p->buf[2].BufferType = NCRYPTBUFFER_SSL_HIGHEST_VERSION;
	p->buf[2].pvBuffer = p->version;
	p->desc.ulVersion = NCRYPTBUFFER_VERSION;
	p->desc.cBuffers = 3;
	p->desc.pBuffers = p->buf;
}

FIXTURE_SETUP(lib)
{
	unsigned char *der = NULL;
	PKCS8_PRIV_KEY_INFO *p8;
	struct kt_params params;
	SECURITY_STATUS st;
	int len, ret;

	self->srv = self->peer = -1;
	self->prov = self->key = self->master = self->rk = self->wk = 0;
	signal(SIGPIPE, SIG_IGN);
	SP_REQUIRE_DEVICE();
	ASSERT_EQ(0, sp_stats_read(&self->base));
	self->have_base = true;
	ASSERT_EQ(0, tk_random(self->data, sizeof(self->data)));
	ASSERT_EQ(0, tk_rsa_get(&self->rsa))
		TH_LOG("RSA key: %s", tk_ossl_err());
	ASSERT_EQ(0, tk_hs_new(&self->hs, &self->rsa, SP_TLS1_2,
			       variant->suite, SP_TLS1_2));
	ASSERT_EQ(0, tk_key_block(SP_TLS1_2, variant->suite, variant->key_len,
				  self->hs.ms, self->hs.cr, self->hs.sr,
				  &self->kb));

	/* The private key as PKCS#8 PrivateKeyInfo, DER. */
	p8 = EVP_PKEY2PKCS8(self->rsa.pkey);
	ASSERT_NE(NULL, p8);
	len = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
	PKCS8_PRIV_KEY_INFO_free(p8);
	ASSERT_LT(0, len);

	st = SslOpenProvider(&self->prov, MS_SCHANNEL_PROVIDER, 0);
	if (st == ERROR_SUCCESS)
		st = SslImportKey(self->prov, &self->key,
				  SSLPROV_PKCS8_PRIVATEKEY_BLOB, der,
				  (DWORD)len, 0);
	OPENSSL_clear_free(der, len);
	ASSERT_EQ(ERROR_SUCCESS, st) TH_LOG("SslOpenProvider/SslImportKey: %#x",
					    (unsigned int)st);

	kt_params_init(&params, self->hs.cr, self->hs.sr);
	st = SslImportMasterKey(self->prov, self->key, &self->master,
				TLS1_2_PROTOCOL_VERSION, variant->suite,
				&params.desc, self->hs.enc,
				(DWORD)self->hs.enc_len,
				NCRYPT_SSL_SERVER_FLAG);
	ASSERT_EQ(ERROR_SUCCESS, st) TH_LOG("SslImportMasterKey: %#x",
					    (unsigned int)st);
	st = SslGenerateSessionKeys(self->prov, self->master, &self->rk,
				    &self->wk, &params.desc,
				    NCRYPT_SSL_SERVER_FLAG);
	ASSERT_EQ(ERROR_SUCCESS, st) TH_LOG("SslGenerateSessionKeys: %#x",
					    (unsigned int)st);
	ret = kt_tcp_pair(AF_INET, &self->srv, &self->peer);
	ASSERT_EQ(0, ret) TH_LOG("TCP pair: %s", sp_errname(ret));
}

FIXTURE_TEARDOWN(lib)
{
	NCRYPT_KEY_HANDLE *keys[] = { &self->wk, &self->rk, &self->master,
				      &self->key };
	char diff[256];
	unsigned int i;
	int ret;

	kt_close(&self->srv);
	kt_close(&self->peer);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (*keys[i])
			EXPECT_EQ(ERROR_SUCCESS, SslFreeObject(*keys[i], 0));
	if (self->prov)
		EXPECT_EQ(ERROR_SUCCESS, SslFreeObject(self->prov, 0));
	if (self->have_base) {
		ret = sp_stats_wait(&self->base, diff, sizeof(diff), 10);
		if (ret)
			TH_LOG("leak after SslFreeObject: %s", diff);
		EXPECT_EQ(0, ret);
	}
	tk_rsa_free(&self->rsa);
}

/* The library's attach, checked record by record as with the ioctl. */
TEST_F_TIMEOUT(lib, attach_and_traffic, SP_TIMEOUT_LONG)
{
	const uint64_t n = 1, m = 0x1234567890ULL;
	struct kt_oracle tx, rx;
	struct kt_job job = {
		.kind = KT_JOB_SEND,
		.data = self->data,
		.len = sizeof(self->data),
		.rng = 1,
	};
	union kt_info ci;
	struct kt_view v;
	int ret, jret;

	ASSERT_EQ(ERROR_SUCCESS, SslKtlsAttach(self->prov, self->wk,
					       self->srv, n, 0));
	ASSERT_EQ(ERROR_SUCCESS, SslKtlsAttach(self->prov, self->rk,
					       self->srv, m, 0));

	kt_oracle_init(&tx, self->kb.server_key, variant->key_len,
		       self->kb.server_salt, n);
	job.sock = self->srv;
	ASSERT_EQ(0, kt_job_start(&job)) TH_LOG("%s", job.why);
	ret = kt_oracle_recv(self->peer, &tx, self->got, sizeof(self->got));
	jret = kt_job_finish(&job, ret != 0, self->peer);
	EXPECT_EQ(0, ret) TH_LOG("%s", tx.why);
	ASSERT_EQ(0, jret) TH_LOG("%s", job.why);
	ASSERT_EQ(0, ret);
	TK_EXPECT_MEM(self->data, self->got, sizeof(self->data),
		      "SslKtlsAttach TX");

	kt_oracle_init(&rx, self->kb.client_key, variant->key_len,
		       self->kb.client_salt, m);
	job = (struct kt_job){
		.kind = KT_JOB_ORACLE_SEND,
		.sock = self->peer,
		.data = self->data,
		.len = sizeof(self->data),
		.o = &rx,
		.rng = 2,
	};
	ASSERT_EQ(0, kt_job_start(&job)) TH_LOG("%s", job.why);
	memset(self->got, 0, sizeof(self->got));
	ret = kt_read_full(self->srv, self->got, sizeof(self->got));
	jret = kt_job_finish(&job, ret != 0, self->peer);
	EXPECT_EQ(0, ret) TH_LOG("recv: %s", sp_errname(ret));
	ASSERT_EQ(0, jret) TH_LOG("%s", job.why);
	TK_EXPECT_MEM(self->data, self->got, sizeof(self->data),
		      "SslKtlsAttach RX");

	/* Scrubbed here too. */
	ASSERT_EQ(0, kt_getinfo(self->srv, TLS_TX, variant->key_len, &ci, &v));
	EXPECT_TRUE(kt_all_zero(v.key, variant->key_len));
	EXPECT_TRUE(kt_all_zero(v.salt, 4));
	EXPECT_EQ(tx.seq, kt_get_be64(v.rec_seq));

	/* The attached key is the socket's now. */
	EXPECT_EQ(NTE_BAD_KEY_STATE, SslKtlsAttach(self->prov, self->wk,
						   self->srv, tx.seq, 0));
	{
		BYTE rec[64];
		DWORD rl = 0;

		EXPECT_EQ(NTE_BAD_KEY_STATE,
			  SslEncryptPacket(self->prov, self->wk, self->data,
					   10, rec, sizeof(rec), &rl,
					   tx.seq + 10, CT_APPLICATIONDATA,
					   0));
	}
}

TEST_F_TIMEOUT(lib, errors, SP_TIMEOUT)
{
	uint8_t cr[SSLPROV_RANDOM_LEN], sr[SSLPROV_RANDOM_LEN];
	NCRYPT_KEY_HANDLE rk2 = 0, wk2 = 0;
	struct kt_params params;
	struct kt_oracle tx;
	int p[2], dn, t, ret;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	EXPECT_EQ(NTE_INVALID_PARAMETER,
		  SslKtlsAttach(self->prov, self->wk, p[0], 1, 0));
	EXPECT_EQ(NTE_INVALID_PARAMETER,
		  SslKtlsAttach(self->prov, self->rk, p[1], 1, 0));
	close(p[0]);
	close(p[1]);
	dn = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, dn);
	EXPECT_EQ(NTE_INVALID_PARAMETER,
		  SslKtlsAttach(self->prov, self->wk, dn, 1, 0));
	close(dn);
	t = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, t);
	EXPECT_EQ(NTE_INVALID_PARAMETER,
		  SslKtlsAttach(self->prov, self->wk, t, 1, 0));
	close(t);
	t = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, t);
	EXPECT_EQ(NTE_INVALID_PARAMETER,
		  SslKtlsAttach(self->prov, self->wk, t, 1, 0));
	close(t);
	EXPECT_EQ(NTE_INVALID_PARAMETER,
		  SslKtlsAttach(self->prov, self->wk, self->srv, UINT64_MAX,
				0));
	/* EBADF from the kernel: by the errno table, an invalid handle. */
	EXPECT_EQ(NTE_INVALID_HANDLE,
		  SslKtlsAttach(self->prov, self->wk, -1, 1, 0));

	/* The wrong kind of key. */
	EXPECT_EQ(NTE_BAD_KEY_STATE,
		  SslKtlsAttach(self->prov, self->master, self->srv, 1, 0));
	EXPECT_EQ(NTE_BAD_KEY_STATE,
		  SslKtlsAttach(self->prov, self->key, self->srv, 1, 0));

	/* Garbage and stale handles. */
	EXPECT_EQ(NTE_INVALID_HANDLE,
		  SslKtlsAttach(self->prov, 0, self->srv, 1, 0));
	EXPECT_EQ(NTE_INVALID_HANDLE,
		  SslKtlsAttach(self->prov, (NCRYPT_KEY_HANDLE)0x5a5a5a5a5a5aULL,
				self->srv, 1, 0));
	EXPECT_EQ(NTE_INVALID_HANDLE,
		  SslKtlsAttach(0, self->wk, self->srv, 1, 0));
	ASSERT_EQ(0, tk_random(cr, sizeof(cr)));
	ASSERT_EQ(0, tk_random(sr, sizeof(sr)));
	kt_params_init(&params, cr, sr);
	ASSERT_EQ(ERROR_SUCCESS,
		  SslGenerateSessionKeys(self->prov, self->master, &rk2, &wk2,
					 &params.desc, 0));
	ASSERT_EQ(ERROR_SUCCESS, SslFreeObject(rk2, 0));
	EXPECT_EQ(NTE_INVALID_HANDLE,
		  SslKtlsAttach(self->prov, rk2, self->srv, 1, 0));

	EXPECT_EQ(NTE_BAD_FLAGS,
		  SslKtlsAttach(self->prov, self->wk, self->srv, 1, 1));

	/* Attach, then: the same key again, another key for TX. */
	ASSERT_EQ(ERROR_SUCCESS,
		  SslKtlsAttach(self->prov, self->wk, self->srv, 1, 0));
	EXPECT_EQ(NTE_BAD_KEY_STATE,
		  SslKtlsAttach(self->prov, self->wk, self->srv, 2, 0));
	EXPECT_EQ(NTE_INVALID_PARAMETER,
		  SslKtlsAttach(self->prov, wk2, self->srv, 1, 0));
	EXPECT_EQ(ERROR_SUCCESS, SslFreeObject(wk2, 0));

	kt_oracle_init(&tx, self->kb.server_key, variant->key_len,
		       self->kb.server_salt, 1);
	ret = kt_write_full(self->srv, self->data, 100);
	ASSERT_EQ(0, ret) TH_LOG("send: %s", sp_errname(ret));
	ASSERT_EQ(0, kt_oracle_recv(self->peer, &tx, self->got, 100))
		TH_LOG("%s", tx.why);
	EXPECT_EQ(0, memcmp(self->data, self->got, 100));
}

TEST_HARNESS_MAIN
