// SPDX-License-Identifier: GPL-2.0
/*
 * sslprov-tls12-server - a small TLS 1.2 server whose process never holds
 * a secret.
 *
 * RSA key exchange with TLS_RSA_WITH_AES_128_GCM_SHA256 (0x009C) and
 * TLS_RSA_WITH_AES_256_GCM_SHA384 (0x009D), the extended master secret
 * (RFC 7627) when the client offers it, secure renegotiation signalled
 * (RFC 5746) and no renegotiation, resumption, client authentication or
 * compression.
 *
 * Every step that touches a secret is a call to libsslprov, the CNG SSL
 * provider API over /dev/sslprov:
 *
 *	SslOpenPrivateKey	the certificate's private key, which an
 *				administrator loaded with sslprovctl
 *	SslCreateHandshakeHash, SslHashHandshake
 *				the transcript, message by message
 *	SslComputeSessionHash	RFC 7627 session hash (public)
 *	SslImportMasterKey	RSA decryption of the premaster and the
 *				master secret, in the kernel
 *	SslGenerateSessionKeys	the record keys
 *	SslDecryptPacket, SslComputeFinishedHash
 *				the client's Finished, checked here in
 *				constant time
 *	SslComputeFinishedHash, SslEncryptPacket
 *				ours
 *	SslKtlsAttach		both record keys go from the module into
 *				kernel TLS on the socket
 *
 * after which application data is plain read()/write()/sendfile() on the
 * socket.  OpenSSL is used for one thing only: reading the certificate
 * file.  What this process holds are handles, public values (randoms,
 * certificate, session hash) and the Finished verify_data.
 *
 * One connection at a time.  The wire format lives in tls12-parse.c.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <linux/tls.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <sslprovider.h>

#include "tls12-parse.h"

#ifndef SOL_TLS
#define SOL_TLS 282
#endif

#define PROG "sslprov-tls12-server"

#define DEFAULT_PORT		4433
#define DEFAULT_TIMEOUT		30	/* seconds, handshake reads and writes */
#define DRAIN_TIMEOUT		5	/* seconds, waiting for the peer to close */
#define MAX_CERT_CHAIN		(512 * 1024)

static const uint16_t our_suites[] = {
	TLS_RSA_WITH_AES_128_GCM_SHA256,
	TLS_RSA_WITH_AES_256_GCM_SHA384,
};

static const char *suite_name(uint16_t suite)
{
	switch (suite) {
	case TLS_RSA_WITH_AES_128_GCM_SHA256:
		return "TLS_RSA_WITH_AES_128_GCM_SHA256";
	case TLS_RSA_WITH_AES_256_GCM_SHA384:
		return "TLS_RSA_WITH_AES_256_GCM_SHA384";
	default:
		return "?";
	}
}

/* ------------------------------------------------------------------------
 * Options, logging
 * ------------------------------------------------------------------------ */

enum mode { MODE_ECHO, MODE_SEND_FILE };

struct options {
	const char *cert_path;
	const char *send_file;
	const char *bind_addr;
	unsigned int port;
	unsigned int timeout;
	enum mode mode;
	bool once;
	bool verbose;
	bool no_ktls;
};

static struct options opt = {
	.port = DEFAULT_PORT,
	.timeout = DEFAULT_TIMEOUT,
	.mode = MODE_ECHO,
};

static volatile sig_atomic_t stop_requested;

