// SPDX-License-Identifier: GPL-2.0
/*
 * sslprov-bench - every hot operation of libsslprov next to the same work
 * done by OpenSSL in userspace and, where it applies, by the kernel crypto
 * API reached through libkcapi (AF_ALG).  Runs inside the test VM (root,
 * module loaded); scripts/bench starts it there.
 *
 *   sslprov-bench [--smoke] [--json FILE] [--no-handshakes]
 *
 * Method: the alternatives of one row run interleaved (A, B, C, A, B, C,
 * ...) in the same process, so that the emulator's speed, which drifts,
 * cancels out of their ratio.  Each alternative is warmed up and
 * calibrated to a repetition of about TARGET seconds; then REPS
 * repetitions each; the median and the spread (min..max) of the
 * repetitions' rates are kept.  The ratio is median(sslprov) /
 * median(alternative), as throughput: higher is better for sslprov.
 *
 * Output: a Markdown table on stdout, and JSON (--json) that scripts/bench
 * turns into the chart.  A row whose measurement fails gets "ok": false and
 * no number; the exit status is then 1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <kcapi.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <linux/keyctl.h>
#include <linux/sslprov.h>

#include "sslprovider.h"

#define PROG "sslprov-bench"

#define MS_LEN		48
#define RND_LEN		32
#define HDR_LEN		5
#define EXPLICIT_LEN	8
#define TAG_LEN		16
#define REC_OVERHEAD	(HDR_LEN + EXPLICIT_LEN + TAG_LEN)
#define AAD_LEN		13
#define MAX_REC		16384
#define CHUNK		16384

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* --- settings ------------------------------------------------------------- */

static struct {
	bool smoke;
	bool handshakes;
	bool profile;		/* time sslprov alone, for perf (no ratios) */
	const char *only;	/* comma-separated sections, NULL: all */
	const char *json;
	int reps;		/* timed repetitions per alternative */
	double target;		/* seconds per repetition */
	long scale_objects;	/* live objects in the crowded provider */
	int mem_n;		/* objects made to measure memory */
	double hs_seconds;	/* one s_time run */
	int hs_reps;
} cfg = {
	.handshakes = true,
	.reps = 5,
	.target = 0.25,
	.scale_objects = 100000,
	.mem_n = 200,
	.hs_seconds = 6,
	.hs_reps = 3,
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	ERR_print_errors_fp(stderr);
	exit(2);
}

static void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void rnd(void *p, size_t n)
{
	if (RAND_bytes(p, (int)n) != 1)
		die("RAND_bytes failed");
}

static void put_be64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

/* --- results ------------------------------------------------------------- */

struct stat3 {
	double med, lo, hi;
};

enum goal_kind { GOAL_NONE, GOAL_MIN };

struct row {
	char id[48];
	char op[96];
	char alt[96];
	char unit[16];
	bool ok;
	struct stat3 a, b;	/* sslprov, alternative */
	double ratio;
	enum goal_kind gk;
	double goal;
	char note[256];
};

#define MAX_ROWS 48
static struct row rows[MAX_ROWS];
static int nrows;

struct info {
	char id[48];
	char what[128];
	double value;
	char unit[24];
	bool ok;
};

#define MAX_INFO 8
static struct info infos[MAX_INFO];
static int ninfos;

static char env_notes[8][200];
static int nenv;

static struct row *row_add(const char *id, const char *op, const char *alt,
			   const char *unit, enum goal_kind gk, double goal)
{
	struct row *r;

	if (nrows == MAX_ROWS)
		die("too many rows");
	r = &rows[nrows++];
	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s", id);
	snprintf(r->op, sizeof(r->op), "%s", op);
	snprintf(r->alt, sizeof(r->alt), "%s", alt);
	snprintf(r->unit, sizeof(r->unit), "%s", unit);
	r->gk = gk;
	r->goal = goal;
	return r;
}

static void info_add(const char *id, const char *what, double v,
		     const char *unit, bool ok)
{
	struct info *in;

	if (ninfos == MAX_INFO)
		die("too many info rows");
	in = &infos[ninfos++];
	snprintf(in->id, sizeof(in->id), "%s", id);
	snprintf(in->what, sizeof(in->what), "%s", what);
	snprintf(in->unit, sizeof(in->unit), "%s", unit);
	in->value = v;
	in->ok = ok;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static struct stat3 stat_of(double *v, int n)
{
	struct stat3 s;

	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	s.lo = v[0];
	s.hi = v[n - 1];
	s.med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return s;
}

/* --- the interleaved measurement ---------------------------------------- */

/*
 * One alternative: @op does one operation (@i counts from 0 over the
 * whole run, for sequence numbers and fresh randoms); @prep, if set, is
 * called untimed before each repetition of @n operations (e.g. to seal
 * the records a decryption repetition opens).
 */
struct alt {
	const char *name;
	int (*op)(void *ctx, long i);
	int (*prep)(void *ctx, long first, long n);
	void *ctx;
	long max_iters;		/* 0: no cap */
	/* internal */
	long iters;
	long next;
	double rate[16];
	bool failed;
};

static int run_block(struct alt *a, long n, double *secs)
{
	double t0;
	long k;

	if (a->prep && a->prep(a->ctx, a->next, n))
		return -1;
	t0 = now();
	for (k = 0; k < n; k++)
		if (a->op(a->ctx, a->next + k))
			return -1;
	*secs = now() - t0;
	a->next += n;
	return 0;
}

/* Warm up, then size a repetition to about cfg.target seconds. */
static int calibrate(struct alt *a)
{
	double secs = 0;
	long n = 1;

	for (;;) {
		if (run_block(a, n, &secs))
			return -1;
		if (secs >= cfg.target / 8 || (a->max_iters && n >= a->max_iters))
			break;
		n *= 4;
		if (a->max_iters && n > a->max_iters)
			n = a->max_iters;
	}
	a->iters = (long)((double)n * cfg.target / (secs > 0 ? secs : 1e-6));
	if (a->iters < 1)
		a->iters = 1;
	if (a->max_iters && a->iters > a->max_iters)
		a->iters = a->max_iters;
	return 0;
}

/*
 * Measure @n alternatives interleaved; rates in operations per second.
 * Returns 0 when all produced numbers.
 */
static int measure(struct alt *alts, int n, struct stat3 *out)
{
	int i, r, bad = 0;
	double secs;

	/* A profile is of sslprov alone: perf sees one code path. */
	for (i = cfg.profile ? 1 : n; i < n; i++)
		alts[i].failed = true;
	for (i = 0; i < n; i++)
		if (!alts[i].failed && calibrate(&alts[i])) {
			note("%s: failed during warm-up", alts[i].name);
			alts[i].failed = true;
		}
	for (r = 0; r < cfg.reps; r++)
		for (i = 0; i < n; i++) {
			if (alts[i].failed)
				continue;
			if (run_block(&alts[i], alts[i].iters, &secs)) {
				note("%s: failed", alts[i].name);
				alts[i].failed = true;
				continue;
			}
			alts[i].rate[r] = (double)alts[i].iters / secs;
		}
	for (i = 0; i < n; i++) {
		if (alts[i].failed) {
			bad = 1;
			memset(&out[i], 0, sizeof(out[i]));
			continue;
		}
		out[i] = stat_of(alts[i].rate, cfg.reps);
	}
	return bad;
}

/*
 * Rows for sslprov (alts[0]) against each of alts[1..n-1]; goal (if any)
 * on the row against alts[1] (OpenSSL) only when @goal_all is false.
 */
static void rows_from(const char *id, const char *op, struct alt *alts, int n,
		      const char *unit, enum goal_kind gk, double goal,
		      bool goal_all, const char *notes)
{
	struct stat3 s[4];
	int bad = measure(alts, n, s), i;

	(void)bad;
	for (i = 1; i < n; i++) {
		char rid[48];
		struct row *r;

		snprintf(rid, sizeof(rid), "%s%s%s", id, n > 2 ? "-" : "",
			 n > 2 ? (i == 1 ? "openssl" : "kcapi") : "");
		r = row_add(rid, op, alts[i].name, unit,
			    (i == 1 || goal_all) ? gk : GOAL_NONE, goal);
		r->ok = !alts[0].failed && !alts[i].failed;
		r->a = s[0];
		r->b = s[i];
		if (r->ok)
			r->ratio = s[0].med / s[i].med;
		if (notes)
			snprintf(r->note, sizeof(r->note), "%s", notes);
	}
}

/* --- OpenSSL helpers ------------------------------------------------------ */

static EVP_KDF *prf_kdf;

/* TLS 1.2 PRF (RFC 5246 5) with @md over label || seed1 || seed2. */
static int ossl_prf(EVP_KDF_CTX *kctx, const char *md, const uint8_t *secret,
		    size_t slen, const char *label, const uint8_t *s1,
		    size_t l1, const uint8_t *s2, size_t l2, uint8_t *out,
		    size_t olen)
{
	uint8_t seed[128];
	size_t ll = strlen(label);
	OSSL_PARAM p[4];

	memcpy(seed, label, ll);
	memcpy(seed + ll, s1, l1);
	if (l2)
		memcpy(seed + ll + l1, s2, l2);
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						 (char *)md, 0);
	p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET,
						  (void *)secret, slen);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, seed,
						  ll + l1 + l2);
	p[3] = OSSL_PARAM_construct_end();
	/* TLS1-PRF appends every SEED it is given: start from a clean context. */
	EVP_KDF_CTX_reset(kctx);
	return EVP_KDF_derive(kctx, out, olen, p) == 1 ? 0 : -1;
}

static EVP_KDF_CTX *prf_ctx(void)
{
	EVP_KDF_CTX *c = EVP_KDF_CTX_new(prf_kdf);

	if (!c)
		die("EVP_KDF_CTX_new");
	return c;
}

/* A self-signed certificate for @pkey. */
static X509 *make_cert(EVP_PKEY *pkey)
{
	X509 *x = X509_new();
	X509_NAME *name;

	if (!x)
		die("X509_new");
	name = X509_get_subject_name(x);
	if (X509_set_version(x, X509_VERSION_3) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(x), 1) != 1 ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -3600) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), 86400L) ||
	    X509_set_pubkey(x, pkey) != 1 ||
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				       (const unsigned char *)"localhost", -1,
				       -1, 0) != 1 ||
	    X509_set_issuer_name(x, name) != 1 ||
	    X509_sign(x, pkey, EVP_sha256()) <= 0)
		die("making a certificate");
	return x;
}

/* --- sslprov helpers ------------------------------------------------------ */

struct plist {
	NCryptBuffer b[4];
	NCryptBufferDesc d;
};

static NCryptBufferDesc *randoms(struct plist *l, const uint8_t *cr,
				 const uint8_t *sr)
{
	memset(l, 0, sizeof(*l));
	l->d.ulVersion = NCRYPTBUFFER_VERSION;
	l->d.pBuffers = l->b;
	l->b[0].BufferType = NCRYPTBUFFER_SSL_CLIENT_RANDOM;
	l->b[0].cbBuffer = RND_LEN;
	l->b[0].pvBuffer = (void *)cr;
	l->b[1].BufferType = NCRYPTBUFFER_SSL_SERVER_RANDOM;
	l->b[1].cbBuffer = RND_LEN;
	l->b[1].pvBuffer = (void *)sr;
	l->d.cBuffers = 2;
	return &l->d;
}

static void check_st(SECURITY_STATUS st, const char *what)
{
	if (st != ERROR_SUCCESS)
		die("%s: status 0x%08x", what, (unsigned int)st);
}

/* An RSA key of @bits, in OpenSSL and imported into @prov. */
struct rsakey {
	EVP_PKEY *pkey;
	NCRYPT_KEY_HANDLE h;
};

