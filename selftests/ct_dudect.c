// SPDX-License-Identifier: GPL-2.0
/*
 * ct_dudect - a statistical constant-time test of the module, in the
 * style of dudect (Reparaz, Balasch, Verbauwhede, "Dude, is my code
 * constant time?", 2017): the time of one operation is measured for two
 * classes of input, the classes interleaved at random, and Welch's t-test
 * decides whether the two timing distributions differ.  As dudect does,
 * the test is also run on the measurements cropped at a series of upper
 * percentiles (the long tail is interrupts and scheduling, not the code),
 * and the largest |t| is reported.
 *
 * Classes tested:
 *   import   SSLPROV_IOC_MASTER_IMPORT with a well-formed PKCS#1 v1.5
 *            premaster (class 0) vs. blocks whose padding is invalid
 *            (class 1: a wrong block type, or no zero separator), both
 *            encrypted by OpenSSL under the same imported RSA key.  The
 *            implicit rejection of RFC 5246 7.4.7.1 must not be visible
 *            in the time the ioctl takes.
 *   tag      SSLPROV_IOC_DECRYPT of a GCM record whose tag is wrong in
 *            its first byte (class 0) vs. its last byte (class 1): the
 *            one comparison of a secret-dependent value the module does.
 *            (Finished values are not compared in the module:
 *            SSLPROV_IOC_FINISHED returns verify_data and the caller
 *            compares, as examples/tls12-server.c does with ct_memcmp.)
 *
 * Not a kselftest (timing under TCG emulation is too noisy for make
 * check): run_tests.sh does not run it.  "make fuzz" runs it in the VM:
 *
 *	ct_dudect [import|tag]...
 *
 * Environment: SSLPROV_DUDECT_IMPORT_SAMPLES (default 3000),
 * SSLPROV_DUDECT_TAG_SAMPLES (default 20000), SSLPROV_SEED (class
 * sequence), SSLPROV_DUDECT_STRICT=1: exit 1 when a |t| exceeds 10.
 * Prints one line per test: "ct_dudect: NAME samples=N |t|=X (max over
 * croppings; uncropped Y) PASS|FAIL".
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* tls12_common.h reports through the harness; main() here is our own. */
#include "kselftest_harness.h"

#include "sslprov_test.h"
#include "tls12_common.h"

#define T_THRESHOLD	10.0
#define NCROP		100	/* cropped tests, as dudect */
#define POOL		128	/* distinct inputs per class */

struct welch {
	double n[2], mean[2], m2[2];
};

static void welch_push(struct welch *w, int cls, double x)
{
	double d;

	w->n[cls] += 1;
	d = x - w->mean[cls];
	w->mean[cls] += d / w->n[cls];
	w->m2[cls] += d * (x - w->mean[cls]);
}