static void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logmsg(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

#define vlog(...) do { if (opt.verbose) logmsg(__VA_ARGS__); } while (0)

/* SECURITY_STATUS values as words, for the messages. */
static const char *status_name(SECURITY_STATUS st)
{
	switch (st) {
	case ERROR_SUCCESS: return "success";
	case NTE_BAD_KEY: return "NTE_BAD_KEY";
	case NTE_BAD_DATA: return "NTE_BAD_DATA";
	case NTE_BAD_FLAGS: return "NTE_BAD_FLAGS";
	case NTE_BAD_KEY_STATE: return "NTE_BAD_KEY_STATE";
	case NTE_NO_KEY: return "NTE_NO_KEY";
	case NTE_NO_MEMORY: return "NTE_NO_MEMORY";
	case NTE_PERM: return "NTE_PERM";
	case NTE_NOT_FOUND: return "NTE_NOT_FOUND";
	case NTE_INVALID_HANDLE: return "NTE_INVALID_HANDLE";
	case NTE_INVALID_PARAMETER: return "NTE_INVALID_PARAMETER";
	case NTE_BUFFER_TOO_SMALL: return "NTE_BUFFER_TOO_SMALL";
	case NTE_NOT_SUPPORTED: return "NTE_NOT_SUPPORTED";
	case NTE_DECRYPTION_FAILURE: return "NTE_DECRYPTION_FAILURE";
	case NTE_INTERNAL_ERROR: return "NTE_INTERNAL_ERROR";
	case NTE_FAIL: return "NTE_FAIL";
	default: return "error";
	}
}

/* Constant-time comparison: 0 when equal. */
static int ct_memcmp(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d != 0;
}

/* ------------------------------------------------------------------------
 * Server state: the provider, the private key handle, the certificate
 * ------------------------------------------------------------------------ */

struct server {
	NCRYPT_PROV_HANDLE prov;
	NCRYPT_KEY_HANDLE key;
	uint8_t *cert_msg;		/* the Certificate handshake message */
	size_t cert_msg_len;
	unsigned int n_certs;
};

/*
 * The certificate chain from a PEM file (the server's certificate first,
 * then any intermediates) or a single DER certificate.  OpenSSL reads the
 * file and checks the key is RSA; it does nothing else in this program.
 * Builds the Certificate message and returns the leaf's DER in *leaf.
 */
static int load_certificates(const char *path, struct server *srv,
			     uint8_t **leaf, size_t *leaf_len)
{
	uint8_t *ders[16];
	size_t lens[16];
	unsigned int n = 0, i;
	size_t total = 0, need;
	X509 *x, *first = NULL;
	BIO *bio;
	int ret = -1;

	bio = BIO_new_file(path, "rb");
	if (!bio) {
		logmsg("%s: %s", path, strerror(errno));
		return -1;
	}
	while (n < sizeof(ders) / sizeof(ders[0]) &&
	       (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		uint8_t *der = NULL;
		int len = i2d_X509(x, &der);

		if (len <= 0) {
			X509_free(x);
			logmsg("%s: cannot encode certificate %u", path, n + 1);
			goto out;
		}
		if (!first)
			first = x;
		else
			X509_free(x);
		ders[n] = der;
		lens[n] = (size_t)len;
		total += (size_t)len;
		n++;
	}
	ERR_clear_error();
	if (!n) {
		/* Not PEM: one DER certificate. */
		if (BIO_reset(bio) == 0) {
			x = d2i_X509_bio(bio, NULL);
			if (x) {
				uint8_t *der = NULL;
				int len = i2d_X509(x, &der);

				if (len > 0) {
					first = x;
					ders[0] = der;
					lens[0] = (size_t)len;
					total = (size_t)len;
					n = 1;
				} else {
					X509_free(x);
				}
			}
		}
		if (!n) {
			logmsg("%s: no certificate in it (PEM or DER)", path);
			goto out;
		}
	}
	if (total > MAX_CERT_CHAIN) {
		logmsg("%s: certificate chain too long (%zu bytes)", path, total);
		goto out;
	}
	{
		EVP_PKEY *pub = X509_get0_pubkey(first);

		if (!pub || EVP_PKEY_get_base_id(pub) != EVP_PKEY_RSA) {
			logmsg("%s: RSA key exchange needs a certificate with an RSA key", path);
			goto out;
		}
		/* Clients refuse RSA key exchange without keyEncipherment. */
		if ((X509_get_extension_flags(first) & EXFLAG_KUSAGE) &&
		    !(X509_get_key_usage(first) & KU_KEY_ENCIPHERMENT))
			logmsg("warning: %s: keyUsage lacks keyEncipherment; clients may refuse RSA key exchange",
			       path);
	}

	need = tls12_build_certificate(NULL, 0, (const uint8_t *const *)ders, lens, n);
	srv->cert_msg = need ? malloc(need) : NULL;
	if (!srv->cert_msg ||
	    tls12_build_certificate(srv->cert_msg, need,
				    (const uint8_t *const *)ders, lens, n) != need) {
		logmsg("%s: cannot build the Certificate message", path);
		free(srv->cert_msg);
		srv->cert_msg = NULL;
		goto out;
	}
	srv->cert_msg_len = need;
	srv->n_certs = n;
	*leaf = malloc(lens[0]);
	if (!*leaf) {
		logmsg("out of memory");
		goto out;
	}
	memcpy(*leaf, ders[0], lens[0]);
	*leaf_len = lens[0];
	ret = 0;
out:
	for (i = 0; i < n; i++)
		OPENSSL_free(ders[i]);
	X509_free(first);
	BIO_free(bio);
	return ret;
}

/* ------------------------------------------------------------------------
 * A connection
 * ------------------------------------------------------------------------ */

struct conn {
	const struct server *srv;
	int fd;
	char peer[INET6_ADDRSTRLEN + 8];

	/* Record layer */
	uint16_t alert_version;		/* record version of our alerts */
	bool read_protected;		/* after the client's CCS */
	bool write_protected;		/* after ours */
	bool ktls_tx, ktls_rx;
	bool close_notify_sent;
	bool quiet;			/* closing: no more I/O error messages */
	bool peer_alerted;		/* the peer ended it with an alert */
	uint64_t read_seq, write_seq;
	struct tls12_record_header hdr;
	uint8_t rec[TLS12_RECORD_HEADER_LEN + TLS12_MAX_CIPHERTEXT];
	uint8_t plain[TLS12_MAX_CIPHERTEXT];

	/* Handshake */
	struct tls12_hs_reasm hs;
	uint8_t hs_buf[TLS12_HS_HEADER_LEN + TLS12_MAX_CLIENT_HS_MSG + TLS12_MAX_PLAINTEXT];
	uint16_t suite;
	bool ems;			/* extended master secret */
	bool secure_reneg;		/* client signalled RFC 5746 */
	uint16_t client_version;
	uint8_t client_random[TLS12_RANDOM_LEN];
	uint8_t server_random[TLS12_RANDOM_LEN];

	/* Handles: the whole of this connection's cryptographic state. */
	NCRYPT_HASH_HANDLE hash;
	NCRYPT_KEY_HANDLE master;
	NCRYPT_KEY_HANDLE read_key;
	NCRYPT_KEY_HANDLE write_key;

	/* Application data */
	uint64_t bytes_in, bytes_out;
};

/* Return values of the steps below: 0, an alert to send (> 0), or one of: */
#define R_CLOSED	(-1)	/* the peer went away or sent an alert: just close */
#define R_IOERR		(-2)	/* local I/O error: just close */

static int fail(struct conn *c, int alert, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct conn *c, int alert, const char *fmt, ...)
{
	va_list ap;

	if (c->quiet && alert <= 0)
		return alert;
	fprintf(stderr, PROG ": %s: ", c->peer);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (alert > 0)
		fprintf(stderr, " (alert %s)", tls12_alert_name((uint8_t)alert));
	fputc('\n', stderr);
	return alert;
}

static void free_handle(NCRYPT_HANDLE *h)
{
	if (*h) {
		SECURITY_STATUS st = SslFreeObject(*h, 0);

		if (st)
			logmsg("SslFreeObject(0x%lx): %s (0x%08x)", (unsigned long)*h,
			       status_name(st), (unsigned int)st);
		*h = 0;
	}
}

static void conn_free_handles(struct conn *c)
{
	free_handle(&c->read_key);
	free_handle(&c->write_key);
	free_handle(&c->master);
	free_handle(&c->hash);
}

/* ---- raw socket I/O ---- */

static int read_full(struct conn *c, uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(c->fd, buf + got, len - got);

		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n == 0) {
			/* At a record boundary the caller says what it means. */
			if (got)
				fail(c, 0, "connection closed in the middle of a record");
			return R_CLOSED;
		}
		if (errno == EINTR && !stop_requested)
			continue;
		fail(c, 0, "read: %s", errno == EAGAIN ? "timed out" : strerror(errno));
		return R_IOERR;
	}
	return 0;
}

static int send_full(struct conn *c, const uint8_t *buf, size_t len)
{
	size_t sent = 0;

	while (sent < len) {
		ssize_t n = send(c->fd, buf + sent, len - sent, MSG_NOSIGNAL);

		if (n > 0) {
			sent += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR && !stop_requested)
			continue;
		fail(c, 0, "send: %s", n < 0 ? (errno == EAGAIN ? "timed out" :
						 strerror(errno)) : "no progress");
		return R_IOERR;
	}
	return 0;
}

/* kTLS TX: application data is plain write(). */
static int write_full(struct conn *c, const uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(c->fd, buf + done, len - done);

		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR && !stop_requested)
			continue;
		fail(c, 0, "write: %s", n < 0 ? strerror(errno) : "no progress");
		return R_IOERR;
	}
	return 0;
}

/* One record with a control message naming its content type (kTLS TX). */
static int ktls_send_typed(struct conn *c, uint8_t type, const uint8_t *data, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(uint8_t))];
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_TLS;
	cm->cmsg_type = TLS_SET_RECORD_TYPE;
	cm->cmsg_len = CMSG_LEN(sizeof(uint8_t));
	*CMSG_DATA(cm) = type;
	do {
		n = sendmsg(c->fd, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR && !stop_requested);
	if (n != (ssize_t)len) {
		fail(c, 0, "sendmsg (record type %u): %s", type,
		     n < 0 ? strerror(errno) : "short write");
		return R_IOERR;
	}
	return 0;
}