static void rsa_import(NCRYPT_PROV_HANDLE prov, EVP_PKEY *pkey,
		       NCRYPT_KEY_HANDLE *h)
{
	PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(pkey);
	unsigned char *der = NULL;
	int len;

	if (!p8)
		die("EVP_PKEY2PKCS8");
	len = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
	PKCS8_PRIV_KEY_INFO_free(p8);
	if (len <= 0)
		die("i2d_PKCS8_PRIV_KEY_INFO");
	check_st(SslImportKey(prov, h, SSLPROV_PKCS8_PRIVATEKEY_BLOB, der,
			      (DWORD)len, 0), "SslImportKey");
	OPENSSL_clear_free(der, (size_t)len);
}

/* What a client sends: a premaster encrypted to @pkey, and the randoms. */
struct cke {
	uint8_t pm[MS_LEN];
	uint8_t enc[512];
	size_t enc_len;
	uint8_t cr[RND_LEN], sr[RND_LEN];
	uint8_t ms[MS_LEN];	/* the master secret, computed by OpenSSL */
};

static void make_cke(EVP_PKEY *pkey, struct cke *c)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	EVP_KDF_CTX *k = prf_ctx();

	rnd(c->pm, sizeof(c->pm));
	c->pm[0] = 3;
	c->pm[1] = 3;
	rnd(c->cr, sizeof(c->cr));
	rnd(c->sr, sizeof(c->sr));
	c->enc_len = sizeof(c->enc);
	if (!ctx || EVP_PKEY_encrypt_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_encrypt(ctx, c->enc, &c->enc_len, c->pm, sizeof(c->pm)) != 1)
		die("RSA encrypt");
	EVP_PKEY_CTX_free(ctx);
	if (ossl_prf(k, "SHA256", c->pm, MS_LEN, "master secret", c->cr, RND_LEN,
		     c->sr, RND_LEN, c->ms, MS_LEN))
		die("TLS1-PRF");
	EVP_KDF_CTX_free(k);
}

/* --- 1. SslImportMasterKey vs RSA decrypt + TLS1-PRF --------------------- */

static const char *rsa_method = "PKCS#1 v1.5";

struct imp {
	NCRYPT_PROV_HANDLE prov;
	NCRYPT_KEY_HANDLE key;
	EVP_PKEY *pkey;
	struct cke c;
	EVP_KDF_CTX *k;
	int mode;	/* 0: implicit rejection, 1: TLS padding, 2: plain */
};

static int imp_sslprov(void *ctx, long i)
{
	struct imp *s = ctx;
	NCRYPT_KEY_HANDLE m = 0;
	struct plist l;

	(void)i;
	if (SslImportMasterKey(s->prov, s->key, &m, TLS1_2_PROTOCOL_VERSION,
			       TLS_RSA_WITH_AES_128_GCM_SHA256,
			       randoms(&l, s->c.cr, s->c.sr), s->c.enc,
			       (DWORD)s->c.enc_len, NCRYPT_SSL_SERVER_FLAG))
		return -1;
	return SslFreeObject(m, 0) ? -1 : 0;
}

/* What an OpenSSL TLS server does with a ClientKeyExchange. */
static int imp_openssl(void *ctx, long i)
{
	struct imp *s = ctx;
	EVP_PKEY_CTX *p = EVP_PKEY_CTX_new_from_pkey(NULL, s->pkey, NULL);
	uint8_t pm[512], ms[MS_LEN];
	size_t pl = sizeof(pm);
	int ret = -1;

	(void)i;
	if (!p || EVP_PKEY_decrypt_init(p) != 1)
		goto out;
	if (s->mode == 1) {
		unsigned int v = 0x0303;
		OSSL_PARAM prm[3];

		if (EVP_PKEY_CTX_set_rsa_padding(p, RSA_PKCS1_WITH_TLS_PADDING) != 1)
			goto out;
		prm[0] = OSSL_PARAM_construct_uint(OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION, &v);
		prm[1] = OSSL_PARAM_construct_uint(OSSL_ASYM_CIPHER_PARAM_TLS_NEGOTIATED_VERSION, &v);
		prm[2] = OSSL_PARAM_construct_end();
		if (EVP_PKEY_CTX_set_params(p, prm) != 1)
			goto out;
	} else {
		if (EVP_PKEY_CTX_set_rsa_padding(p, RSA_PKCS1_PADDING) != 1)
			goto out;
		if (s->mode == 0 &&
		    EVP_PKEY_CTX_ctrl_str(p, "rsa_pkcs1_implicit_rejection", "1") <= 0)
			goto out;
	}
	if (EVP_PKEY_decrypt(p, pm, &pl, s->c.enc, s->c.enc_len) != 1 ||
	    pl != MS_LEN)
		goto out;
	if (ossl_prf(s->k, "SHA256", pm, MS_LEN, "master secret", s->c.cr,
		     RND_LEN, s->c.sr, RND_LEN, ms, MS_LEN))
		goto out;
	ret = memcmp(ms, s->c.ms, MS_LEN) ? -1 : 0;
	OPENSSL_cleanse(pm, sizeof(pm));
out:
	EVP_PKEY_CTX_free(p);
	return ret;
}

/* Which constant-time PKCS#1 decryption this OpenSSL has (see rsa_method). */
static int pick_rsa_mode(EVP_PKEY *pkey)
{
	EVP_PKEY_CTX *p = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	int mode = 2;

	if (p && EVP_PKEY_decrypt_init(p) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(p, RSA_PKCS1_PADDING) == 1 &&
	    EVP_PKEY_CTX_ctrl_str(p, "rsa_pkcs1_implicit_rejection", "1") > 0) {
		mode = 0;
		rsa_method = "PKCS#1 v1.5 with implicit rejection";
	} else {
		mode = 1;
		rsa_method = "RSA_PKCS1_WITH_TLS_PADDING (what OpenSSL 3.0's TLS server uses; no implicit rejection before 3.2)";
	}
	EVP_PKEY_CTX_free(p);
	ERR_clear_error();
	return mode;
}

static void bench_import(NCRYPT_PROV_HANDLE prov, int bits)
{
	struct imp s = { .prov = prov };
	struct alt a[2] = {
		{ .name = "sslprov", .op = imp_sslprov, .ctx = &s },
		{ .name = "OpenSSL", .op = imp_openssl, .ctx = &s },
	};
	char id[32], op[96], nt[160];

	s.pkey = EVP_RSA_gen((unsigned int)bits);
	if (!s.pkey)
		die("EVP_RSA_gen(%d)", bits);
	rsa_import(prov, s.pkey, &s.key);
	make_cke(s.pkey, &s.c);
	s.k = prf_ctx();
	s.mode = pick_rsa_mode(s.pkey);
	snprintf(id, sizeof(id), "import-rsa%d", bits);
	snprintf(op, sizeof(op), "SslImportMasterKey RSA-%d", bits);
	snprintf(nt, sizeof(nt), "OpenSSL: %s decrypt + TLS1-PRF",
		 s.mode == 0 ? "PKCS#1 v1.5 implicit-rejection" : "RSA_PKCS1_WITH_TLS_PADDING");
	rows_from(id, op, a, 2, "op/s", bits == 2048 ? GOAL_MIN : GOAL_NONE,
		  0.5, false, nt);
	SslFreeObject(s.key, 0);
	EVP_KDF_CTX_free(s.k);
	EVP_PKEY_free(s.pkey);
}

/*
 * The bignum floor under SslImportMasterKey: the kernel's own RSA private
 * decryption (the "rsa" akcipher that the module also calls), reached from
 * userspace through the keyring (KEYCTL_PKEY_DECRYPT, enc=raw), next to
 * OpenSSL's raw decryption (RSA_NO_PADDING).  keyctl allocates the
 * transform and parses the key on every call, so it is if anything slower
 * than the module's use of the same code; needs pkcs8_key_parser.
 */
struct krsa {
	int32_t id;
	EVP_PKEY *pkey;
	uint8_t enc[512];
	size_t len;
};

static long keyctl_decrypt(struct krsa *s, uint8_t *out)
{
	struct keyctl_pkey_params p = {
		.key_id = s->id,
		.in_len = (uint32_t)s->len,
		.out_len = (uint32_t)s->len,
	};

	return syscall(SYS_keyctl, KEYCTL_PKEY_DECRYPT, &p, "enc=raw", s->enc, out);
}

static int krsa_kernel(void *ctx, long i)
{
	struct krsa *s = ctx;
	uint8_t out[512];

	(void)i;
	return keyctl_decrypt(s, out) > 0 ? 0 : -1;
}

static long ossl_raw_decrypt(struct krsa *s, uint8_t *out)
{
	EVP_PKEY_CTX *p = EVP_PKEY_CTX_new_from_pkey(NULL, s->pkey, NULL);
	size_t ol = s->len;
	long ret = -1;

	if (p && EVP_PKEY_decrypt_init(p) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(p, RSA_NO_PADDING) == 1 &&
	    EVP_PKEY_decrypt(p, out, &ol, s->enc, s->len) == 1)
		ret = (long)ol;
	EVP_PKEY_CTX_free(p);
	return ret;
}

static int krsa_openssl(void *ctx, long i)
{
	struct krsa *s = ctx;
	uint8_t out[512];

	(void)i;
	return ossl_raw_decrypt(s, out) == (long)s->len ? 0 : -1;
}

/* Load @pkey into the process keyring and check keyctl against OpenSSL. */
static int krsa_setup(struct krsa *s, EVP_PKEY *pkey, const struct cke *c)
{
	PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(pkey);
	uint8_t *der = NULL, k[512], o[512];
	long kn, on;
	int len, err;

	s->pkey = pkey;
	s->len = c->enc_len;
	memcpy(s->enc, c->enc, c->enc_len);
	len = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &der) : -1;
	PKCS8_PRIV_KEY_INFO_free(p8);
	if (len <= 0)
		die("PKCS#8 encoding");
	s->id = (int32_t)syscall(SYS_add_key, "asymmetric", PROG, der, (size_t)len,
				 KEY_SPEC_PROCESS_KEYRING);
	err = errno;
	OPENSSL_clear_free(der, (size_t)len);
	if (s->id < 0)
		return -err;
	/* The kernel drops leading zero bytes of the result. */
	kn = keyctl_decrypt(s, k);
	on = ossl_raw_decrypt(s, o);
	if (kn <= 0 || on != (long)s->len || kn > on ||
	    memcmp(k, o + (on - kn), (size_t)kn))
		die("keyctl RSA decryption disagrees with OpenSSL");
	return 0;
}

static void bench_kernel_rsa(EVP_PKEY *pkey)
{
	struct krsa s;
	struct alt a[2] = {
		{ .name = "kernel rsa via keyctl", .op = krsa_kernel, .ctx = &s },
		{ .name = "OpenSSL RSA_NO_PADDING decrypt", .op = krsa_openssl, .ctx = &s },
	};
	struct cke c;
	int err;

	make_cke(pkey, &c);
	err = krsa_setup(&s, pkey, &c);
	if (err) {
		snprintf(env_notes[nenv++], sizeof(env_notes[0]),
			 "no kernel-RSA row: add_key(asymmetric): %s (modprobe pkcs8_key_parser)",
			 strerror(-err));
		return;
	}
	rows_from("kernel-rsa2048", "the kernel's RSA-2048 decryption alone (KEYCTL_PKEY_DECRYPT)",
		  a, 2, "op/s", GOAL_NONE, 0, false,
		  "the floor under SslImportMasterKey: lib/mpi vs OpenSSL's bignum; keyctl also allocates a transform and parses the key per call");
	syscall(SYS_keyctl, KEYCTL_INVALIDATE, s.id);
}