static double welch_t(const struct welch *w)
{
	double v0, v1, den;

	if (w->n[0] < 2 || w->n[1] < 2)
		return 0;
	v0 = w->m2[0] / (w->n[0] - 1);
	v1 = w->m2[1] / (w->n[1] - 1);
	den = sqrt(v0 / w->n[0] + v1 / w->n[1]);
	return den > 0 ? (w->mean[0] - w->mean[1]) / den : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t rng;

static uint64_t rnd(void)
{
	/* xorshift64*: the class sequence only, no secret. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * Welch's t on all samples and on the samples below each of dudect's
 * percentiles 1 - 0.5^(10 (k + 1) / NCROP); returns the largest |t|.
 */
static double analyse(const uint64_t *t, const uint8_t *cls, size_t n,
		      double *uncropped)
{
	double crop[NCROP], best;
	struct welch all = { 0 }, w[NCROP];
	uint64_t *sorted;
	size_t i, k;

	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		exit(2);
	memcpy(sorted, t, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	for (k = 0; k < NCROP; k++) {
		double p = 1 - pow(0.5, 10.0 * (double)(k + 1) / NCROP);

		crop[k] = (double)sorted[(size_t)(p * (double)(n - 1))];
	}
	free(sorted);
	memset(w, 0, sizeof(w));
	for (i = 0; i < n; i++) {
		welch_push(&all, cls[i], (double)t[i]);
		for (k = 0; k < NCROP; k++)
			if ((double)t[i] <= crop[k])
				welch_push(&w[k], cls[i], (double)t[i]);
	}
	*uncropped = fabs(welch_t(&all));
	best = *uncropped;
	for (k = 0; k < NCROP; k++)
		if (fabs(welch_t(&w[k])) > best)
			best = fabs(welch_t(&w[k]));
	return best;
}

static int report(const char *name, const uint64_t *t, const uint8_t *cls,
		  size_t n)
{
	double mean[2] = { 0, 0 }, cnt[2] = { 0, 0 }, unc, best;
	size_t i;

	for (i = 0; i < n; i++) {
		mean[cls[i]] += (double)t[i];
		cnt[cls[i]] += 1;
	}
	best = analyse(t, cls, n, &unc);
	printf("ct_dudect: %s samples=%zu (%.0f/%.0f) mean_ns=%.0f/%.0f |t|=%.2f (max over croppings; uncropped %.2f) %s\n",
	       name, n, cnt[0], cnt[1], cnt[0] ? mean[0] / cnt[0] : 0,
	       cnt[1] ? mean[1] / cnt[1] : 0, best, unc,
	       best > T_THRESHOLD ? "FAIL" : "PASS");
	return best > T_THRESHOLD;
}

/* 00 02 || non-zero padding || 00 || client_version || 46 random bytes. */
static int block_good(uint8_t *em, unsigned int k)
{
	unsigned int i;

	if (tk_random(em, k))
		return -EIO;
	em[0] = 0;
	em[1] = 2;
	for (i = 2; i < k - 49; i++)
		while (!em[i])
			if (tk_random(&em[i], 1))
				return -EIO;
	em[k - 49] = 0;
	em[k - 48] = 3;
	em[k - 47] = 3;
	return 0;
}

/* Invalid padding: alternately a wrong block type and no separator. */
static int block_bad(uint8_t *em, unsigned int k, int kind)
{
	unsigned int i;

	if (block_good(em, k))
		return -EIO;
	if (kind & 1) {
		em[1] = 0x03;
	} else {
		for (i = 2; i < k; i++)
			while (!em[i])
				if (tk_random(&em[i], 1))
					return -EIO;
	}
	return 0;
}

static int test_import(int fd, const struct tk_rsa *rsa, uint32_t key,
		       size_t n)
{
	static uint8_t enc[2][POOL][512];
	uint8_t em[512], cr[SSLPROV_RANDOM_LEN], sr[SSLPROV_RANDOM_LEN];
	struct sslprov_master_import a;
	unsigned int k = rsa->mod_len;
	uint64_t *t = calloc(n, sizeof(*t));
	uint8_t *cls = calloc(n, 1);
	size_t i, len;
	int c, j, ret, fail;

	if (!t || !cls || k > sizeof(em) || tk_random(cr, sizeof(cr)) ||
	    tk_random(sr, sizeof(sr)))
		return 2;
	for (c = 0; c < 2; c++)
		for (j = 0; j < POOL; j++) {
			ret = c ? block_bad(em, k, j) : block_good(em, k);
			len = sizeof(enc[c][j]);
			/* OpenSSL encrypts the block under the imported key. */
			if (ret || tk_rsa_encrypt(rsa->pkey, RSA_NO_PADDING, em,
						  k, enc[c][j], &len) ||
			    len != k) {
				fprintf(stderr, "ct_dudect: encryption failed\n");
				return 2;
			}
		}
	/* Warm up caches and the allocator before measuring. */
	for (i = 0; i < n + 20; i++) {
		uint32_t h = 0;
		uint64_t t0, t1;

		c = (int)(rnd() & 1);
		j = (int)(rnd() % POOL);
		tk_mi_init(&a, key, 0x0303, 0x009c, 0x0303, enc[c][j], k, cr,
			   sr);
		t0 = now_ns();
		ret = tk_master_import(fd, &a, &h);
		t1 = now_ns();
		if (ret) {
			fprintf(stderr, "ct_dudect: MASTER_IMPORT: %s\n",
				sp_errname(ret));
			return 2;
		}
		sp_free(fd, h);
		if (i < 20)
			continue;
		t[i - 20] = t1 - t0;
		cls[i - 20] = (uint8_t)c;
	}
	fail = report("import(valid-vs-invalid-padding)", t, cls, n);
	free(t);
	free(cls);
	return fail;
}

static int test_tag(int fd, const struct tk_rsa *rsa, uint32_t key, size_t n)
{
	uint8_t pt[32], rec[128], out[128];
	uint32_t master, rd, wr, crd, cwr, rlen = 0, olen;
	struct tk_hs hs;
	uint64_t *t = calloc(n, sizeof(*t));
	uint8_t *cls = calloc(n, 1);
	size_t i;
	int ret, c, fail;

	if (!t || !cls)
		return 2;
	/*
	 * One master secret and its keys for both sides: what the client
	 * side's write key seals, the server side's read key opens.
	 */
	ret = tk_hs_new(&hs, rsa, 0x0303, 0x009c, 0x0303) ?:
	      tk_hs_import(fd, key, &hs, &master) ?:
	      tk_session_keys(fd, master, SSLPROV_SERVER, hs.cr, hs.sr, &rd, &wr) ?:
	      tk_session_keys(fd, master, SSLPROV_CLIENT, hs.cr, hs.sr, &crd, &cwr) ?:
	      tk_random(pt, sizeof(pt));
	if (ret) {
		fprintf(stderr, "ct_dudect: record keys: %s\n", sp_errname(ret));
		return 2;
	}
	for (i = 0; i < n + 20; i++) {
		uint64_t t0, t1;

		ret = tk_record(fd, SSLPROV_IOC_ENCRYPT, cwr, TK_CT_APPDATA, i,
				pt, sizeof(pt), rec, sizeof(rec), &rlen);
		if (ret || rlen < TK_GCM_OVERHEAD || rlen > sizeof(rec)) {
			fprintf(stderr, "ct_dudect: ENCRYPT: %s\n", sp_errname(ret));
			return 2;
		}
		c = (int)(rnd() & 1);
		/* The tag is the record's last 16 bytes. */
		rec[c ? rlen - 1 : rlen - TK_GCM_TAG] ^= 0x01;
		t0 = now_ns();
		ret = tk_record(fd, SSLPROV_IOC_DECRYPT, rd, 0, i,
				rec, rlen, out, sizeof(out), &olen);
		t1 = now_ns();
		if (ret != -EBADMSG) {
			fprintf(stderr, "ct_dudect: DECRYPT of a forged record: %s, want EBADMSG\n",
				sp_errname(ret));
			return 2;
		}
		if (i < 20)
			continue;
		t[i - 20] = t1 - t0;
		cls[i - 20] = (uint8_t)c;
	}
	fail = report("tag(first-vs-last-byte-wrong)", t, cls, n);
	sp_free(fd, rd);
	sp_free(fd, wr);
	sp_free(fd, crd);
	sp_free(fd, cwr);
	sp_free(fd, master);
	free(t);
	free(cls);
	return fail;
}

int main(int argc, char **argv)
{
	size_t n_import = sp_env_ulong("SSLPROV_DUDECT_IMPORT_SAMPLES", 3000);
	size_t n_tag = sp_env_ulong("SSLPROV_DUDECT_TAG_SAMPLES", 20000);
	const char *strict = getenv("SSLPROV_DUDECT_STRICT");
	bool do_import = argc < 2, do_tag = argc < 2;
	int fd, ret, fail = 0, i;
	struct tk_rsa rsa;
	uint32_t key;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "import")) {
			do_import = true;
		} else if (!strcmp(argv[i], "tag")) {
			do_tag = true;
		} else {
			fprintf(stderr, "usage: ct_dudect [import|tag]...\n");
			return 2;
		}
	}
	rng = sp_env_ulong("SSLPROV_SEED", (unsigned long)now_ns() | 1);
	printf("ct_dudect: seed %" PRIu64 " (replay: SSLPROV_SEED=%" PRIu64 ")\n",
	       rng, rng);
	if (tk_rsa_gen(TK_RSA_BITS, &rsa)) {
		fprintf(stderr, "ct_dudect: RSA key generation failed\n");
		return 2;
	}
	fd = sp_open();
	if (fd < 0) {
		fprintf(stderr, "ct_dudect: open %s: %s\n", SSLPROV_DEVICE,
			sp_errname(fd));
		return 2;
	}
	ret = tk_key_import(fd, rsa.der, (uint32_t)rsa.der_len, &key);
	if (ret) {
		fprintf(stderr, "ct_dudect: KEY_IMPORT: %s\n", sp_errname(ret));
		return 2;
	}
	if (do_import) {
		ret = test_import(fd, &rsa, key, n_import);
		if (ret > 1)
			return ret;
		fail |= ret;
	}
	if (do_tag) {
		ret = test_tag(fd, &rsa, key, n_tag);
		if (ret > 1)
			return ret;
		fail |= ret;
	}
	close(fd);
	tk_rsa_free(&rsa);
	if (fail && strict && !strcmp(strict, "1"))
		return 1;
	return 0;
}