/* ---- records ---- */

/* Plaintext records (before our ChangeCipherSpec), fragmented as needed. */
static int send_plain(struct conn *c, uint8_t type, uint16_t version,
		      const uint8_t *data, size_t len)
{
	uint8_t rec[TLS12_RECORD_HEADER_LEN + TLS12_MAX_PLAINTEXT];

	while (len) {
		size_t n = len > TLS12_MAX_PLAINTEXT ? TLS12_MAX_PLAINTEXT : len;
		int ret;

		/* Header and fragment in one send: one segment where they fit. */
		tls12_put_record_header(rec, type, version, (uint16_t)n);
		memcpy(rec + TLS12_RECORD_HEADER_LEN, data, n);
		ret = send_full(c, rec, TLS12_RECORD_HEADER_LEN + n);
		if (ret)
			return ret;
		data += n;
		len -= n;
	}
	return 0;
}

/* One protected record by SslEncryptPacket (before kTLS takes over). */
static int send_protected(struct conn *c, uint8_t type, const uint8_t *data, size_t len)
{
	uint8_t out[TLS12_RECORD_HEADER_LEN + TLS12_MAX_CIPHERTEXT];
	SECURITY_STATUS st;
	DWORD cb = 0;

	if (len > TLS12_MAX_PLAINTEXT)
		return fail(c, TLS12_ALERT_INTERNAL_ERROR, "record too long");
	st = SslEncryptPacket(c->srv->prov, c->write_key, (PBYTE)data, (DWORD)len,
			      out, sizeof(out), &cb, c->write_seq, type, 0);
	if (st || cb > sizeof(out))
		return fail(c, TLS12_ALERT_INTERNAL_ERROR,
			    "SslEncryptPacket(seq %llu): %s (0x%08x)",
			    (unsigned long long)c->write_seq, status_name(st),
			    (unsigned int)st);
	c->write_seq++;
	return send_full(c, out, cb);
}

/* Any record of ours, by the means the write direction has now. */
static int send_record(struct conn *c, uint8_t type, const uint8_t *data, size_t len)
{
	if (c->ktls_tx)
		return ktls_send_typed(c, type, data, len);
	if (c->write_protected)
		return send_protected(c, type, data, len);
	return send_plain(c, type, c->alert_version, data, len);
}

static void send_alert(struct conn *c, uint8_t level, uint8_t desc)
{
	uint8_t a[2] = { level, desc };

	if (c->close_notify_sent)
		return;
	/* Best effort: the connection ends anyway. */
	if (send_record(c, TLS12_CT_ALERT, a, sizeof(a)) == 0)
		vlog("%s: sent %s alert %s", c->peer,
		     level == TLS12_ALERT_FATAL ? "fatal" : "warning",
		     tls12_alert_name(desc));
	if (desc == TLS12_ALERT_CLOSE_NOTIFY || level == TLS12_ALERT_FATAL)
		c->close_notify_sent = true;	/* nothing more after these */
}

/*
 * Read one record into c->rec and check its header; a protected record is
 * opened into c->plain.  On return *frag, *frag_len hold the fragment.
 */
static int read_record(struct conn *c, const uint8_t **frag, size_t *frag_len)
{
	SECURITY_STATUS st;
	DWORD cb = 0;
	int ret;

	*frag = NULL;
	*frag_len = 0;
	ret = read_full(c, c->rec, TLS12_RECORD_HEADER_LEN);
	if (ret)
		return ret;
	ret = tls12_parse_record_header(c->rec, TLS12_RECORD_HEADER_LEN,
					c->read_protected, &c->hdr);
	if (ret)
		return fail(c, ret, "bad record header %02x %02x%02x %02x%02x",
			    c->rec[0], c->rec[1], c->rec[2], c->rec[3], c->rec[4]);
	ret = read_full(c, c->rec + TLS12_RECORD_HEADER_LEN, c->hdr.length);
	if (ret)
		return ret;
	if (!c->read_protected) {
		*frag = c->rec + TLS12_RECORD_HEADER_LEN;
		*frag_len = c->hdr.length;
		return 0;
	}
	st = SslDecryptPacket(c->srv->prov, c->read_key, c->rec,
			      (DWORD)(TLS12_RECORD_HEADER_LEN + c->hdr.length),
			      c->plain, sizeof(c->plain), &cb, c->read_seq, 0);
	if (st)
		return fail(c, TLS12_ALERT_BAD_RECORD_MAC,
			    "record %llu does not decrypt: %s (0x%08x)",
			    (unsigned long long)c->read_seq, status_name(st),
			    (unsigned int)st);
	c->read_seq++;
	if (cb > TLS12_MAX_PLAINTEXT)
		return fail(c, TLS12_ALERT_RECORD_OVERFLOW, "decrypted record too long");
	if (!cb && c->hdr.type != TLS12_CT_APPLICATION_DATA)
		return fail(c, TLS12_ALERT_UNEXPECTED_MESSAGE, "empty %u record", c->hdr.type);
	*frag = c->plain;
	*frag_len = cb;
	return 0;
}

/* An alert from the peer during the handshake: always the end. */
static int peer_alert(struct conn *c, const uint8_t *frag, size_t len)
{
	uint8_t level, desc;
	int ret = tls12_parse_alert(frag, len, &level, &desc);

	if (ret)
		return fail(c, ret, "malformed alert");
	fail(c, 0, "peer sent %s alert %s (%u)",
	     level == TLS12_ALERT_FATAL ? "fatal" : "warning",
	     tls12_alert_name(desc), desc);
	c->peer_alerted = true;
	if (desc == TLS12_ALERT_CLOSE_NOTIFY)
		send_alert(c, TLS12_ALERT_WARNING, TLS12_ALERT_CLOSE_NOTIFY);
	return R_CLOSED;
}

/* The next handshake message, reading records as needed. */
static int next_message(struct conn *c, struct tls12_hs_msg *m)
{
	const uint8_t *frag;
	size_t len;
	bool have;
	int ret;

	for (;;) {
		ret = tls12_hs_next(&c->hs, m, &have);
		if (ret)
			return fail(c, ret, "handshake message too long");
		if (have)
			return 0;
		ret = read_record(c, &frag, &len);
		if (ret)
			return ret;
		switch (c->hdr.type) {
		case TLS12_CT_HANDSHAKE:
			ret = tls12_hs_append(&c->hs, frag, len);
			if (ret)
				return fail(c, ret, "handshake data overflows the buffer");
			break;
		case TLS12_CT_ALERT:
			return peer_alert(c, frag, len);
		default:
			return fail(c, TLS12_ALERT_UNEXPECTED_MESSAGE,
				    "record type %u during the handshake", c->hdr.type);
		}
	}
}