/* --- 2. SslGenerateSessionKeys vs TLS1-PRF vs P_hash over kcapi HMAC ---- */

struct skeys {
	NCRYPT_PROV_HANDLE prov;
	NCRYPT_KEY_HANDLE master;
	uint32_t suite;
	const char *md;		/* OpenSSL name */
	const char *hmac;	/* kernel name */
	size_t hlen, klen;	/* hash and AES key length */
	uint8_t ms[MS_LEN];
	uint8_t rnd[2][RND_LEN];
	EVP_KDF_CTX *k;
	struct kcapi_handle *kh;
};

static void fresh_randoms(struct skeys *s, long i)
{
	/* Fresh per call: the module refuses a repeat (uapi sslprov.h). */
	memcpy(s->rnd[0], &i, sizeof(i));
	memcpy(s->rnd[1] + 8, &i, sizeof(i));
}

static int sk_sslprov(void *ctx, long i)
{
	struct skeys *s = ctx;
	NCRYPT_KEY_HANDLE r = 0, w = 0;
	struct plist l;

	fresh_randoms(s, i);
	if (SslGenerateSessionKeys(s->prov, s->master, &r, &w,
				   randoms(&l, s->rnd[0], s->rnd[1]), 0))
		return -1;
	return (SslFreeObject(r, 0) | SslFreeObject(w, 0)) ? -1 : 0;
}

/* Two keyed AES-GCM contexts: what a userspace TLS stack keeps per side. */
static int ossl_gcm_pair(const uint8_t *kb, size_t klen)
{
	const EVP_CIPHER *c = klen == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
	EVP_CIPHER_CTX *e = EVP_CIPHER_CTX_new(), *d = EVP_CIPHER_CTX_new();
	int ret = -1;

	if (e && d && EVP_EncryptInit_ex(e, c, NULL, kb + klen, NULL) == 1 &&
	    EVP_DecryptInit_ex(d, c, NULL, kb, NULL) == 1)
		ret = 0;
	EVP_CIPHER_CTX_free(e);
	EVP_CIPHER_CTX_free(d);
	return ret;
}

static int sk_openssl(void *ctx, long i)
{
	struct skeys *s = ctx;
	uint8_t kb[2 * 32 + 2 * 4];
	size_t n = 2 * s->klen + 8;
	int ret;

	fresh_randoms(s, i);
	if (ossl_prf(s->k, s->md, s->ms, MS_LEN, "key expansion", s->rnd[1],
		     RND_LEN, s->rnd[0], RND_LEN, kb, n))
		return -1;
	ret = ossl_gcm_pair(kb, s->klen);
	OPENSSL_cleanse(kb, sizeof(kb));
	return ret;
}

/* P_hash (RFC 5246 5) with the kernel's HMAC through AF_ALG. */
static int kcapi_phash(struct kcapi_handle *h, size_t hlen, const uint8_t *secret,
		       size_t slen, const uint8_t *seed, size_t seedlen,
		       uint8_t *out, size_t olen)
{
	uint8_t a[64], buf[64 + 128], blk[64];
	size_t done = 0, n;

	if (kcapi_md_setkey(h, secret, (uint32_t)slen))
		return -1;
	if (kcapi_md_digest(h, seed, seedlen, a, hlen) != (ssize_t)hlen)
		return -1;
	while (done < olen) {
		memcpy(buf, a, hlen);
		memcpy(buf + hlen, seed, seedlen);
		if (kcapi_md_digest(h, buf, hlen + seedlen, blk, hlen) != (ssize_t)hlen)
			return -1;
		n = olen - done < hlen ? olen - done : hlen;
		memcpy(out + done, blk, n);
		done += n;
		if (done < olen &&
		    kcapi_md_digest(h, a, hlen, a, hlen) != (ssize_t)hlen)
			return -1;
	}
	return 0;
}

static int kcapi_gcm_pair(const uint8_t *kb, size_t klen)
{
	struct kcapi_handle *e = NULL, *d = NULL;
	int ret = -1;

	if (kcapi_aead_init(&e, "gcm(aes)", 0) || kcapi_aead_init(&d, "gcm(aes)", 0))
		goto out;
	if (kcapi_aead_setkey(e, kb + klen, (uint32_t)klen) ||
	    kcapi_aead_setkey(d, kb, (uint32_t)klen) ||
	    kcapi_aead_settaglen(e, TAG_LEN) || kcapi_aead_settaglen(d, TAG_LEN))
		goto out;
	ret = 0;
out:
	kcapi_aead_destroy(e);
	kcapi_aead_destroy(d);
	return ret;
}

static int sk_kcapi(void *ctx, long i)
{
	struct skeys *s = ctx;
	uint8_t seed[13 + 2 * RND_LEN], kb[2 * 32 + 8];
	size_t n = 2 * s->klen + 8;
	int ret;

	fresh_randoms(s, i);
	memcpy(seed, "key expansion", 13);
	memcpy(seed + 13, s->rnd[1], RND_LEN);
	memcpy(seed + 13 + RND_LEN, s->rnd[0], RND_LEN);
	/*
	 * A new HMAC handle per master secret: AF_ALG refuses a new key on a
	 * transform that has an operation socket open (EBUSY).
	 */
	if (kcapi_md_init(&s->kh, s->hmac, 0))
		return -1;
	ret = kcapi_phash(s->kh, s->hlen, s->ms, MS_LEN, seed, sizeof(seed), kb, n);
	kcapi_md_destroy(s->kh);
	s->kh = NULL;
	if (ret)
		return -1;
	ret = kcapi_gcm_pair(kb, s->klen);
	OPENSSL_cleanse(kb, sizeof(kb));
	return ret;
}

/* A master key in @prov whose secret the bench knows (it made the premaster). */
static void master_for(NCRYPT_PROV_HANDLE prov, NCRYPT_KEY_HANDLE key,
		       EVP_PKEY *pkey, uint32_t suite, struct cke *c,
		       NCRYPT_KEY_HANDLE *master)
{
	EVP_KDF_CTX *k = prf_ctx();
	struct plist l;

	make_cke(pkey, c);
	if (suite == TLS_RSA_WITH_AES_256_GCM_SHA384 &&
	    ossl_prf(k, "SHA384", c->pm, MS_LEN, "master secret", c->cr,
		     RND_LEN, c->sr, RND_LEN, c->ms, MS_LEN))
		die("TLS1-PRF");
	EVP_KDF_CTX_free(k);
	check_st(SslImportMasterKey(prov, key, master, TLS1_2_PROTOCOL_VERSION,
				    suite, randoms(&l, c->cr, c->sr), c->enc,
				    (DWORD)c->enc_len, NCRYPT_SSL_SERVER_FLAG),
		 "SslImportMasterKey");
}

static void bench_session_keys(NCRYPT_PROV_HANDLE prov, NCRYPT_KEY_HANDLE key,
			       EVP_PKEY *pkey, bool sha384)
{
	struct skeys s = {
		.prov = prov,
		.suite = sha384 ? TLS_RSA_WITH_AES_256_GCM_SHA384 :
				  TLS_RSA_WITH_AES_128_GCM_SHA256,
		.md = sha384 ? "SHA384" : "SHA256",
		.hmac = sha384 ? "hmac(sha384)" : "hmac(sha256)",
		.hlen = sha384 ? 48 : 32,
		.klen = sha384 ? 32 : 16,
	};
	struct alt a[3] = {
		{ .name = "sslprov", .op = sk_sslprov, .ctx = &s },
		{ .name = "OpenSSL", .op = sk_openssl, .ctx = &s },
		{ .name = "libkcapi", .op = sk_kcapi, .ctx = &s },
	};
	struct cke c;

	master_for(prov, key, pkey, s.suite, &c, &s.master);
	memcpy(s.ms, c.ms, MS_LEN);
	rnd(s.rnd, sizeof(s.rnd));
	s.k = prf_ctx();
	rows_from(sha384 ? "session-keys-sha384" : "session-keys-sha256",
		  sha384 ? "SslGenerateSessionKeys AES256-GCM-SHA384" :
			   "SslGenerateSessionKeys AES128-GCM-SHA256",
		  a, 3, "op/s", GOAL_MIN, 1.0, false,
		  "alternatives: key-expansion PRF + two keyed AES-GCM contexts (libkcapi: a new hmac handle per master secret); sslprov makes its AEADs at the first record (never for kTLS)");
	EVP_KDF_CTX_free(s.k);
	SslFreeObject(s.master, 0);
}

/* --- 3. SslComputeFinishedHash over a ~4 KiB transcript ------------------ */

#define FIN_MSGS 8
#define FIN_MSG_LEN 512

struct fin {
	NCRYPT_PROV_HANDLE prov;
	NCRYPT_KEY_HANDLE master;
	uint8_t ms[MS_LEN];
	uint8_t msgs[FIN_MSGS * FIN_MSG_LEN];
	EVP_KDF_CTX *k;
};

static int fin_sslprov(void *ctx, long i)
{
	struct fin *s = ctx;
	NCRYPT_HASH_HANDLE h = 0;
	uint8_t out[12];
	int m, ret = -1;

	(void)i;
	if (SslCreateHandshakeHash(s->prov, &h, TLS1_2_PROTOCOL_VERSION,
				   TLS_RSA_WITH_AES_128_GCM_SHA256, 0))
		return -1;
	for (m = 0; m < FIN_MSGS; m++)
		if (SslHashHandshake(s->prov, h, s->msgs + m * FIN_MSG_LEN,
				     FIN_MSG_LEN, 0))
			goto out;
	if (SslComputeFinishedHash(s->prov, s->master, h, out, sizeof(out),
				   NCRYPT_SSL_CLIENT_FLAG))
		goto out;
	ret = 0;
out:
	if (SslFreeObject(h, 0))
		ret = -1;
	return ret;
}