static int hash_message(struct conn *c, const struct tls12_hs_msg *m)
{
	SECURITY_STATUS st;

	st = SslHashHandshake(c->srv->prov, c->hash, (PBYTE)m->raw, (DWORD)m->raw_len, 0);
	if (st)
		return fail(c, TLS12_ALERT_INTERNAL_ERROR, "SslHashHandshake: %s (0x%08x)",
			    status_name(st), (unsigned int)st);
	return 0;
}

static int hash_bytes(struct conn *c, const uint8_t *p, size_t len)
{
	struct tls12_hs_msg m = { .raw = p, .raw_len = len };

	return hash_message(c, &m);
}

/* ---- the handshake ---- */

static int recv_client_hello(struct conn *c)
{
	struct tls12_client_hello ch;
	struct tls12_hs_msg m;
	SECURITY_STATUS st;
	int ret;

	ret = next_message(c, &m);
	if (ret)
		return ret;
	/* Alerts before ServerHello carry the client's record version. */
	if ((c->hdr.version >> 8) == 3)
		c->alert_version = c->hdr.version;
	if (m.type != TLS12_HT_CLIENT_HELLO)
		return fail(c, TLS12_ALERT_UNEXPECTED_MESSAGE,
			    "expected ClientHello, got handshake type %u", m.type);
	ret = tls12_parse_client_hello(m.body, m.body_len, &ch);
	if (ret)
		return fail(c, ret, "malformed ClientHello");
	ret = tls12_check_client_hello(&ch);
	if (ret == TLS12_ALERT_PROTOCOL_VERSION)
		return fail(c, ret, "ClientHello: client_version 0x%04x%s: no TLS 1.2",
			    ch.client_version,
			    ch.ext_supported_versions ? " and supported_versions" : "");
	if (ret)
		return fail(c, ret, "ClientHello without the null compression method");
	ret = tls12_select_suite(&ch, our_suites,
				 sizeof(our_suites) / sizeof(our_suites[0]), &c->suite);
	if (ret)
		return fail(c, ret, "no common cipher suite (want 0x009C or 0x009D)");
	if (tls12_hs_pending(&c->hs))
		return fail(c, TLS12_ALERT_UNEXPECTED_MESSAGE, "data after ClientHello");

	c->client_version = ch.client_version;
	memcpy(c->client_random, ch.random, sizeof(c->client_random));
	c->ems = ch.ext_extended_master_secret;

	/* The transcript hash depends on the suite (SHA-256 or SHA-384). */
	st = SslCreateHandshakeHash(c->srv->prov, &c->hash, TLS1_2_PROTOCOL_VERSION,
				    c->suite, 0);
	if (st)
		return fail(c, TLS12_ALERT_INTERNAL_ERROR,
			    "SslCreateHandshakeHash: %s (0x%08x)", status_name(st),
			    (unsigned int)st);
	ret = hash_message(c, &m);
	if (ret)
		return ret;

	vlog("%s: ClientHello 0x%04x, %zu suites, EMS %s, renegotiation_info %s%s; handshake hash handle 0x%lx",
	     c->peer, ch.client_version, ch.cipher_suites_len / 2,
	     ch.ext_extended_master_secret ? "offered" : "not offered",
	     ch.ext_renegotiation_info ? "extension" : ch.reneg_scsv ? "SCSV" : "absent",
	     ch.ext_supported_versions ? ", supported_versions" : "",
	     (unsigned long)c->hash);
	/* Secure renegotiation is signalled whenever the client signals it. */
	c->secure_reneg = ch.ext_renegotiation_info || ch.reneg_scsv;
	return 0;
}

static int send_server_flight(struct conn *c)
{
	struct tls12_server_hello_params shp;
	uint8_t sh[128], shd[8];
	size_t sh_len, shd_len, total;
	uint8_t *flight;
	int ret;

	memset(&shp, 0, sizeof(shp));
	/* Public randomness; nothing secret comes from here. */
	if (getrandom(shp.random, sizeof(shp.random), 0) != (ssize_t)sizeof(shp.random))
		return fail(c, TLS12_ALERT_INTERNAL_ERROR, "getrandom: %s", strerror(errno));
	memcpy(c->server_random, shp.random, sizeof(c->server_random));
	shp.cipher_suite = c->suite;
	shp.renegotiation_info = c->secure_reneg;
	shp.extended_master_secret = c->ems;

	sh_len = tls12_build_server_hello(sh, sizeof(sh), &shp);
	shd_len = tls12_build_server_hello_done(shd, sizeof(shd));
	if (!sh_len || !shd_len)
		return fail(c, TLS12_ALERT_INTERNAL_ERROR, "cannot build ServerHello");

	/* ServerHello, Certificate, ServerHelloDone: one flight, hashed in order. */
	total = sh_len + c->srv->cert_msg_len + shd_len;
	flight = malloc(total);
	if (!flight)
		return fail(c, TLS12_ALERT_INTERNAL_ERROR, "out of memory");
	memcpy(flight, sh, sh_len);
	memcpy(flight + sh_len, c->srv->cert_msg, c->srv->cert_msg_len);
	memcpy(flight + sh_len + c->srv->cert_msg_len, shd, shd_len);
	ret = hash_bytes(c, sh, sh_len);
	if (!ret)
		ret = hash_bytes(c, c->srv->cert_msg, c->srv->cert_msg_len);
	if (!ret)
		ret = hash_bytes(c, shd, shd_len);
	c->alert_version = TLS12_VERSION;
	if (!ret)
		ret = send_plain(c, TLS12_CT_HANDSHAKE, TLS12_VERSION, flight, total);
	free(flight);
	if (!ret)
		vlog("%s: sent ServerHello (%s, EMS %s), Certificate (%u), ServerHelloDone",
		     c->peer, suite_name(c->suite), c->ems ? "yes" : "no",
		     c->srv->n_certs);
	return ret;
}

static void set_param(NCryptBuffer *b, ULONG type, void *p, ULONG len)
{
	b->BufferType = type;
	b->pvBuffer = p;
	b->cbBuffer = len;
}

static int recv_client_key_exchange(struct conn *c)
{
	uint8_t session_hash[64];
	DWORD session_hash_len = 0;
	NCryptBuffer bufs[4];
	NCryptBufferDesc params;
	DWORD highest_version;
	struct tls12_hs_msg m;
	const uint8_t *enc;
	SECURITY_STATUS st;
	size_t enc_len;
	int ret;

	ret = next_message(c, &m);
	if (ret)
		return ret;
	if (m.type != TLS12_HT_CLIENT_KEY_EXCHANGE)
		return fail(c, TLS12_ALERT_UNEXPECTED_MESSAGE,
			    "expected ClientKeyExchange, got handshake type %u", m.type);
	ret = tls12_parse_client_key_exchange(m.body, m.body_len, &enc, &enc_len);
	if (ret)
		return fail(c, ret, "malformed ClientKeyExchange");
	ret = hash_message(c, &m);
	if (ret)
		return ret;

	if (c->ems) {
		/* RFC 7627: the hash of everything up to ClientKeyExchange. */
		st = SslComputeSessionHash(c->srv->prov, c->hash, TLS1_2_PROTOCOL_VERSION,
					   session_hash, sizeof(session_hash),
					   &session_hash_len, 0);
		if (st || !session_hash_len || session_hash_len > sizeof(session_hash))
			return fail(c, TLS12_ALERT_INTERNAL_ERROR,
				    "SslComputeSessionHash: %s (0x%08x)",
				    status_name(st), (unsigned int)st);
	}

	/* The premaster's version check is against what the client offered. */
	highest_version = c->client_version;
	memset(bufs, 0, sizeof(bufs));
	set_param(&bufs[0], NCRYPTBUFFER_SSL_CLIENT_RANDOM, c->client_random,
		  sizeof(c->client_random));
	set_param(&bufs[1], NCRYPTBUFFER_SSL_SERVER_RANDOM, c->server_random,
		  sizeof(c->server_random));
	set_param(&bufs[2], NCRYPTBUFFER_SSL_HIGHEST_VERSION, &highest_version,
		  sizeof(highest_version));
	if (c->ems)
		set_param(&bufs[3], NCRYPTBUFFER_SSL_SESSION_HASH, session_hash,
			  session_hash_len);
	params.ulVersion = NCRYPTBUFFER_VERSION;
	params.cBuffers = c->ems ? 4 : 3;
	params.pBuffers = bufs;

	/*
	 * A ciphertext that does not decrypt properly is not an error here:
	 * the kernel derives the master secret from a random premaster and
	 * the client's Finished fails to verify (RFC 5246 7.4.7.1).
	 */
	st = SslImportMasterKey(c->srv->prov, c->srv->key, &c->master,
				TLS1_2_PROTOCOL_VERSION, c->suite, &params,
				(PBYTE)enc, (DWORD)enc_len, NCRYPT_SSL_SERVER_FLAG);
	if (st)
		return fail(c, TLS12_ALERT_HANDSHAKE_FAILURE,
			    "SslImportMasterKey: %s (0x%08x)", status_name(st),
			    (unsigned int)st);

	/* The key block takes the randoms only. */
	params.cBuffers = 2;
	st = SslGenerateSessionKeys(c->srv->prov, c->master, &c->read_key,
				    &c->write_key, &params, 0);
	if (st)
		return fail(c, TLS12_ALERT_INTERNAL_ERROR,
			    "SslGenerateSessionKeys: %s (0x%08x)", status_name(st),
			    (unsigned int)st);
	vlog("%s: ClientKeyExchange (%zu-byte ciphertext) -> master key handle 0x%lx%s, read key 0x%lx, write key 0x%lx",
	     c->peer, enc_len, (unsigned long)c->master,
	     c->ems ? " (extended master secret)" : "",
	     (unsigned long)c->read_key, (unsigned long)c->write_key);
	return 0;
}

static int recv_change_cipher_spec(struct conn *c)
{
	const uint8_t *frag;
	size_t len;
	int ret;

	/* CCS must fall between handshake messages. */
	if (tls12_hs_pending(&c->hs))
		return fail(c, TLS12_ALERT_UNEXPECTED_MESSAGE,
			    "handshake data before ChangeCipherSpec");
	ret = read_record(c, &frag, &len);
	if (ret)
		return ret;
	if (c->hdr.type == TLS12_CT_ALERT)
		return peer_alert(c, frag, len);
	if (c->hdr.type != TLS12_CT_CHANGE_CIPHER_SPEC)
		return fail(c, TLS12_ALERT_UNEXPECTED_MESSAGE,
			    "expected ChangeCipherSpec, got record type %u", c->hdr.type);
	ret = tls12_parse_change_cipher_spec(frag, len);
	if (ret)
		return fail(c, ret, "malformed ChangeCipherSpec");
	c->read_protected = true;
	c->read_seq = 0;
	return 0;
}

static int recv_client_finished(struct conn *c)
{
	uint8_t expected[TLS12_VERIFY_DATA_LEN];
	const uint8_t *vd;
	struct tls12_hs_msg m;
	SECURITY_STATUS st;
	int ret, differ;

	/* Over the transcript up to, not including, the client's Finished. */
	st = SslComputeFinishedHash(c->srv->prov, c->master, c->hash, expected,
				    sizeof(expected), NCRYPT_SSL_CLIENT_FLAG);
	if (st)
		return fail(c, TLS12_ALERT_INTERNAL_ERROR,
			    "SslComputeFinishedHash(client): %s (0x%08x)",
			    status_name(st), (unsigned int)st);
	ret = next_message(c, &m);
	if (ret)
		goto out;
	if (m.type != TLS12_HT_FINISHED) {
		ret = fail(c, TLS12_ALERT_UNEXPECTED_MESSAGE,
			   "expected Finished, got handshake type %u", m.type);
		goto out;
	}
	ret = tls12_parse_finished(m.body, m.body_len, &vd);
	if (ret) {
		ret = fail(c, ret, "malformed Finished");
		goto out;
	}
	differ = ct_memcmp(vd, expected, sizeof(expected));
	if (differ) {
		ret = fail(c, TLS12_ALERT_DECRYPT_ERROR,
			   "the client's Finished does not verify (wrong key, or a bad premaster)");
		goto out;
	}
	if (tls12_hs_pending(&c->hs)) {
		ret = fail(c, TLS12_ALERT_UNEXPECTED_MESSAGE, "data after Finished");
		goto out;
	}
	/* The server's Finished covers the client's. */
	ret = hash_message(c, &m);
	if (!ret)
		vlog("%s: client Finished verified", c->peer);
out:
	explicit_bzero(expected, sizeof(expected));
	return ret;
}

static int send_finished(struct conn *c)
{
	static const uint8_t ccs[1] = { 1 };
	uint8_t vd[TLS12_VERIFY_DATA_LEN], msg[TLS12_HS_HEADER_LEN + TLS12_VERIFY_DATA_LEN];
	SECURITY_STATUS st;
	size_t len;
	int ret;

	st = SslComputeFinishedHash(c->srv->prov, c->master, c->hash, vd, sizeof(vd),
				    NCRYPT_SSL_SERVER_FLAG);
	if (st)
		return fail(c, TLS12_ALERT_INTERNAL_ERROR,
			    "SslComputeFinishedHash(server): %s (0x%08x)",
			    status_name(st), (unsigned int)st);
	len = tls12_build_finished(msg, sizeof(msg), vd);
	explicit_bzero(vd, sizeof(vd));
	if (!len)
		return fail(c, TLS12_ALERT_INTERNAL_ERROR, "cannot build Finished");

	ret = send_plain(c, TLS12_CT_CHANGE_CIPHER_SPEC, TLS12_VERSION, ccs, sizeof(ccs));
	if (ret)
		return ret;
	c->write_protected = true;
	c->write_seq = 0;
	ret = send_protected(c, TLS12_CT_HANDSHAKE, msg, len);
	explicit_bzero(msg, sizeof(msg));
	return ret;
}