static int fin_openssl(void *ctx, long i)
{
	struct fin *s = ctx;
	EVP_MD_CTX *md = EVP_MD_CTX_new(), *cp = EVP_MD_CTX_new();
	uint8_t hash[32], out[12];
	unsigned int hl = 0;
	int m, ret = -1;

	(void)i;
	if (!md || !cp || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		goto out;
	for (m = 0; m < FIN_MSGS; m++)
		if (EVP_DigestUpdate(md, s->msgs + m * FIN_MSG_LEN, FIN_MSG_LEN) != 1)
			goto out;
	/* As a TLS stack does: the running hash goes on after Finished. */
	if (EVP_MD_CTX_copy_ex(cp, md) != 1 || EVP_DigestFinal_ex(cp, hash, &hl) != 1)
		goto out;
	ret = ossl_prf(s->k, "SHA256", s->ms, MS_LEN, "client finished", hash,
		       hl, NULL, 0, out, sizeof(out));
out:
	EVP_MD_CTX_free(md);
	EVP_MD_CTX_free(cp);
	return ret;
}

/* The Finished computation alone, on a hash that already holds 4 KiB. */
struct fin1 {
	struct fin *f;
	NCRYPT_HASH_HANDLE h;
	EVP_MD_CTX *md;
};

static int fin1_sslprov(void *ctx, long i)
{
	struct fin1 *s = ctx;
	uint8_t out[12];

	(void)i;
	return SslComputeFinishedHash(s->f->prov, s->f->master, s->h, out,
				      sizeof(out), NCRYPT_SSL_CLIENT_FLAG) ? -1 : 0;
}

static int fin1_openssl(void *ctx, long i)
{
	struct fin1 *s = ctx;
	EVP_MD_CTX *cp = EVP_MD_CTX_new();
	uint8_t hash[32], out[12];
	unsigned int hl = 0;
	int ret = -1;

	(void)i;
	if (cp && EVP_MD_CTX_copy_ex(cp, s->md) == 1 &&
	    EVP_DigestFinal_ex(cp, hash, &hl) == 1)
		ret = ossl_prf(s->f->k, "SHA256", s->f->ms, MS_LEN,
			       "client finished", hash, hl, NULL, 0, out,
			       sizeof(out));
	EVP_MD_CTX_free(cp);
	return ret;
}

static void bench_finished_alone(struct fin *f)
{
	struct fin1 s = { .f = f };
	struct alt a[2] = {
		{ .name = "sslprov", .op = fin1_sslprov, .ctx = &s },
		{ .name = "OpenSSL copy + final + TLS1-PRF", .op = fin1_openssl,
		  .ctx = &s },
	};
	int m;

	check_st(SslCreateHandshakeHash(f->prov, &s.h, TLS1_2_PROTOCOL_VERSION,
					TLS_RSA_WITH_AES_128_GCM_SHA256, 0),
		 "SslCreateHandshakeHash");
	s.md = EVP_MD_CTX_new();
	if (!s.md || EVP_DigestInit_ex(s.md, EVP_sha256(), NULL) != 1)
		die("EVP_DigestInit_ex");
	for (m = 0; m < FIN_MSGS; m++) {
		check_st(SslHashHandshake(f->prov, s.h, f->msgs + m * FIN_MSG_LEN,
					  FIN_MSG_LEN, 0), "SslHashHandshake");
		EVP_DigestUpdate(s.md, f->msgs + m * FIN_MSG_LEN, FIN_MSG_LEN);
	}
	rows_from("finished-only", "SslComputeFinishedHash alone (hash already built)",
		  a, 2, "op/s", GOAL_NONE, 0, false,
		  "one ioctl per op: the PRF over the running hash, no hashing of messages");
	EVP_MD_CTX_free(s.md);
	SslFreeObject(s.h, 0);
}

/*
 * The kernel's SHA-256 alone, the code HASH_UPDATE runs on the transcript,
 * reached through AF_ALG (one handle, one digest call per operation) next
 * to OpenSSL's over the same bytes.  64 KiB per operation, so that the
 * hashing outweighs the two system calls: the floor under the Finished
 * row's hashing, with no sslprov code in it.
 */
#define SHA_FLOOR_LEN (64 * 1024)

struct shafloor {
	struct kcapi_handle *kh;
	uint8_t *buf;
};

static int shafloor_kernel(void *ctx, long i)
{
	struct shafloor *s = ctx;
	uint8_t md[32];

	(void)i;
	return kcapi_md_digest(s->kh, s->buf, SHA_FLOOR_LEN, md, sizeof(md)) ==
	       (ssize_t)sizeof(md) ? 0 : -1;
}

static int shafloor_openssl(void *ctx, long i)
{
	struct shafloor *s = ctx;
	uint8_t md[32];
	unsigned int ml;

	(void)i;
	return EVP_Digest(s->buf, SHA_FLOOR_LEN, md, &ml, EVP_sha256(), NULL) == 1 ?
	       0 : -1;
}

static void bench_sha_floor(void)
{
	struct shafloor s = { 0 };
	struct alt a[2] = {
		{ .name = "the kernel's sha256 (AF_ALG)", .op = shafloor_kernel,
		  .ctx = &s },
		{ .name = "OpenSSL EVP SHA-256", .op = shafloor_openssl, .ctx = &s },
	};
	uint8_t md[2][32];
	unsigned int ml;

	s.buf = malloc(SHA_FLOOR_LEN);
	if (!s.buf || kcapi_md_init(&s.kh, "sha256", 0))
		die("kcapi_md_init sha256");
	rnd(s.buf, SHA_FLOOR_LEN);
	if (kcapi_md_digest(s.kh, s.buf, SHA_FLOOR_LEN, md[0], 32) != 32 ||
	    EVP_Digest(s.buf, SHA_FLOOR_LEN, md[1], &ml, EVP_sha256(), NULL) != 1 ||
	    memcmp(md[0], md[1], 32))
		die("the kernel's SHA-256 differs from OpenSSL's");
	rows_from("kernel-sha256", "the kernel's SHA-256 of 64 KiB alone (AF_ALG)",
		  a, 2, "op/s", GOAL_NONE, 0, false,
		  "the floor under the Finished row's hashing: the crypto API's sha256 (the driver HASH_UPDATE uses) vs OpenSSL's, no sslprov code");
	kcapi_md_destroy(s.kh);
	free(s.buf);
}

static void bench_finished(NCRYPT_PROV_HANDLE prov, NCRYPT_KEY_HANDLE key,
			   EVP_PKEY *pkey)
{
	struct fin s = { .prov = prov };
	struct alt a[2] = {
		{ .name = "sslprov", .op = fin_sslprov, .ctx = &s },
		{ .name = "OpenSSL", .op = fin_openssl, .ctx = &s },
	};
	uint8_t out[2][12], hash[32];
	unsigned int hl;
	struct cke c;

	master_for(prov, key, pkey, TLS_RSA_WITH_AES_128_GCM_SHA256, &c, &s.master);
	memcpy(s.ms, c.ms, MS_LEN);
	rnd(s.msgs, sizeof(s.msgs));
	s.k = prf_ctx();
	/* Both sides must compute the same value, or the comparison is void. */
	{
		NCRYPT_HASH_HANDLE h;
		int m;

		check_st(SslCreateHandshakeHash(prov, &h, TLS1_2_PROTOCOL_VERSION,
						TLS_RSA_WITH_AES_128_GCM_SHA256, 0),
			 "SslCreateHandshakeHash");
		for (m = 0; m < FIN_MSGS; m++)
			check_st(SslHashHandshake(prov, h, s.msgs + m * FIN_MSG_LEN,
						  FIN_MSG_LEN, 0), "SslHashHandshake");
		check_st(SslComputeFinishedHash(prov, s.master, h, out[0], 12,
						NCRYPT_SSL_CLIENT_FLAG),
			 "SslComputeFinishedHash");
		SslFreeObject(h, 0);
		EVP_Digest(s.msgs, sizeof(s.msgs), hash, &hl, EVP_sha256(), NULL);
		if (ossl_prf(s.k, "SHA256", s.ms, MS_LEN, "client finished", hash,
			     hl, NULL, 0, out[1], 12) || memcmp(out[0], out[1], 12))
			die("SslComputeFinishedHash differs from OpenSSL's");
	}
	rows_from("finished", "SslComputeFinishedHash (4 KiB transcript)", a, 2,
		  "op/s", GOAL_MIN, 1.0, false,
		  "per op: new hash, 8 x 512 B SslHashHandshake, Finished, free (3 ioctls: the 8 messages travel in the Finished call)");
	bench_finished_alone(&s);
	bench_sha_floor();
	EVP_KDF_CTX_free(s.k);
	SslFreeObject(s.master, 0);
}

/* --- the kernel boundary ------------------------------------------------- */

/*
 * What every sslprov call pays before any cryptography: one ioctl round
 * trip (the cheapest, SSLPROV_IOC_GET_INFO: copy_struct_from_user, a few
 * reads, copy_to_user) next to the cheapest system call there is.  Rows
 * whose OpenSSL side makes no system call at all are bounded by this.
 */
struct boundary {
	int fd;
};

static int info_ioctl(void *ctx, long i)
{
	struct boundary *s = ctx;
	struct sslprov_info in = { .size = sizeof(in) };

	(void)i;
	return ioctl(s->fd, SSLPROV_IOC_GET_INFO, &in) ? -1 : 0;
}

static int null_syscall(void *ctx, long i)
{
	(void)ctx;
	(void)i;
	return syscall(SYS_getppid) > 0 ? 0 : -1;
}

static void bench_boundary(void)
{
	struct boundary s;
	struct alt a[2] = {
		{ .name = "sslprov", .op = info_ioctl, .ctx = &s },
		{ .name = "getppid() system call", .op = null_syscall, .ctx = &s },
	};

	s.fd = open("/dev/sslprov", O_RDWR | O_CLOEXEC);
	if (s.fd < 0)
		die("/dev/sslprov: %s", strerror(errno));
	rows_from("boundary", "one ioctl round trip (SSLPROV_IOC_GET_INFO)", a, 2,
		  "op/s", GOAL_NONE, 0, false,
		  "the floor under every sslprov call; OpenSSL's in-process calls make no system call");
	close(s.fd);
}

/* --- 4. records: SslEncryptPacket / SslDecryptPacket ---------------------- */

struct keyblock {
	uint8_t cw_key[32], sw_key[32], cw_salt[4], sw_salt[4];
};

static void key_block(const uint8_t *ms, const uint8_t *cr, const uint8_t *sr,
		      size_t klen, const char *md, struct keyblock *kb)
{
	EVP_KDF_CTX *k = prf_ctx();
	uint8_t b[2 * 32 + 8];

	if (ossl_prf(k, md, ms, MS_LEN, "key expansion", sr, RND_LEN, cr,
		     RND_LEN, b, 2 * klen + 8))
		die("key expansion");
	memcpy(kb->cw_key, b, klen);
	memcpy(kb->sw_key, b + klen, klen);
	memcpy(kb->cw_salt, b + 2 * klen, 4);
	memcpy(kb->sw_salt, b + 2 * klen + 4, 4);
	EVP_KDF_CTX_free(k);
}

struct rec {
	NCRYPT_PROV_HANDLE prov;
	NCRYPT_KEY_HANDLE rk, wk;
	size_t len;
	struct keyblock kb;
	uint8_t *pt, *out;
	uint8_t *recs;		/* pre-sealed client records, decrypt only */
	long recs_first;
	EVP_CIPHER_CTX *e, *d;
	struct kcapi_handle *ke, *kd;
	uint8_t *kin, *kout;
	uint64_t seq_ossl, seq_kcapi;
};

static void make_aad(uint8_t *aad, uint64_t seq, uint8_t type, size_t len)
{
	put_be64(aad, seq);
	aad[8] = type;
	aad[9] = 3;
	aad[10] = 3;
	aad[11] = (uint8_t)(len >> 8);
	aad[12] = (uint8_t)len;
}

/* A TLS 1.2 AES-GCM record with OpenSSL: header || explicit || ct || tag. */
static int ossl_seal(EVP_CIPHER_CTX *e, const uint8_t *salt, uint64_t seq,
		     const uint8_t *pt, size_t len, uint8_t *rec)
{
	uint8_t nonce[12], aad[AAD_LEN];
	int n = 0, f = 0;

	memcpy(nonce, salt, 4);
	put_be64(nonce + 4, seq);
	make_aad(aad, seq, CT_APPLICATIONDATA, len);
	rec[0] = CT_APPLICATIONDATA;
	rec[1] = 3;
	rec[2] = 3;
	rec[3] = (uint8_t)((len + EXPLICIT_LEN + TAG_LEN) >> 8);
	rec[4] = (uint8_t)(len + EXPLICIT_LEN + TAG_LEN);
	put_be64(rec + HDR_LEN, seq);
	if (EVP_EncryptInit_ex(e, NULL, NULL, NULL, nonce) != 1 ||
	    EVP_EncryptUpdate(e, NULL, &n, aad, AAD_LEN) != 1 ||
	    EVP_EncryptUpdate(e, rec + HDR_LEN + EXPLICIT_LEN, &n, pt, (int)len) != 1 ||
	    EVP_EncryptFinal_ex(e, rec + HDR_LEN + EXPLICIT_LEN + n, &f) != 1 ||
	    EVP_CIPHER_CTX_ctrl(e, EVP_CTRL_GCM_GET_TAG, TAG_LEN,
				rec + HDR_LEN + EXPLICIT_LEN + len) != 1)
		return -1;
	return 0;
}

static int ossl_open(EVP_CIPHER_CTX *d, const uint8_t *salt, const uint8_t *rec,
		     size_t reclen, uint8_t *pt)
{
	size_t len = reclen - REC_OVERHEAD;
	uint8_t nonce[12], aad[AAD_LEN];
	int n = 0, f = 0;

	memcpy(nonce, salt, 4);
	memcpy(nonce + 4, rec + HDR_LEN, EXPLICIT_LEN);
	memcpy(aad, rec + HDR_LEN, 8);
	aad[8] = rec[0];
	aad[9] = rec[1];
	aad[10] = rec[2];
	aad[11] = (uint8_t)(len >> 8);
	aad[12] = (uint8_t)len;
	if (EVP_DecryptInit_ex(d, NULL, NULL, NULL, nonce) != 1 ||
	    EVP_DecryptUpdate(d, NULL, &n, aad, AAD_LEN) != 1 ||
	    EVP_DecryptUpdate(d, pt, &n, rec + HDR_LEN + EXPLICIT_LEN, (int)len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(d, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
				(void *)(rec + reclen - TAG_LEN)) != 1 ||
	    EVP_DecryptFinal_ex(d, pt + n, &f) != 1)
		return -1;
	return 0;
}

static int enc_sslprov(void *ctx, long i)
{
	struct rec *s = ctx;
	DWORD cb = 0;

	if (SslEncryptPacket(s->prov, s->wk, s->pt, (DWORD)s->len, s->out,
			     (DWORD)(s->len + REC_OVERHEAD), &cb, (ULONGLONG)i,
			     CT_APPLICATIONDATA, 0))
		return -1;
	return cb == s->len + REC_OVERHEAD ? 0 : -1;
}

static int enc_openssl(void *ctx, long i)
{
	struct rec *s = ctx;

	(void)i;
	return ossl_seal(s->e, s->kb.sw_salt, s->seq_ossl++, s->pt, s->len, s->out);
}

/* AF_ALG's layout: aad || pt in, aad || ct || tag out. */
static int enc_kcapi(void *ctx, long i)
{
	struct rec *s = ctx;
	uint8_t iv[12];
	uint64_t seq = s->seq_kcapi++;
	size_t outlen = AAD_LEN + s->len + TAG_LEN;

	(void)i;
	memcpy(iv, s->kb.sw_salt, 4);
	put_be64(iv + 4, seq);
	make_aad(s->kin, seq, CT_APPLICATIONDATA, s->len);
	memcpy(s->kin + AAD_LEN, s->pt, s->len);
	kcapi_aead_setassoclen(s->ke, AAD_LEN);
	return kcapi_aead_encrypt(s->ke, s->kin, AAD_LEN + s->len, iv, s->kout,
				  outlen, KCAPI_ACCESS_HEURISTIC) ==
		       (ssize_t)outlen ? 0 : -1;
}

static size_t rec_size(const struct rec *s)
{
	return s->len + REC_OVERHEAD;
}

/* Seal @n client records at sequence numbers first.. with OpenSSL. */
static int dec_prep(void *ctx, long first, long n)
{
	struct rec *s = ctx;
	EVP_CIPHER_CTX *e = EVP_CIPHER_CTX_new();
	const EVP_CIPHER *c = EVP_aes_128_gcm();
	long k;
	int ret = -1;

	free(s->recs);
	s->recs = malloc((size_t)n * rec_size(s));
	s->recs_first = first;
	if (!s->recs || !e || EVP_EncryptInit_ex(e, c, NULL, s->kb.cw_key, NULL) != 1)
		goto out;
	for (k = 0; k < n; k++)
		if (ossl_seal(e, s->kb.cw_salt, (uint64_t)(first + k), s->pt, s->len,
			      s->recs + (size_t)k * rec_size(s)))
			goto out;
	ret = 0;
out:
	EVP_CIPHER_CTX_free(e);
	return ret;
}

static uint8_t *rec_at(struct rec *s, long i)
{
	return s->recs + (size_t)(i - s->recs_first) * rec_size(s);
}

static int dec_sslprov(void *ctx, long i)
{
	struct rec *s = ctx;
	DWORD cb = 0;

	if (SslDecryptPacket(s->prov, s->rk, rec_at(s, i), (DWORD)rec_size(s),
			     s->out, (DWORD)(s->len + REC_OVERHEAD), &cb,
			     (ULONGLONG)i, 0))
		return -1;
	return cb == s->len ? 0 : -1;
}

static int dec_openssl(void *ctx, long i)
{
	struct rec *s = ctx;

	return ossl_open(s->d, s->kb.cw_salt, rec_at(s, i), rec_size(s), s->out);
}

static int dec_kcapi(void *ctx, long i)
{
	struct rec *s = ctx;
	const uint8_t *r = rec_at(s, i);
	size_t inlen = AAD_LEN + s->len + TAG_LEN;
	uint8_t iv[12];

	memcpy(iv, s->kb.cw_salt, 4);
	memcpy(iv + 4, r + HDR_LEN, EXPLICIT_LEN);
	make_aad(s->kin, (uint64_t)i, r[0], s->len);
	memcpy(s->kin + AAD_LEN, r + HDR_LEN + EXPLICIT_LEN, s->len + TAG_LEN);
	kcapi_aead_setassoclen(s->kd, AAD_LEN);
	return kcapi_aead_decrypt(s->kd, s->kin, inlen, iv, s->kout,
				  AAD_LEN + s->len, KCAPI_ACCESS_HEURISTIC) ==
		       (ssize_t)(AAD_LEN + s->len) ? 0 : -1;
}

/* Records of @len: a master and session keys whose key block we know. */
static void bench_records(NCRYPT_PROV_HANDLE prov, NCRYPT_KEY_HANDLE key,
			  EVP_PKEY *pkey, size_t len)
{
	struct rec s = { .prov = prov, .len = len };
	long cap = (long)((64u << 20) / (len + REC_OVERHEAD));
	struct alt enc[3] = {
		{ .name = "sslprov", .op = enc_sslprov, .ctx = &s },
		{ .name = "OpenSSL EVP AES-GCM", .op = enc_openssl, .ctx = &s },
		{ .name = "libkcapi gcm(aes)", .op = enc_kcapi, .ctx = &s },
	};
	struct alt dec[3] = {
		{ .name = "sslprov", .op = dec_sslprov, .prep = dec_prep, .ctx = &s,
		  .max_iters = cap },
		{ .name = "OpenSSL EVP AES-GCM", .op = dec_openssl, .prep = dec_prep,
		  .ctx = &s, .max_iters = cap },
		{ .name = "libkcapi gcm(aes)", .op = dec_kcapi, .prep = dec_prep,
		  .ctx = &s, .max_iters = cap },
	};
	NCRYPT_KEY_HANDLE master;
	char id[32], op[64];
	struct plist l;
	struct cke c;

	master_for(prov, key, pkey, TLS_RSA_WITH_AES_128_GCM_SHA256, &c, &master);
	key_block(c.ms, c.cr, c.sr, 16, "SHA256", &s.kb);
	check_st(SslGenerateSessionKeys(prov, master, &s.rk, &s.wk,
					randoms(&l, c.cr, c.sr), 0),
		 "SslGenerateSessionKeys");
	s.pt = malloc(len);
	s.out = malloc(len + REC_OVERHEAD);
	s.kin = malloc(AAD_LEN + len + TAG_LEN);
	s.kout = malloc(AAD_LEN + len + TAG_LEN);
	if (!s.pt || !s.out || !s.kin || !s.kout)
		die("out of memory");
	rnd(s.pt, len);
	s.e = EVP_CIPHER_CTX_new();
	s.d = EVP_CIPHER_CTX_new();
	if (!s.e || !s.d ||
	    EVP_EncryptInit_ex(s.e, EVP_aes_128_gcm(), NULL, s.kb.sw_key, NULL) != 1 ||
	    EVP_DecryptInit_ex(s.d, EVP_aes_128_gcm(), NULL, s.kb.cw_key, NULL) != 1)
		die("EVP AES-GCM");
	if (kcapi_aead_init(&s.ke, "gcm(aes)", 0) || kcapi_aead_init(&s.kd, "gcm(aes)", 0) ||
	    kcapi_aead_setkey(s.ke, s.kb.sw_key, 16) ||
	    kcapi_aead_setkey(s.kd, s.kb.cw_key, 16) ||
	    kcapi_aead_settaglen(s.ke, TAG_LEN) || kcapi_aead_settaglen(s.kd, TAG_LEN))
		die("kcapi gcm(aes)");
	/* The module's record must open with OpenSSL: same work on both sides. */
	if (enc_sslprov(&s, 0))
		die("SslEncryptPacket failed");
	{
		EVP_CIPHER_CTX *chk = EVP_CIPHER_CTX_new();

		if (!chk || EVP_DecryptInit_ex(chk, EVP_aes_128_gcm(), NULL,
					       s.kb.sw_key, NULL) != 1 ||
		    ossl_open(chk, s.kb.sw_salt, s.out, rec_size(&s), s.kin) ||
		    memcmp(s.kin, s.pt, len))
			die("SslEncryptPacket's record does not open with OpenSSL");
		EVP_CIPHER_CTX_free(chk);
	}
	enc[0].next = 1;	/* sequence 0 is used */
	snprintf(id, sizeof(id), "encrypt-%zu", len);
	snprintf(op, sizeof(op), "SslEncryptPacket %s",
		 len >= 1024 ? (len == 1024 ? "1 KiB" : "16 KiB") : "64 B");
	rows_from(id, op, enc, 3, "op/s", len == MAX_REC ? GOAL_MIN : GOAL_NONE,
		  0.8, false, NULL);
	snprintf(id, sizeof(id), "decrypt-%zu", len);
	snprintf(op, sizeof(op), "SslDecryptPacket %s",
		 len >= 1024 ? (len == 1024 ? "1 KiB" : "16 KiB") : "64 B");
	rows_from(id, op, dec, 3, "op/s", GOAL_NONE, 0, false, NULL);
	kcapi_aead_destroy(s.ke);
	kcapi_aead_destroy(s.kd);
	EVP_CIPHER_CTX_free(s.e);
	EVP_CIPHER_CTX_free(s.d);
	free(s.recs);
	free(s.pt);
	free(s.out);
	free(s.kin);
	free(s.kout);
	SslFreeObject(s.rk, 0);
	SslFreeObject(s.wk, 0);
	SslFreeObject(master, 0);
}

/* --- 5. kTLS after SslKtlsAttach vs OpenSSL SSL_write/SSL_read ------------ */

static void tcp_pair(int *srv, int *cli)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(l, 1) || getsockname(l, (struct sockaddr *)&a, &al))
		die("listen: %s", strerror(errno));
	*cli = socket(AF_INET, SOCK_STREAM, 0);
	if (*cli < 0 || connect(*cli, (struct sockaddr *)&a, sizeof(a)))
		die("connect: %s", strerror(errno));
	*srv = accept(l, NULL, NULL);
	if (*srv < 0)
		die("accept: %s", strerror(errno));
	close(l);
}

/* Who moves the bytes: the three sides of a kTLS row. */
enum streamer {
	ST_SSLPROV,		/* kTLS sockets keyed by SslKtlsAttach */
	ST_OSSL,		/* OpenSSL, records made in userspace */
	ST_OSSL_KTLS,		/* OpenSSL, kTLS keyed by OpenSSL itself */
	ST_N,
};

struct stream {
	/* sslprov */
	int tx, rx;
	int file;
	long file_size;
	/* OpenSSL, without and with kTLS ([ST_OSSL], [ST_OSSL_KTLS]) */
	SSL *stx[ST_N], *srx[ST_N];
	int otx[ST_N], orx[ST_N];
	/* per repetition */
	long bytes;
	long got;
	int rx_err;
};

struct side {
	struct stream *s;
	enum streamer who;
};

static void *stream_reader(void *p)
{
	struct side *sd = p;
	struct stream *s = sd->s;
	static __thread uint8_t buf[65536];

	s->got = 0;
	s->rx_err = 0;
	while (s->got < s->bytes) {
		long n;

		if (sd->who != ST_SSLPROV)
			n = SSL_read(s->srx[sd->who], buf, sizeof(buf));
		else
			n = read(s->rx, buf, sizeof(buf));
		if (n <= 0) {
			s->rx_err = 1;
			break;
		}
		s->got += n;
	}
	return NULL;
}