/* The full handshake; returns 0 when both Finished are through. */
static int handshake(struct conn *c)
{
	int ret;

	ret = recv_client_hello(c);
	if (!ret)
		ret = send_server_flight(c);
	if (!ret)
		ret = recv_client_key_exchange(c);
	if (!ret)
		ret = recv_change_cipher_spec(c);
	if (!ret)
		ret = recv_client_finished(c);
	if (!ret)
		ret = send_finished(c);
	if (ret == R_CLOSED && !c->peer_alerted)
		fail(c, 0, "connection closed by the peer during the handshake");
	if (ret)
		return ret;
	/* The master secret and the transcript are not needed any more. */
	free_handle(&c->master);
	free_handle(&c->hash);
	return 0;
}

/* ---- application data ---- */

/* Hand both record keys to kernel TLS; their handles can go after that. */
static void attach_ktls(struct conn *c)
{
	SECURITY_STATUS st;

	if (opt.no_ktls)
		return;
	st = SslKtlsAttach(c->srv->prov, c->write_key, c->fd, c->write_seq, 0);
	if (st) {
		logmsg("%s: SslKtlsAttach(write key, seq %llu): %s (0x%08x); records stay in SslEncryptPacket",
		       c->peer, (unsigned long long)c->write_seq, status_name(st),
		       (unsigned int)st);
	} else {
		c->ktls_tx = true;
		vlog("%s: kTLS TX keyed from write key 0x%lx, sequence %llu",
		     c->peer, (unsigned long)c->write_key,
		     (unsigned long long)c->write_seq);
		free_handle(&c->write_key);
	}
	st = SslKtlsAttach(c->srv->prov, c->read_key, c->fd, c->read_seq, 0);
	if (st) {
		logmsg("%s: SslKtlsAttach(read key, seq %llu): %s (0x%08x); records stay in SslDecryptPacket",
		       c->peer, (unsigned long long)c->read_seq, status_name(st),
		       (unsigned int)st);
	} else {
		c->ktls_rx = true;
		vlog("%s: kTLS RX keyed from read key 0x%lx, sequence %llu",
		     c->peer, (unsigned long)c->read_key,
		     (unsigned long long)c->read_seq);
		free_handle(&c->read_key);
	}
}

/*
 * kTLS RX: application data comes from plain read().  A record of another
 * type (an alert, say) makes read() fail with EIO and stays queued; then
 * recvmsg() with room for a control message returns it and its type.
 */
static ssize_t ktls_read(struct conn *c, uint8_t *buf, size_t cap, uint8_t *type)
{
	ssize_t n;

	do {
		n = read(c->fd, buf, cap);
	} while (n < 0 && errno == EINTR && !stop_requested);
	if (n >= 0) {
		*type = n ? TLS12_CT_APPLICATION_DATA : 0;
		return n;
	}
	if (errno != EIO)
		return -1;
	{
		char cbuf[CMSG_SPACE(sizeof(uint8_t))];
		struct iovec iov = { .iov_base = buf, .iov_len = cap };
		struct msghdr msg = {
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = cbuf,
			.msg_controllen = sizeof(cbuf),
		};
		struct cmsghdr *cm;

		do {
			n = recvmsg(c->fd, &msg, 0);
		} while (n < 0 && errno == EINTR && !stop_requested);
		if (n <= 0) {
			*type = 0;
			return n;
		}
		*type = TLS12_CT_APPLICATION_DATA;
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
			if (cm->cmsg_level == SOL_TLS && cm->cmsg_type == TLS_GET_RECORD_TYPE)
				*type = *CMSG_DATA(cm);
		return n;
	}
}

/*
 * The next record's content: with kTLS, ktls_read(); else a record opened
 * by SslDecryptPacket.  Returns the length with *type set, 0 with *type 0
 * at the end of the stream, or < 0 (an alert to send is then in *alert).
 */
static ssize_t app_read(struct conn *c, uint8_t *buf, size_t cap, uint8_t *type,
			int *alert)
{
	*type = 0;
	*alert = 0;
	if (c->ktls_rx) {
		ssize_t n = ktls_read(c, buf, cap, type);

		if (n < 0) {
			if (errno == EBADMSG)
				*alert = fail(c, TLS12_ALERT_BAD_RECORD_MAC,
					      "kTLS: a record does not authenticate");
			else
				fail(c, 0, "read: %s", errno == EAGAIN ? "timed out" :
				     strerror(errno));
		}
		return n;
	} else {
		const uint8_t *frag;
		size_t len;
		int ret;

		if (cap < TLS12_MAX_PLAINTEXT)
			return -1;
		ret = read_record(c, &frag, &len);
		if (ret == R_CLOSED)
			return 0;
		if (ret) {
			*alert = ret > 0 ? ret : 0;
			return -1;
		}
		memcpy(buf, frag, len);
		*type = c->hdr.type;
		return (ssize_t)len;
	}
}