/*
 * Send s->bytes one way; kind 0 send(), 1 sendfile().  OpenSSL without
 * kTLS has no sendfile: it pread()s the file and SSL_write()s it; with
 * kTLS it has SSL_sendfile(), which is sendfile() on the kTLS socket.
 */
static int stream_run(struct stream *s, enum streamer who, int kind, double *secs)
{
	static uint8_t buf[CHUNK];
	struct side sd = { .s = s, .who = who };
	pthread_t th;
	long sent = 0;
	off_t off = 0;
	double t0;
	int err = 0;

	t0 = now();
	if (pthread_create(&th, NULL, stream_reader, &sd))
		return -1;
	while (sent < s->bytes && !err) {
		long want = s->bytes - sent < CHUNK ? s->bytes - sent : CHUNK;
		long n;

		if (off >= s->file_size)
			off = 0;
		if (who == ST_OSSL_KTLS && kind == 1) {
			n = SSL_sendfile(s->stx[who], s->file, off, (size_t)want, 0);
			off += want;
		} else if (who != ST_SSLPROV) {
			if (kind == 1 && pread(s->file, buf, (size_t)want, off) != want)
				err = 1;
			n = err ? -1 : SSL_write(s->stx[who], buf, (int)want);
			off += want;
		} else if (kind == 0) {
			n = send(s->tx, buf, (size_t)want, 0);
		} else {
			n = sendfile(s->tx, s->file, &off, (size_t)want);
		}
		if (n <= 0)
			err = 1;
		else
			sent += n;
	}
	pthread_join(th, NULL);
	*secs = now() - t0;
	return err || s->rx_err || s->got != s->bytes ? -1 : 0;
}

struct sctx {
	enum streamer who;
	double rate[16];
	bool failed;
};

static const char *const stream_names[ST_N][2] = {
	[ST_OSSL] = { "OpenSSL SSL_write / SSL_read",
		      "OpenSSL pread()+SSL_write / SSL_read" },
	[ST_OSSL_KTLS] = { "OpenSSL with kTLS (SSL_OP_ENABLE_KTLS) SSL_write / SSL_read",
			   "OpenSSL with kTLS (SSL_OP_ENABLE_KTLS) SSL_sendfile / SSL_read" },
};

static void stream_row(struct stream *s, int kind, struct sctx *x,
		       struct stat3 *st, enum streamer who)
{
	struct row *r;

	r = row_add(kind ? (who == ST_OSSL ? "ktls-sendfile" : "ktls-sendfile-openssl-ktls") :
			   (who == ST_OSSL ? "ktls-send" : "ktls-send-openssl-ktls"),
		    kind ? "kTLS (SslKtlsAttach) sendfile() 16 KiB" :
			   "kTLS (SslKtlsAttach) send() 16 KiB",
		    stream_names[who][kind], "MB/s",
		    who == ST_OSSL ? GOAL_MIN : GOAL_NONE, kind ? 1.5 : 1.0);
	r->ok = !x[ST_SSLPROV].failed && !x[who].failed;
	if (r->ok) {
		r->a = st[ST_SSLPROV];
		r->b = st[who];
		r->ratio = st[ST_SSLPROV].med / st[who].med;
	}
	snprintf(r->note, sizeof(r->note), "%s%ld MiB per repetition",
		 who == ST_OSSL ?
		 "loopback TCP, AES128-GCM-SHA256, both ends encrypt/decrypt, " :
		 "the same kernel TLS records, keyed by OpenSSL: ",
		 s->bytes >> 20);
}

static void bench_stream(struct stream *s, int kind, bool ossl_ktls)
{
	struct sctx x[ST_N] = { { .who = ST_SSLPROV }, { .who = ST_OSSL },
				{ .who = ST_OSSL_KTLS } };
	struct stat3 st[ST_N];
	double secs = 0, rate;
	int i, k;

	/* A profile is of sslprov alone; OpenSSL's kTLS only where it works. */
	x[ST_OSSL].failed = cfg.profile;
	x[ST_OSSL_KTLS].failed = cfg.profile || !ossl_ktls;
	/* Calibrate on sslprov: a repetition of about 2 * target seconds. */
	s->bytes = 1 << 20;
	for (i = 0; i < ST_N; i++)
		if (!x[i].failed && stream_run(s, x[i].who, kind, &secs)) {
			note("kTLS stream warm-up failed");
			x[i].failed = true;
		}
	s->bytes = 1 << 20;
	stream_run(s, ST_SSLPROV, kind, &secs);
	rate = (double)s->bytes / (secs > 0 ? secs : 1e-3);
	s->bytes = (long)(rate * 2 * cfg.target) / CHUNK * CHUNK;
	if (s->bytes < (1 << 20))
		s->bytes = 1 << 20;
	if (s->bytes > (256L << 20))
		s->bytes = 256L << 20;
	for (k = 0; k < cfg.reps; k++)
		for (i = 0; i < ST_N; i++) {
			if (x[i].failed)
				continue;
			if (stream_run(s, x[i].who, kind, &secs)) {
				x[i].failed = true;
				note("stream %d failed", i);
				continue;
			}
			x[i].rate[k] = (double)s->bytes / secs / 1e6;
		}
	for (i = 0; i < ST_N; i++)
		if (!x[i].failed)
			st[i] = stat_of(x[i].rate, cfg.reps);
	stream_row(s, kind, x, st, ST_OSSL);
	if (ossl_ktls)
		stream_row(s, kind, x, st, ST_OSSL_KTLS);
}