/* Application data out: write() with kTLS, else SslEncryptPacket records. */
static int app_write(struct conn *c, const uint8_t *buf, size_t len)
{
	while (len) {
		size_t n = len;
		int ret;

		if (c->ktls_tx) {
			ret = write_full(c, buf, n);
		} else {
			if (n > TLS12_MAX_PLAINTEXT)
				n = TLS12_MAX_PLAINTEXT;
			ret = send_protected(c, TLS12_CT_APPLICATION_DATA, buf, n);
		}
		if (ret)
			return ret;
		c->bytes_out += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * A non-data record after the handshake.  Returns 1 to go on, 0 when the
 * peer closed properly, < 0 or an alert (> 0) on error.
 */
static int app_control(struct conn *c, uint8_t type, const uint8_t *buf, size_t len)
{
	uint8_t level, desc;
	int ret;

	switch (type) {
	case TLS12_CT_ALERT:
		ret = tls12_parse_alert(buf, len, &level, &desc);
		if (ret)
			return fail(c, ret, "malformed alert");
		if (desc == TLS12_ALERT_CLOSE_NOTIFY) {
			vlog("%s: peer sent close_notify", c->peer);
			return 0;
		}
		if (level == TLS12_ALERT_FATAL) {
			fail(c, 0, "peer sent fatal alert %s (%u)", tls12_alert_name(desc), desc);
			c->close_notify_sent = true;	/* no reply to a fatal alert */
			return R_CLOSED;
		}
		vlog("%s: peer sent warning alert %s (%u); ignored", c->peer,
		     tls12_alert_name(desc), desc);
		return 1;
	case TLS12_CT_HANDSHAKE:
		/* A renegotiation attempt: declined, the connection goes on. */
		vlog("%s: peer tried to renegotiate; declined", c->peer);
		send_alert(c, TLS12_ALERT_WARNING, TLS12_ALERT_NO_RENEGOTIATION);
		return 1;
	default:
		return fail(c, TLS12_ALERT_UNEXPECTED_MESSAGE,
			    "record type %u after the handshake", type);
	}
}

static int serve_echo(struct conn *c)
{
	static uint8_t buf[TLS12_MAX_CIPHERTEXT];

	for (;;) {
		uint8_t type;
		int alert, ret;
		ssize_t n = app_read(c, buf, sizeof(buf), &type, &alert);

		if (n < 0)
			return alert ? alert : R_IOERR;
		if (type == 0) {
			fail(c, 0, "connection closed without close_notify");
			return R_CLOSED;
		}
		if (type != TLS12_CT_APPLICATION_DATA) {
			ret = app_control(c, type, buf, (size_t)n);
			if (ret == 1)
				continue;
			return ret;
		}
		c->bytes_in += (uint64_t)n;
		ret = app_write(c, buf, (size_t)n);
		if (ret)
			return ret;
	}
}

static int serve_file(struct conn *c, const char *path)
{
	static uint8_t buf[TLS12_MAX_PLAINTEXT];
	struct stat st;
	off_t off = 0;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		ret = fail(c, TLS12_ALERT_INTERNAL_ERROR, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	if (c->ktls_tx && S_ISREG(st.st_mode)) {
		while (off < st.st_size) {
			ssize_t n = sendfile(c->fd, fd, &off, (size_t)(st.st_size - off));

			if (n < 0 && errno == EINTR && !stop_requested)
				continue;
			if (n <= 0) {
				fail(c, 0, "sendfile: %s", n < 0 ? strerror(errno) :
				     "file shrank");
				ret = R_IOERR;
				break;
			}
			c->bytes_out += (uint64_t)n;
		}
	} else {
		for (;;) {
			ssize_t n = read(fd, buf, sizeof(buf));

			if (n < 0 && errno == EINTR && !stop_requested)
				continue;
			if (n < 0) {
				ret = fail(c, TLS12_ALERT_INTERNAL_ERROR, "%s: %s", path,
					   strerror(errno));
				break;
			}
			if (n == 0)
				break;
			ret = app_write(c, buf, (size_t)n);
			if (ret)
				break;
		}
	}
	close(fd);
	return ret;
}

/*
 * Close politely: close_notify, no more writes, then read until the peer
 * closes (briefly), so that closing with unread data does not reset the
 * connection before the peer has read everything we sent.
 */
static void finish(struct conn *c)
{
	static uint8_t buf[TLS12_MAX_CIPHERTEXT];
	struct timeval tv = { .tv_sec = DRAIN_TIMEOUT };
	struct timespec start, now;

	send_alert(c, TLS12_ALERT_WARNING, TLS12_ALERT_CLOSE_NOTIFY);
	c->quiet = true;
	shutdown(c->fd, SHUT_WR);
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		ssize_t n;

		/* However the peer trickles, DRAIN_TIMEOUT in all. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= DRAIN_TIMEOUT)
			break;

		if (c->ktls_rx || c->read_protected) {
			uint8_t type;
			int alert;

			n = app_read(c, buf, sizeof(buf), &type, &alert);
			if (n < 0 || type == 0 ||
			    (type == TLS12_CT_ALERT && n == 2 && buf[1] == TLS12_ALERT_CLOSE_NOTIFY))
				break;
		} else {
			n = read(c->fd, buf, sizeof(buf));
			if (n <= 0)
				break;
		}
	}
}

static int set_timeouts(int fd, unsigned int seconds)
{
	struct timeval tv = { .tv_sec = seconds };

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
		return -1;
	return 0;
}

/* Returns 0 when the connection went through the handshake and closed well. */
static int serve_connection(const struct server *srv, int fd, const char *peer)
{
	struct conn *c;
	int ret, one = 1;

	c = calloc(1, sizeof(*c));
	if (!c) {
		logmsg("%s: out of memory", peer);
		return -1;
	}
	c->srv = srv;
	c->fd = fd;
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	c->alert_version = 0x0301;
	tls12_hs_init(&c->hs, c->hs_buf, sizeof(c->hs_buf), TLS12_MAX_CLIENT_HS_MSG);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (set_timeouts(fd, opt.timeout))
		logmsg("%s: cannot set socket timeouts: %s", peer, strerror(errno));

	vlog("%s: connected", peer);
	ret = handshake(c);
	if (ret == 0) {
		vlog("%s: handshake complete: TLS 1.2, %s (0x%04X), extended master secret %s",
		     peer, suite_name(c->suite), c->suite, c->ems ? "yes" : "no");
		attach_ktls(c);
		/* The data phase has no timeout of its own. */
		set_timeouts(fd, 0);
		if (opt.mode == MODE_SEND_FILE)
			ret = serve_file(c, opt.send_file);
		else
			ret = serve_echo(c);
		if (ret > 0)
			send_alert(c, TLS12_ALERT_FATAL, (uint8_t)ret);
		finish(c);
		vlog("%s: closed: %llu bytes received, %llu bytes sent%s", peer,
		     (unsigned long long)c->bytes_in, (unsigned long long)c->bytes_out,
		     ret ? " (with an error)" : "");
	} else {
		if (ret > 0)
			send_alert(c, TLS12_ALERT_FATAL, (uint8_t)ret);
		/* Let the alert reach the peer rather than a reset. */
		c->close_notify_sent = true;
		c->read_protected = false;
		finish(c);
	}
	conn_free_handles(c);
	explicit_bzero(c, sizeof(*c));
	free(c);
	return ret ? -1 : 0;
}

/* ------------------------------------------------------------------------
 * main
 * ------------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " --cert CERT.pem [--port N] [--bind ADDR]\n"
		"                  [--echo | --send-file FILE] [--once] [--verbose]\n"
		"                  [--timeout SECONDS] [--no-ktls]\n"
		"\n"
		"A TLS 1.2 server (RSA key exchange, AES-GCM) whose secrets all live in\n"
		"the sslprov kernel module.  The certificate's private key must have\n"
		"been loaded for this user with 'sslprovctl load'.\n"
		"\n"
		"  --cert FILE       the server certificate (PEM, may be followed by its\n"
		"                    chain; or one DER certificate)\n"
		"  --port N          TCP port (default %d)\n"
		"  --bind ADDR       local address (default: all, IPv6 and IPv4)\n"
		"  --echo            echo what the client sends until it closes (default)\n"
		"  --send-file FILE  send FILE with sendfile() after the handshake, then close\n"
		"  --once            serve one connection, then exit with its status\n"
		"  --verbose         narrate the handshake and the handles used\n"
		"  --timeout S       handshake read/write timeout (default %d s)\n"
		"  --no-ktls         keep records in SslEncryptPacket/SslDecryptPacket\n",
		DEFAULT_PORT, DEFAULT_TIMEOUT);
}

static int parse_uint(const char *s, unsigned int max, unsigned int *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static int parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cert", required_argument, NULL, 'c' },
		{ "port", required_argument, NULL, 'p' },
		{ "bind", required_argument, NULL, 'b' },
		{ "echo", no_argument, NULL, 'e' },
		{ "send-file", required_argument, NULL, 'f' },
		{ "once", no_argument, NULL, '1' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "timeout", required_argument, NULL, 't' },
		{ "no-ktls", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool echo = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "c:p:b:ef:1vt:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			opt.cert_path = optarg;
			break;
		case 'p':
			if (parse_uint(optarg, 65535, &opt.port) || !opt.port) {
				logmsg("bad --port: %s", optarg);
				return 2;
			}
			break;
		case 'b':
			opt.bind_addr = optarg;
			break;
		case 'e':
			echo = true;
			break;
		case 'f':
			opt.send_file = optarg;
			opt.mode = MODE_SEND_FILE;
			break;
		case '1':
			opt.once = true;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 't':
			if (parse_uint(optarg, 3600, &opt.timeout) || !opt.timeout) {
				logmsg("bad --timeout: %s", optarg);
				return 2;
			}
			break;
		case 'K':
			opt.no_ktls = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		logmsg("unexpected argument: %s", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (!opt.cert_path) {
		logmsg("--cert is required");
		usage(stderr);
		return 2;
	}
	if (echo && opt.send_file) {
		logmsg("--echo and --send-file exclude each other");
		return 2;
	}
	if (opt.send_file && access(opt.send_file, R_OK)) {
		logmsg("%s: %s", opt.send_file, strerror(errno));
		return 2;
	}
	return 0;
}

static int listen_socket(void)
{
	struct addrinfo hints = {
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV,
	}, *res = NULL, *ai;
	char port[8];
	int fd = -1, one = 1, zero = 0, err;

	snprintf(port, sizeof(port), "%u", opt.port);
	if (!opt.bind_addr)
		hints.ai_family = AF_INET6;	/* :: takes IPv4 too (below) */
	err = getaddrinfo(opt.bind_addr, port, &hints, &res);
	if (err && !opt.bind_addr) {
		hints.ai_family = AF_INET;	/* a kernel without IPv6 */
		err = getaddrinfo(NULL, port, &hints, &res);
	}
	if (err) {
		logmsg("--bind %s: %s", opt.bind_addr ? opt.bind_addr : "", gai_strerror(err));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0 && !opt.bind_addr && ai->ai_family == AF_INET6) {
			/* No IPv6 at all: fall back to IPv4. */
			struct sockaddr_in sin = {
				.sin_family = AF_INET,
				.sin_port = htons((uint16_t)opt.port),
				.sin_addr.s_addr = htonl(INADDR_ANY),
			};

			fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (fd >= 0 &&
			    (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
			     bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 16))) {
				logmsg("port %u: %s", opt.port, strerror(errno));
				close(fd);
				fd = -1;
			}
			break;
		}
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ai->ai_family == AF_INET6 && !opt.bind_addr)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 16) == 0)
			break;
		logmsg("port %u: %s", opt.port, strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

static void peer_name(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned int port = 0;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &s->sin_addr, host, sizeof(host));
		port = ntohs(s->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;

		if (IN6_IS_ADDR_V4MAPPED(&s->sin6_addr))
			inet_ntop(AF_INET, &s->sin6_addr.s6_addr[12], host, sizeof(host));
		else
			inet_ntop(AF_INET6, &s->sin6_addr, host, sizeof(host));
		port = ntohs(s->sin6_port);
	}
	snprintf(buf, len, "%s:%u", host, port);
}

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

int main(int argc, char **argv)
{
	struct server srv;
	struct sigaction sa;
	CERT_CONTEXT cert;
	uint8_t *leaf = NULL;
	size_t leaf_len = 0;
	SECURITY_STATUS st;
	int lfd = -1, ret, status = 1;

	ret = parse_args(argc, argv);
	if (ret)
		return ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = on_signal;	/* no SA_RESTART: accept() returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	memset(&srv, 0, sizeof(srv));
	if (load_certificates(opt.cert_path, &srv, &leaf, &leaf_len))
		return 1;

	st = SslOpenProvider(&srv.prov, MS_SCHANNEL_PROVIDER, 0);
	if (st) {
		logmsg("SslOpenProvider: %s (0x%08x)%s", status_name(st), (unsigned int)st,
		       " - is the sslprov module loaded?");
		goto out;
	}
	/* The private key is found by the certificate's public key. */
	memset(&cert, 0, sizeof(cert));
	cert.dwCertEncodingType = X509_ASN_ENCODING;
	cert.pbCertEncoded = leaf;
	cert.cbCertEncoded = (DWORD)leaf_len;
	st = SslOpenPrivateKey(srv.prov, &srv.key, &cert, 0);
	if (st) {
		logmsg("SslOpenPrivateKey: %s (0x%08x)%s", status_name(st), (unsigned int)st,
		       st == NTE_NO_KEY ?
		       " - load the certificate's key for this user with 'sslprovctl load'" : "");
		goto out;
	}
	vlog("provider handle 0x%lx, private key handle 0x%lx (%s)",
	     (unsigned long)srv.prov, (unsigned long)srv.key, opt.cert_path);

	lfd = listen_socket();
	if (lfd < 0)
		goto out;
	logmsg("listening on port %u (%s)", opt.port,
	       opt.mode == MODE_SEND_FILE ? "send-file" : "echo");

	status = 0;
	while (!stop_requested) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		char peer[INET6_ADDRSTRLEN + 8];
		int cfd;

		cfd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			logmsg("accept: %s", strerror(errno));
			status = 1;
			break;
		}
		peer_name(&ss, peer, sizeof(peer));
		ret = serve_connection(&srv, cfd, peer);
		close(cfd);
		if (opt.once) {
			status = ret ? 1 : 0;
			break;
		}
	}
out:
	if (lfd >= 0)
		close(lfd);
	free_handle(&srv.key);
	free_handle(&srv.prov);
	free(srv.cert_msg);
	free(leaf);
	return status;
}