static int ssl_handshake_pair(EVP_PKEY *pkey, X509 *cert, SSL **stx, SSL **srx,
			      int sfd, int cfd, bool ktls)
{
	SSL_CTX *sc = SSL_CTX_new(TLS_server_method());
	SSL_CTX *cc = SSL_CTX_new(TLS_client_method());
	int rs = 0, rc = 0, i;

	if (!sc || !cc)
		return -1;
	SSL_CTX_set_min_proto_version(sc, TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(sc, TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(cc, TLS1_2_VERSION);
	/* Userspace records, or the kernel's (kTLS) keyed by OpenSSL. */
	if (ktls) {
		SSL_CTX_set_options(sc, SSL_OP_ENABLE_KTLS);
		SSL_CTX_set_options(cc, SSL_OP_ENABLE_KTLS);
	} else {
		SSL_CTX_clear_options(sc, SSL_OP_ENABLE_KTLS);
		SSL_CTX_clear_options(cc, SSL_OP_ENABLE_KTLS);
	}
	if (SSL_CTX_set_cipher_list(sc, "AES128-GCM-SHA256") != 1 ||
	    SSL_CTX_set_cipher_list(cc, "AES128-GCM-SHA256") != 1 ||
	    SSL_CTX_use_certificate(sc, cert) != 1 ||
	    SSL_CTX_use_PrivateKey(sc, pkey) != 1)
		return -1;
	*stx = SSL_new(sc);
	*srx = SSL_new(cc);
	SSL_CTX_free(sc);
	SSL_CTX_free(cc);
	if (!*stx || !*srx)
		return -1;
	SSL_set_fd(*stx, sfd);
	SSL_set_fd(*srx, cfd);
	SSL_set_accept_state(*stx);
	SSL_set_connect_state(*srx);
	fcntl(sfd, F_SETFL, O_NONBLOCK);
	fcntl(cfd, F_SETFL, O_NONBLOCK);
	for (i = 0; i < 100000 && (rs != 1 || rc != 1); i++) {
		if (rs != 1)
			rs = SSL_do_handshake(*stx);
		if (rc != 1)
			rc = SSL_do_handshake(*srx);
		if ((rs != 1 && SSL_get_error(*stx, rs) != SSL_ERROR_WANT_READ &&
		     SSL_get_error(*stx, rs) != SSL_ERROR_WANT_WRITE) ||
		    (rc != 1 && SSL_get_error(*srx, rc) != SSL_ERROR_WANT_READ &&
		     SSL_get_error(*srx, rc) != SSL_ERROR_WANT_WRITE))
			return -1;
		if (rs != 1 || rc != 1)
			usleep(100);
	}
	fcntl(sfd, F_SETFL, 0);
	fcntl(cfd, F_SETFL, 0);
	if (rs != 1 || rc != 1)
		return -1;
	if (strcmp(SSL_get_cipher_name(*stx), "AES128-GCM-SHA256"))
		return -1;
	return 0;
}

static void bench_ktls(NCRYPT_PROV_HANDLE prov, NCRYPT_KEY_HANDLE key,
		       EVP_PKEY *pkey, X509 *cert)
{
	NCRYPT_KEY_HANDLE master, srk, swk, crk, cwk;
	struct stream s = { 0 };
	char path[] = "/tmp/sslprov-bench-XXXXXX";
	static uint8_t blk[1 << 16];
	struct plist l;
	struct cke c;
	bool ossl_ktls;
	long k;
	int i;

	master_for(prov, key, pkey, TLS_RSA_WITH_AES_128_GCM_SHA256, &c, &master);
	/* The server's keys and, from the same master, the client's. */
	check_st(SslGenerateSessionKeys(prov, master, &srk, &swk,
					randoms(&l, c.cr, c.sr), NCRYPT_SSL_SERVER_FLAG),
		 "SslGenerateSessionKeys (server)");
	check_st(SslGenerateSessionKeys(prov, master, &crk, &cwk,
					randoms(&l, c.cr, c.sr), NCRYPT_SSL_CLIENT_FLAG),
		 "SslGenerateSessionKeys (client)");
	tcp_pair(&s.tx, &s.rx);
	check_st(SslKtlsAttach(prov, swk, s.tx, 1, 0), "SslKtlsAttach TX");
	check_st(SslKtlsAttach(prov, crk, s.rx, 1, 0), "SslKtlsAttach RX");
	tcp_pair(&s.otx[ST_OSSL], &s.orx[ST_OSSL]);
	if (ssl_handshake_pair(pkey, cert, &s.stx[ST_OSSL], &s.srx[ST_OSSL],
			       s.otx[ST_OSSL], s.orx[ST_OSSL], false))
		die("OpenSSL handshake over loopback failed");
	tcp_pair(&s.otx[ST_OSSL_KTLS], &s.orx[ST_OSSL_KTLS]);
	if (ssl_handshake_pair(pkey, cert, &s.stx[ST_OSSL_KTLS], &s.srx[ST_OSSL_KTLS],
			       s.otx[ST_OSSL_KTLS], s.orx[ST_OSSL_KTLS], true))
		die("OpenSSL handshake (kTLS) over loopback failed");
	ossl_ktls = BIO_get_ktls_send(SSL_get_wbio(s.stx[ST_OSSL_KTLS])) &&
		    BIO_get_ktls_recv(SSL_get_rbio(s.srx[ST_OSSL_KTLS]));
	if (!ossl_ktls)
		snprintf(env_notes[nenv++], sizeof(env_notes[0]),
			 "OpenSSL did not turn on kTLS: no OpenSSL-with-kTLS rows");
	/* A file in tmpfs for sendfile(). */
	s.file = mkstemp(path);
	if (s.file < 0)
		die("mkstemp");
	unlink(path);
	s.file_size = 16L << 20;
	rnd(blk, sizeof(blk));
	for (k = 0; k < s.file_size; k += (long)sizeof(blk))
		if (write(s.file, blk, sizeof(blk)) != (ssize_t)sizeof(blk))
			die("write");
	bench_stream(&s, 0, ossl_ktls);
	bench_stream(&s, 1, ossl_ktls);
	close(s.file);
	for (i = ST_OSSL; i < ST_N; i++) {
		SSL_free(s.stx[i]);
		SSL_free(s.srx[i]);
		close(s.otx[i]);
		close(s.orx[i]);
	}
	close(s.tx);
	close(s.rx);
	SslFreeObject(srk, 0);
	SslFreeObject(swk, 0);
	SslFreeObject(crk, 0);
	SslFreeObject(cwk, 0);
	SslFreeObject(master, 0);
}

/* --- 6. full handshakes per second with openssl s_time -------------------- */

static pid_t spawn(const char *cmd, const char *log)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int nul = open("/dev/null", O_RDONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (nul >= 0)
			dup2(nul, 0);
		setpgid(0, 0);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int sh(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool wait_port(int port, double timeout)
{
	double end = now() + timeout;

	while (now() < end) {
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_port = htons((uint16_t)port) };
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		int ok;

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
		close(fd);
		if (ok)
			return true;
		usleep(100000);
	}
	return false;
}

/* Handshakes per second of one s_time run, by our own wall clock. */
static double s_time(int port)
{
	char cmd[256], line[256];
	double t0, secs, rate = -1;
	FILE *f;
	long n = -1;

	snprintf(cmd, sizeof(cmd),
		 "openssl s_time -connect 127.0.0.1:%d -new -tls1_2 -cipher AES128-GCM-SHA256 -time %d 2>&1",
		 port, (int)cfg.hs_seconds);
	t0 = now();
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		long v;

		if (sscanf(line, "%ld connections in %*f", &v) == 1 && n < 0)
			n = v;
	}
	secs = now() - t0;
	if (pclose(f) == 0 && n > 0)
		rate = (double)n / secs;
	return rate;
}

static void bench_handshakes(EVP_PKEY *pkey, X509 *cert)
{
	const char *dir = "/tmp/sslprov-bench-hs";
	/* A profile is of the example server alone: no s_server beside it. */
	int sides = cfg.profile ? 1 : 2;
	double v[2][16];
	pid_t ex = -1, ref = -1;
	struct row *r;
	char cmd[512], fp[128] = "";
	bool ok = true;
	FILE *f;
	int k, i;

	r = row_add("handshakes", "full handshakes/s, example server (RSA-2048)",
		    "openssl s_server", "hs/s", GOAL_MIN, 0.8);
	snprintf(r->note, sizeof(r->note),
		 "openssl s_time -new, TLS 1.2 AES128-GCM-SHA256 RSA kx, same certificate, %d x %d s each",
		 cfg.hs_reps, (int)cfg.hs_seconds);
	mkdir(dir, 0700);
	f = fopen("/tmp/sslprov-bench-hs/key.pem", "w");
	if (!f || PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL) != 1)
		die("writing key.pem");
	fclose(f);
	f = fopen("/tmp/sslprov-bench-hs/cert.pem", "w");
	if (!f || PEM_write_X509(f, cert) != 1)
		die("writing cert.pem");
	fclose(f);
	/* The example server's key lives in the kernel, as in production. */
	f = popen("sslprovctl load --uid 0 /tmp/sslprov-bench-hs/key.pem", "r");
	if (!f || !fgets(fp, sizeof(fp), f)) {
		note("sslprovctl load failed");
		ok = false;
	}
	if (f)
		pclose(f);
	fp[strcspn(fp, "\n")] = 0;
	if (ok) {
		ex = spawn("exec sslprov-tls12-server --cert /tmp/sslprov-bench-hs/cert.pem --port 4433",
			   "/tmp/sslprov-bench-hs/example.log");
		if (sides > 1)
			ref = spawn("exec openssl s_server -accept 4434 -tls1_2 -cipher AES128-GCM-SHA256 "
				    "-cert /tmp/sslprov-bench-hs/cert.pem -key /tmp/sslprov-bench-hs/key.pem -quiet",
				    "/tmp/sslprov-bench-hs/s_server.log");
		if (!wait_port(4433, 20) || (sides > 1 && !wait_port(4434, 20))) {
			note("a TLS server did not come up");
			ok = false;
		}
	}
	/* Warm-up, then interleaved runs. */
	if (ok && (s_time(4433) < 0 || (sides > 1 && s_time(4434) < 0))) {
		note("s_time warm-up failed; server log follows");
		sh("cat /tmp/sslprov-bench-hs/example.log >&2");
		ok = false;
	}
	for (k = 0; ok && k < cfg.hs_reps; k++)
		for (i = 0; i < sides && ok; i++) {
			v[i][k] = s_time(i ? 4434 : 4433);
			if (v[i][k] <= 0) {
				note("s_time against %s failed", i ? "s_server" : "the example server");
				ok = false;
			}
		}
	if (ex > 0)
		kill(-ex, SIGTERM);
	if (ref > 0)
		kill(-ref, SIGTERM);
	if (ex > 0)
		waitpid(ex, NULL, 0);
	if (ref > 0)
		waitpid(ref, NULL, 0);
	if (fp[0]) {
		snprintf(cmd, sizeof(cmd), "sslprovctl unload %s >/dev/null", fp);
		sh(cmd);
	}
	sh("rm -rf /tmp/sslprov-bench-hs");
	r->ok = ok;
	if (ok)
		r->a = stat_of(v[0], cfg.hs_reps);
	if (ok && sides > 1) {
		r->b = stat_of(v[1], cfg.hs_reps);
		r->ratio = r->a.med / r->b.med;
	}
}

/* --- 7. scale: 10 vs 100,000 live objects; kernel memory per object ------ */

#define PARAM_MAX "/sys/module/sslprov/parameters/max_objects"

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int write_long(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -1;
	ret = fprintf(f, "%ld\n", v) > 0 ? 0 : -1;
	if (fclose(f))
		ret = -1;
	return ret;
}

/* Bytes in use in all slab caches (active objects x object size). */
static double slab_bytes(void)
{
	char line[512], name[64];
	unsigned long act, tot, sz;
	double sum = 0;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lu %lu %lu", name, &act, &tot, &sz) == 4)
			sum += (double)act * (double)sz;
	fclose(f);
	return sum;
}

struct scale {
	NCRYPT_PROV_HANDLE prov;
	NCRYPT_KEY_HANDLE wk;
	uint8_t pt[64], out[64 + REC_OVERHEAD];
};

static int scale_op(void *ctx, long i)
{
	struct scale *s = ctx;
	DWORD cb;

	return SslEncryptPacket(s->prov, s->wk, s->pt, sizeof(s->pt), s->out,
				sizeof(s->out), &cb, (ULONGLONG)i,
				CT_APPLICATIONDATA, 0) ? -1 : 0;
}

static void scale_keys(struct scale *s, EVP_PKEY *pkey, NCRYPT_KEY_HANDLE *key,
		       NCRYPT_KEY_HANDLE *master, NCRYPT_KEY_HANDLE *rk)
{
	struct plist l;
	struct cke c;

	check_st(SslOpenProvider(&s->prov, MS_SCHANNEL_PROVIDER, 0), "SslOpenProvider");
	rsa_import(s->prov, pkey, key);
	master_for(s->prov, *key, pkey, TLS_RSA_WITH_AES_128_GCM_SHA256, &c, master);
	check_st(SslGenerateSessionKeys(s->prov, *master, rk, &s->wk,
					randoms(&l, c.cr, c.sr), 0),
		 "SslGenerateSessionKeys");
	rnd(s->pt, sizeof(s->pt));
}

static void bench_scale(EVP_PKEY *pkey)
{
	struct scale few = { 0 }, many = { 0 };
	struct alt a[2] = {
		{ .name = "10 objects", .op = scale_op, .ctx = &many },
		{ .name = "10 objects", .op = scale_op, .ctx = &few },
	};
	NCRYPT_KEY_HANDLE k1, m1, r1, k2, m2, r2, h;
	long old = read_long(PARAM_MAX), want = cfg.scale_objects + 100, n;
	double before, after;
	struct stat3 st[2];
	struct row *r;
	char op[96], alt[64];
	int i;
	bool ok = true;

	if (old >= 0 && old < want && write_long(PARAM_MAX, want)) {
		note("cannot raise %s to %ld", PARAM_MAX, want);
		ok = false;
	}
	scale_keys(&few, pkey, &k1, &m1, &r1);
	scale_keys(&many, pkey, &k2, &m2, &r2);
	/* few: key, master, 2 session keys + 6 hashes = 10 live objects. */
	for (i = 0; i < 6; i++)
		check_st(SslCreateHandshakeHash(few.prov, &h, TLS1_2_PROTOCOL_VERSION,
						TLS_RSA_WITH_AES_128_GCM_SHA256, 0),
			 "SslCreateHandshakeHash");
	before = slab_bytes();
	for (n = 4; ok && n < cfg.scale_objects; n++)
		if (SslCreateHandshakeHash(many.prov, &h, TLS1_2_PROTOCOL_VERSION,
					   TLS_RSA_WITH_AES_128_GCM_SHA256, 0)) {
			note("SslCreateHandshakeHash failed at %ld objects", n);
			ok = false;
		}
	after = slab_bytes();
	info_add("mem-hash", "kernel memory per handshake hash (slab, approx.)",
		 (after - before) / (double)(cfg.scale_objects - 4), "bytes",
		 ok && before > 0);
	snprintf(op, sizeof(op), "SslEncryptPacket 64 B, %ld live objects",
		 cfg.scale_objects);
	snprintf(alt, sizeof(alt), "same, 10 live objects");
	a[0].name = op;
	a[1].name = alt;
	if (ok)
		ok = !measure(a, 2, st);
	r = row_add("scale", op, alt, "op/s", GOAL_MIN, 1 / 1.1);
	snprintf(r->note, sizeof(r->note),
		 "two providers at once; goal: latency(%ld) <= 1.1 x latency(10)",
		 cfg.scale_objects);
	r->ok = ok;
	if (ok) {
		r->a = st[0];
		r->b = st[1];
		r->ratio = st[0].med / st[1].med;
	}
	/* Closing the provider frees everything it holds. */
	SslFreeObject(many.prov, 0);
	SslFreeObject(few.prov, 0);
	if (old >= 0 && old < want)
		write_long(PARAM_MAX, old);
}

static void bench_memory(EVP_PKEY *pkey)
{
	NCRYPT_PROV_HANDLE prov;
	NCRYPT_KEY_HANDLE key, *m;
	double b0, b1, b2;
	struct plist l;
	struct cke c;
	int i, n = cfg.mem_n, fails = 0;
	uint8_t cr[RND_LEN], sr[RND_LEN];

	m = calloc((size_t)n, sizeof(*m));
	if (!m)
		die("out of memory");
	check_st(SslOpenProvider(&prov, MS_SCHANNEL_PROVIDER, 0), "SslOpenProvider");
	rsa_import(prov, pkey, &key);
	make_cke(pkey, &c);
	b0 = slab_bytes();
	for (i = 0; i < n; i++)
		if (SslImportMasterKey(prov, key, &m[i], TLS1_2_PROTOCOL_VERSION,
				       TLS_RSA_WITH_AES_128_GCM_SHA256,
				       randoms(&l, c.cr, c.sr), c.enc,
				       (DWORD)c.enc_len, NCRYPT_SSL_SERVER_FLAG))
			fails++;
	b1 = slab_bytes();
	rnd(cr, sizeof(cr));
	rnd(sr, sizeof(sr));
	for (i = 0; i < n; i++) {
		NCRYPT_KEY_HANDLE r, w;

		memcpy(cr, &i, sizeof(i));
		if (SslGenerateSessionKeys(prov, m[0], &r, &w,
					   randoms(&l, cr, sr), 0))
			fails++;
	}
	b2 = slab_bytes();
	info_add("mem-master", "kernel memory per master key (slab, approx.)",
		 (b1 - b0) / n, "bytes", !fails && b0 > 0);
	info_add("mem-session", "kernel memory per session key (slab, approx.)",
		 (b2 - b1) / (2.0 * n), "bytes", !fails && b0 > 0);
	SslFreeObject(prov, 0);
	free(m);
}

/* --- output --------------------------------------------------------------- */

static const char *met(const struct row *r)
{
	if (!r->ok)
		return "FAILED";
	if (r->gk == GOAL_NONE)
		return "";
	return r->ratio >= r->goal ? "yes" : "**no**";
}

static void fmt_rate(char *b, size_t n, const struct stat3 *s)
{
	if (s->med >= 100)
		snprintf(b, n, "%.0f (%.0f-%.0f)", s->med, s->lo, s->hi);
	else
		snprintf(b, n, "%.2f (%.2f-%.2f)", s->med, s->lo, s->hi);
}

static void print_table(FILE *f, const char *kernel)
{
	int i;

	fprintf(f, "sslprov benchmark: kernel %s, OpenSSL %s, %s\n\n", kernel,
		OpenSSL_version(OPENSSL_VERSION_STRING),
		cfg.smoke ? "SMOKE MODE (numbers mean nothing)" : "full run");
	fprintf(f, "| operation | vs | sslprov median (min-max) | alternative median (min-max) | unit | ratio | goal | met |\n");
	fprintf(f, "|---|---|---|---|---|---|---|---|\n");
	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		char a[64] = "-", b[64] = "-", ratio[16] = "-", goal[16] = "";

		if (r->ok) {
			fmt_rate(a, sizeof(a), &r->a);
			fmt_rate(b, sizeof(b), &r->b);
			snprintf(ratio, sizeof(ratio), "%.2f", r->ratio);
		}
		if (r->gk == GOAL_MIN)
			snprintf(goal, sizeof(goal), ">= %.2f", r->goal);
		fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", r->op,
			r->alt, a, b, r->unit, ratio, goal, met(r));
	}
	fprintf(f, "\n| kernel memory | bytes |\n|---|---|\n");
	for (i = 0; i < ninfos; i++) {
		if (infos[i].ok)
			fprintf(f, "| %s | %.0f |\n", infos[i].what, infos[i].value);
		else
			fprintf(f, "| %s | FAILED |\n", infos[i].what);
	}
	fprintf(f, "\nratio = sslprov / alternative (throughput: higher is better for sslprov); "
		   "%d interleaved repetitions per alternative after warm-up.\n", cfg.reps);
	for (i = 0; i < nenv; i++)
		fprintf(f, "note: %s\n", env_notes[i]);
	for (i = 0; i < nrows; i++)
		if (rows[i].note[0])
			fprintf(f, "note (%s): %s\n", rows[i].id, rows[i].note);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

static void json_stat(FILE *f, const char *k, const struct stat3 *s)
{
	fprintf(f, "\"%s\": {\"median\": %.6g, \"min\": %.6g, \"max\": %.6g}", k,
		s->med, s->lo, s->hi);
}

/*
 * The guest kernel's Meltdown state: with PTI every system call switches
 * page tables twice, which is what separates the two configurations
 * scripts/bench can boot (README, Performance).
 */
static char meltdown[128] = "?";

static void read_meltdown(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/vulnerabilities/meltdown", "r");

	if (!f)
		return;
	if (fgets(meltdown, sizeof(meltdown), f))
		meltdown[strcspn(meltdown, "\n")] = 0;
	fclose(f);
}

static void print_json(FILE *f, const char *kernel)
{
	int i;

	fprintf(f, "{\n  \"kernel\": ");
	json_str(f, kernel);
	fprintf(f, ",\n  \"meltdown\": ");
	json_str(f, meltdown);
	fprintf(f, ",\n  \"openssl\": ");
	json_str(f, OpenSSL_version(OPENSSL_VERSION_STRING));
	fprintf(f, ",\n  \"mode\": \"%s\",\n  \"repetitions\": %d,\n  \"rsa_method\": ",
		cfg.smoke ? "smoke" : "full", cfg.reps);
	json_str(f, rsa_method);
	fprintf(f, ",\n  \"rows\": [\n");
	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		fprintf(f, "    {\"id\": ");
		json_str(f, r->id);
		fprintf(f, ", \"op\": ");
		json_str(f, r->op);
		fprintf(f, ", \"alternative\": ");
		json_str(f, r->alt);
		fprintf(f, ", \"unit\": ");
		json_str(f, r->unit);
		fprintf(f, ", \"ok\": %s", r->ok ? "true" : "false");
		if (r->ok) {
			fprintf(f, ", ");
			json_stat(f, "sslprov", &r->a);
			fprintf(f, ", ");
			json_stat(f, "alt", &r->b);
			fprintf(f, ", \"ratio\": %.4f", r->ratio);
		}
		if (r->gk == GOAL_MIN)
			fprintf(f, ", \"goal\": %.4f, \"met\": %s", r->goal,
				r->ok && r->ratio >= r->goal ? "true" : "false");
		fprintf(f, ", \"note\": ");
		json_str(f, r->note);
		fprintf(f, "}%s\n", i + 1 < nrows ? "," : "");
	}
	fprintf(f, "  ],\n  \"memory\": [\n");
	for (i = 0; i < ninfos; i++) {
		fprintf(f, "    {\"id\": ");
		json_str(f, infos[i].id);
		fprintf(f, ", \"what\": ");
		json_str(f, infos[i].what);
		fprintf(f, ", \"ok\": %s, \"bytes\": %.0f}%s\n",
			infos[i].ok ? "true" : "false", infos[i].value,
			i + 1 < ninfos ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
}

/* --- main ----------------------------------------------------------------- */

static const char *const sections[] = {
	"boundary", "import", "session-keys", "finished", "records", "ktls",
	"handshakes", "scale",
};

/* Is section @name part of this run (--only)? */
static bool want(const char *name)
{
	size_t n = strlen(name);
	const char *p = cfg.only;

	if (!p)
		return true;
	while ((p = strstr(p, name))) {
		if ((p == cfg.only || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

static bool sections_valid(const char *list)
{
	char buf[256], *tok, *save;
	size_t i;

	if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf))
		return false;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(sections); i++)
			if (!strcmp(tok, sections[i]))
				break;
		if (i == ARRAY_SIZE(sections))
			return false;
	}
	return true;
}

static void usage(void)
{
	size_t i;

	fprintf(stderr, "usage: " PROG " [--smoke] [--json FILE] [--no-handshakes]\n"
		"       [--only SECTION[,SECTION...]] [--profile]\n"
		"sections:");
	for (i = 0; i < ARRAY_SIZE(sections); i++)
		fprintf(stderr, " %s", sections[i]);
	fprintf(stderr, "\n--profile runs only sslprov's side of each row (no ratios),"
		" for perf record\n");
	exit(2);
}

int main(int argc, char **argv)
{
	NCRYPT_PROV_HANDLE prov;
	NCRYPT_KEY_HANDLE key;
	EVP_PKEY *pkey;
	X509 *cert;
	char kernel[128] = "?";
	FILE *f;
	int i, bad = 0;
	double t0 = now();

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--smoke")) {
			cfg.smoke = true;
		} else if (!strcmp(argv[i], "--no-handshakes")) {
			cfg.handshakes = false;
		} else if (!strcmp(argv[i], "--json") && i + 1 < argc) {
			cfg.json = argv[++i];
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc &&
			   sections_valid(argv[i + 1])) {
			cfg.only = argv[++i];
		} else if (!strcmp(argv[i], "--profile")) {
			cfg.profile = true;
		} else {
			usage();
		}
	}
	if (getenv("SSLPROV_BENCH_SMOKE") && !strcmp(getenv("SSLPROV_BENCH_SMOKE"), "1"))
		cfg.smoke = true;
	if (cfg.profile)
		cfg.target = 1.0;	/* the rows, not the setup, fill the profile */
	if (cfg.smoke) {
		cfg.reps = 3;
		cfg.target = 0.01;
		cfg.scale_objects = 1000;
		cfg.mem_n = 10;
		cfg.hs_seconds = 1;
		cfg.hs_reps = 1;
	}
	signal(SIGPIPE, SIG_IGN);
	f = fopen("/proc/sys/kernel/osrelease", "r");
	if (f) {
		if (fgets(kernel, sizeof(kernel), f))
			kernel[strcspn(kernel, "\n")] = 0;
		fclose(f);
	}
	read_meltdown();
	snprintf(env_notes[nenv++], sizeof(env_notes[0]),
		 "kernel's Meltdown state: %s", meltdown);
	prf_kdf = EVP_KDF_fetch(NULL, "TLS1-PRF", NULL);
	if (!prf_kdf)
		die("no TLS1-PRF in OpenSSL");

	check_st(SslOpenProvider(&prov, MS_SCHANNEL_PROVIDER, 0), "SslOpenProvider");
	pkey = EVP_RSA_gen(2048);
	if (!pkey)
		die("EVP_RSA_gen");
	cert = make_cert(pkey);
	rsa_import(prov, pkey, &key);

	if (want("boundary")) {
		note("kernel boundary");
		bench_boundary();
	}
	if (want("import")) {
		note("key exchange");
		bench_import(prov, 2048);
		bench_import(prov, 3072);
		bench_kernel_rsa(pkey);
		snprintf(env_notes[nenv++], sizeof(env_notes[0]),
			 "OpenSSL RSA decryption: %s", rsa_method);
	}
	if (want("session-keys")) {
		note("session keys");
		bench_session_keys(prov, key, pkey, false);
		bench_session_keys(prov, key, pkey, true);
	}
	if (want("finished")) {
		note("Finished");
		bench_finished(prov, key, pkey);
	}
	if (want("records")) {
		note("records");
		bench_records(prov, key, pkey, 64);
		bench_records(prov, key, pkey, 1024);
		bench_records(prov, key, pkey, MAX_REC);
	}
	if (want("ktls")) {
		note("kTLS");
		bench_ktls(prov, key, pkey, cert);
	}
	if (cfg.handshakes && want("handshakes")) {
		note("handshakes");
		bench_handshakes(pkey, cert);
	}
	if (want("scale")) {
		note("scale and memory");
		bench_scale(pkey);
		bench_memory(pkey);
	}
	SslFreeObject(key, 0);
	SslFreeObject(prov, 0);

	snprintf(env_notes[nenv++], sizeof(env_notes[0]),
		 "run time %.0f s", now() - t0);
	print_table(stdout, kernel);
	if (cfg.json) {
		f = fopen(cfg.json, "w");
		if (!f)
			die("%s: %s", cfg.json, strerror(errno));
		print_json(f, kernel);
		fclose(f);
	}
	for (i = 0; i < nrows && !cfg.profile; i++)
		if (!rows[i].ok)
			bad = 1;
	for (i = 0; i < ninfos; i++)
		if (!infos[i].ok)
			bad = 1;
	X509_free(cert);
	EVP_PKEY_free(pkey);
	EVP_KDF_free(prf_kdf);
	return bad;
}
