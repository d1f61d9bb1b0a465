// SPDX-License-Identifier: GPL-2.0
/*
 * Session keys (SESSION_KEYS) and TLS 1.2 AES-GCM records (ENCRYPT,
 * DECRYPT), cross-checked with OpenSSL EVP AES-GCM on the key block the
 * oracle derives from the master secret it knows:
 *
 *	key_block = TLS1-PRF(master, "key expansion",
 *			     server_random || client_random)	RFC 5246 6.3
 *		  = client_key || server_key || client_salt(4) || server_salt(4)
 *	nonce	  = salt || seq (8 bytes, big-endian)		RFC 5288 3
 *	AAD	  = seq || type || 03 03 || uint16(plaintext length)
 *	record	  = header || explicit nonce || ciphertext || tag
 *
 * The server writes with the server's key and reads the client's records.
 * Records the module makes must be exactly the ones OpenSSL makes (the
 * nonce is deterministic), and OpenSSL's records must open in the module.
 *
 * Until module/record.c is built into the module, ENCRYPT and DECRYPT
 * answer ENOTTY and the record tests SKIP (the session-key tests still run).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sslprov_test.h"
#include "tls12_common.h"

#define MAXREC	(SSLPROV_MAX_RECORD_PLAINTEXT + TK_GCM_OVERHEAD + 64)
#define ENC	SSLPROV_IOC_ENCRYPT
#define DEC	SSLPROV_IOC_DECRYPT

FIXTURE(rec) {
	struct tk_env env;
	struct tk_hs hs;
	struct tk_keyblock kb;
	uint32_t master;
	uint32_t rk, wk;	/* server side: read = client's, write = server's */
	int records;		/* 0, or the errno ENCRYPT's size query gave */
	uint8_t *pt, *rec, *out;	/* MAXREC bytes each */
};

FIXTURE_VARIANT(rec) {
	uint32_t suite;
	unsigned int key_len;
};

FIXTURE_VARIANT_ADD(rec, aes128_gcm_sha256) {
	.suite = 0x009c, .key_len = 16,
};

FIXTURE_VARIANT_ADD(rec, aes256_gcm_sha384) {
	.suite = 0x009d, .key_len = 32,
};

FIXTURE_SETUP(rec)
{
	uint32_t rl;
	int ret;

	TK_ENV_SETUP(&self->env);
	self->pt = malloc(MAXREC);
	self->rec = malloc(MAXREC);
	self->out = malloc(MAXREC);
	ASSERT_TRUE(self->pt && self->rec && self->out);
	ASSERT_EQ(0, tk_random(self->pt, MAXREC));
	ASSERT_EQ(0, tk_hs_new(&self->hs, &self->env.rsa, 0x0303,
			       variant->suite, 0x0303));
	ASSERT_EQ(0, tk_hs_import(self->env.fd, self->env.key, &self->hs,
				  &self->master));
	ASSERT_EQ(0, tk_key_block(0x0303, variant->suite, variant->key_len,
				  self->hs.ms, self->hs.cr, self->hs.sr,
				  &self->kb));
	ret = tk_session_keys(self->env.fd, self->master, 0, self->hs.cr,
			      self->hs.sr, &self->rk, &self->wk);
	ASSERT_EQ(0, ret) TH_LOG("SESSION_KEYS: %s", sp_errname(ret));
	ASSERT_NE(self->rk, self->wk);
	/* A size query: tells whether records are implemented, uses no seq. */
	self->records = -tk_record(self->env.fd, ENC, self->wk, TK_CT_APPDATA,
				   0, self->pt, 1, NULL, 0, &rl);
}

FIXTURE_TEARDOWN(rec)
{
	free(self->pt);
	free(self->rec);
	free(self->out);
	TK_ENV_TEARDOWN(&self->env);
}

#define REQUIRE_RECORDS() do {						\
	if (self->records == ENOTTY)					\
		SKIP(return, "SSLPROV_IOC_ENCRYPT/DECRYPT give ENOTTY: records not implemented in this module build (module/record.c)"); \
	ASSERT_EQ(0, self->records)					\
		TH_LOG("ENCRYPT size query: %s", sp_errname(-self->records)); \
} while (0)

/* A client record made by OpenSSL: what the module's read key must open. */
static size_t client_record(FIXTURE_DATA(rec) *self, uint64_t seq,
			    uint8_t type, const uint8_t *pt, size_t len,
			    uint8_t *rec)
{
	if (tk_record_seal(self->kb.client_key, self->kb.key_len,
			   self->kb.client_salt, seq, type, pt, len, rec))
		return 0;
	return len + TK_GCM_OVERHEAD;
}

static const size_t lens[] = { 0, 1, 15, 16, 17, 100, 1000, 4096, 16383,
			       SSLPROV_MAX_RECORD_PLAINTEXT };
static const uint8_t types[] = { TK_CT_APPDATA, TK_CT_HANDSHAKE,
				 TK_CT_ALERT, TK_CT_CCS };

/* --- session keys --------------------------------------------------------- */

/*
 * The key block slices (RFC 5246 6.3): both session keys of both sides are
 * told apart by the records they make, so this runs only with records.
 * Without records, at least the handles are checked.
 */
TEST_F_TIMEOUT(rec, session_keys_sides, SP_TIMEOUT_LONG)
{
	uint32_t crk, cwk, rl;
	uint8_t want[128];
	int ret;

	EXPECT_NE(0, self->rk);
	EXPECT_NE(0, self->wk);
	ret = tk_session_keys(self->env.fd, self->master, SSLPROV_CLIENT,
			      self->hs.cr, self->hs.sr, &crk, &cwk);
	ASSERT_EQ(0, ret) TH_LOG("SESSION_KEYS as the client: %s",
				 sp_errname(ret));
	EXPECT_NE(crk, cwk);
	/* key, master, and two pairs of session keys */
	EXPECT_EQ(6, sp_live_objects(self->env.fd));
	REQUIRE_RECORDS();

	/* Server write key: server_key/server_salt. */
	ASSERT_EQ(0, tk_record(self->env.fd, ENC, self->wk, TK_CT_APPDATA, 0,
			       self->pt, 40, self->out, MAXREC, &rl));
	ASSERT_EQ(0, tk_record_seal(self->kb.server_key, self->kb.key_len,
				    self->kb.server_salt, 0, TK_CT_APPDATA,
				    self->pt, 40, want));
	TK_EXPECT_MEM(want, self->out, 40 + TK_GCM_OVERHEAD,
		      "server write record vs OpenSSL with server_write_key");
	/* Client write key (flags = SSLPROV_CLIENT): client_key/client_salt. */
	ASSERT_EQ(0, tk_record(self->env.fd, ENC, cwk, TK_CT_APPDATA, 0,
			       self->pt, 40, self->out, MAXREC, &rl));
	ASSERT_EQ(40, client_record(self, 0, TK_CT_APPDATA, self->pt, 40,
				    want) - TK_GCM_OVERHEAD);
	TK_EXPECT_MEM(want, self->out, 40 + TK_GCM_OVERHEAD,
		      "client write record vs OpenSSL with client_write_key");
	/* The client's read key opens the server's records. */
	ASSERT_EQ(0, tk_record_seal(self->kb.server_key, self->kb.key_len,
				    self->kb.server_salt, 9, TK_CT_HANDSHAKE,
				    self->pt, 33, self->rec));
	ret = tk_record(self->env.fd, DEC, crk, 0, 9, self->rec,
			33 + TK_GCM_OVERHEAD, self->out, MAXREC, &rl);
	ASSERT_EQ(0, ret) TH_LOG("client read key on a server record: %s",
				 sp_errname(ret));
	TK_EXPECT_MEM(self->pt, self->out, 33, "server record opened by the client");
	/* Each direction's key refuses the other direction's records. */
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 9, self->rec,
			33 + TK_GCM_OVERHEAD, self->out, MAXREC, &rl);
	EXPECT_EQ(-EBADMSG, ret) TH_LOG("server read key on a server record (reflection): %s",
					sp_errname(ret));
}

/* --- records ------------------------------------------------------------- */

/*
 * A session key makes its record AEAD on first use (a key handed to kTLS
 * never needs one): SESSION_KEYS and size queries make none, the first
 * record each way makes one per key, later records no more, a refused
 * record (here a bad tag) makes or changes nothing, and freeing the key
 * gives its AEAD back.  The records themselves are checked against OpenSSL.
 */
TEST_F_TIMEOUT(rec, aead_made_on_first_record, SP_TIMEOUT_LONG)
{
	struct sp_stats s0, s;
	uint8_t want[64 + TK_GCM_OVERHEAD];
	uint32_t rl;
	size_t n;
	int ret;

	REQUIRE_RECORDS();
	ASSERT_EQ(0, sp_stats_read(&s0));
	ASSERT_EQ(0, tk_record(self->env.fd, ENC, self->wk, TK_CT_APPDATA, 0,
			       self->pt, 1, NULL, 0, &rl));
	ASSERT_EQ(0, sp_stats_read(&s));
	EXPECT_EQ(s0.record_aead, s.record_aead) TH_LOG("a size query made an AEAD");

	ASSERT_EQ(0, tk_record(self->env.fd, ENC, self->wk, TK_CT_APPDATA, 0,
			       self->pt, 64, self->out, MAXREC, &rl));
	ASSERT_EQ(0, tk_record_seal(self->kb.server_key, self->kb.key_len,
				    self->kb.server_salt, 0, TK_CT_APPDATA,
				    self->pt, 64, want));
	TK_EXPECT_MEM(want, self->out, 64 + TK_GCM_OVERHEAD,
		      "first record vs OpenSSL");
	ASSERT_EQ(0, tk_record(self->env.fd, ENC, self->wk, TK_CT_APPDATA, 1,
			       self->pt, 64, self->out, MAXREC, &rl));
	ASSERT_EQ(0, sp_stats_read(&s));
	EXPECT_EQ(s0.record_aead + 1, s.record_aead)
		TH_LOG("two records with the write key");

	/* The read key: a forged record is refused and makes no difference. */
	n = client_record(self, 0, TK_CT_APPDATA, self->pt, 64, self->rec);
	ASSERT_EQ(64 + TK_GCM_OVERHEAD, n);
	self->rec[n - 1] ^= 1;
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 0, self->rec, n,
			self->out, MAXREC, &rl);
	EXPECT_EQ(-EBADMSG, ret) TH_LOG("a bad tag: %s", sp_errname(ret));
	self->rec[n - 1] ^= 1;
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 0, self->rec, n,
			self->out, MAXREC, &rl);
	EXPECT_EQ(0, ret) TH_LOG("the same record, intact, at the same seq: %s",
				 sp_errname(ret));
	TK_EXPECT_MEM(self->pt, self->out, 64, "OpenSSL's record opened");
	ASSERT_EQ(0, sp_stats_read(&s));
	EXPECT_EQ(s0.record_aead + 2, s.record_aead)
		TH_LOG("records with both keys");

	EXPECT_EQ(0, sp_free(self->env.fd, self->wk));
	EXPECT_EQ(0, sp_free(self->env.fd, self->rk));
	ASSERT_EQ(0, sp_stats_read(&s));
	EXPECT_EQ(s0.record_aead, s.record_aead) TH_LOG("after freeing both keys");
}

TEST_F_TIMEOUT(rec, encrypt_matches_openssl, SP_TIMEOUT_LONG)
{
	uint8_t *want = self->rec;
	uint32_t rl;
	char what[96];
	size_t i, n;
	long got;
	int ret;

	REQUIRE_RECORDS();
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		n = lens[i] + TK_GCM_OVERHEAD;
		memset(self->out, 0xa5, MAXREC);
		ret = tk_record(self->env.fd, ENC, self->wk, types[i % 4], i,
				self->pt, lens[i], self->out, MAXREC, &rl);
		ASSERT_EQ(0, ret) TH_LOG("ENCRYPT of %zu bytes: %s", lens[i],
					 sp_errname(ret));
		EXPECT_EQ(n, rl);
		EXPECT_EQ(0xa5, self->out[n]) TH_LOG("ENCRYPT wrote past the record");
		ASSERT_EQ(0, tk_record_seal(self->kb.server_key,
					    self->kb.key_len,
					    self->kb.server_salt, i,
					    types[i % 4], self->pt, lens[i],
					    want));
		snprintf(what, sizeof(what),
			 "record %zu (type %u, %zu bytes) vs OpenSSL", i,
			 types[i % 4], lens[i]);
		TK_EXPECT_MEM(want, self->out, n, what);
		/* And OpenSSL opens it (header, nonce, tag). */
		got = tk_record_open(self->kb.server_key, self->kb.key_len,
				     self->kb.server_salt, i, self->out, n,
				     want);
		EXPECT_EQ((long)lens[i], got) TH_LOG("OpenSSL cannot open %s",
						    what);
	}
}

TEST_F_TIMEOUT(rec, decrypt_openssl_records, SP_TIMEOUT_LONG)
{
	uint32_t rl;
	size_t i, n;
	int ret;

	REQUIRE_RECORDS();
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		n = client_record(self, 100 + i, types[i % 4], self->pt,
				  lens[i], self->rec);
		ASSERT_NE(0, n);
		memset(self->out, 0xa5, MAXREC);
		ret = tk_record(self->env.fd, DEC, self->rk, 0, 100 + i,
				self->rec, n, self->out, MAXREC, &rl);
		ASSERT_EQ(0, ret) TH_LOG("DECRYPT of a %zu-byte record: %s", n,
					 sp_errname(ret));
		EXPECT_EQ(lens[i], rl);
		TK_EXPECT_MEM(self->pt, self->out, lens[i],
			      "plaintext of an OpenSSL client record");
		EXPECT_EQ(0xa5, self->out[lens[i]])
			TH_LOG("DECRYPT wrote past the plaintext");
	}
}

/* "@out ... May overlap @in." */
TEST_F_TIMEOUT(rec, in_place, SP_TIMEOUT_LONG)
{
	uint8_t *buf = self->out, want[1100];
	uint32_t rl;
	int ret;

	REQUIRE_RECORDS();
	memcpy(buf, self->pt, 1000);
	ret = tk_record(self->env.fd, ENC, self->wk, TK_CT_APPDATA, 1, buf,
			1000, buf, MAXREC, &rl);
	ASSERT_EQ(0, ret) TH_LOG("in-place ENCRYPT: %s", sp_errname(ret));
	ASSERT_EQ(0, tk_record_seal(self->kb.server_key, self->kb.key_len,
				    self->kb.server_salt, 1, TK_CT_APPDATA,
				    self->pt, 1000, want));
	TK_EXPECT_MEM(want, buf, 1000 + TK_GCM_OVERHEAD, "in-place ENCRYPT");

	ASSERT_NE(0, client_record(self, 1, TK_CT_APPDATA, self->pt, 1000, buf));
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 1, buf,
			1000 + TK_GCM_OVERHEAD, buf, MAXREC, &rl);
	ASSERT_EQ(0, ret) TH_LOG("in-place DECRYPT: %s", sp_errname(ret));
	TK_EXPECT_MEM(self->pt, buf, 1000, "in-place DECRYPT");
	/* Output a few bytes into the input. */
	ASSERT_NE(0, client_record(self, 2, TK_CT_APPDATA, self->pt, 500,
				   buf + 7));
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 2, buf + 7,
			500 + TK_GCM_OVERHEAD, buf, MAXREC, &rl);
	ASSERT_EQ(0, ret) TH_LOG("overlapping DECRYPT: %s", sp_errname(ret));
	TK_EXPECT_MEM(self->pt, buf, 500, "overlapping DECRYPT");
}

/*
 * Flipped bits anywhere: nothing is written, and the sequence number does
 * not move (the untampered record still opens under it).
 */
TEST_F_TIMEOUT(rec, tampered_records, SP_TIMEOUT_LONG)
{
	const size_t len = 64, n = len + TK_GCM_OVERHEAD;
	uint8_t rec[64 + TK_GCM_OVERHEAD], bad[64 + TK_GCM_OVERHEAD + 1];
	uint32_t rl;
	size_t pos;
	int bit, ret, nbad = 0;
	bool hdr_len_or_version;
	uint8_t canary[256];
	int hdr_err[4] = { 0 };

	REQUIRE_RECORDS();
	memset(canary, 0xa5, sizeof(canary));
	ASSERT_EQ(n, client_record(self, 5, TK_CT_APPDATA, self->pt, len, rec));
	for (pos = 0; pos < n; pos++) {
		for (bit = 0; bit < 8; bit += 7) {
			memcpy(bad, rec, n);
			bad[pos] ^= 1 << bit;
			memset(self->out, 0xa5, 256);
			ret = tk_record(self->env.fd, DEC, self->rk, 0, 5, bad,
					n, self->out, MAXREC, &rl);
			/*
			 * Header version/length bytes may also be refused as
			 * a malformed record (EINVAL) before the AEAD runs.
			 */
			hdr_len_or_version = pos >= 1 && pos <= 4;
			if (hdr_len_or_version && bit == 0)
				hdr_err[pos - 1] = ret;
			if (!(ret == -EBADMSG ||
			      (hdr_len_or_version && ret == -EINVAL))) {
				if (nbad++ < 8)
					TH_LOG("bit %d of byte %zu (%s) flipped: %s, want EBADMSG",
					       bit, pos,
					       pos == 0 ? "type" : pos < 5 ? "header" :
					       pos < 13 ? "explicit nonce" :
					       pos < n - 16 ? "ciphertext" : "tag",
					       sp_errname(ret));
			}
			if (tk_first_diff(self->out, canary, sizeof(canary)) >= 0) {
				if (nbad++ < 8)
					TH_LOG("a failed DECRYPT (byte %zu) wrote its output",
					       pos);
			}
		}
	}
	EXPECT_EQ(0, nbad);
	TH_LOG("header version/length bytes flipped gave %s, %s, %s, %s",
	       sp_errname(hdr_err[0]), sp_errname(hdr_err[1]),
	       sp_errname(hdr_err[2]), sp_errname(hdr_err[3]));

	/* Truncated or extended, header adjusted: authentication fails. */
	memcpy(bad, rec, n);
	bad[4]--;
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 5, bad, n - 1,
			self->out, MAXREC, &rl);
	EXPECT_EQ(-EBADMSG, ret) TH_LOG("record less its last byte: %s",
					sp_errname(ret));
	memcpy(bad, rec, n);
	bad[4]++;
	bad[n] = 0;
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 5, bad, n + 1,
			self->out, MAXREC, &rl);
	EXPECT_EQ(-EBADMSG, ret) TH_LOG("record plus one byte: %s",
					sp_errname(ret));
	/* The right record under the wrong sequence number (AAD). */
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 6, rec, n, self->out,
			MAXREC, &rl);
	EXPECT_EQ(-EBADMSG, ret) TH_LOG("record 5 opened as record 6: %s",
					sp_errname(ret));

	/* After all that, record 5 still opens: failures did not advance. */
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 5, rec, n, self->out,
			MAXREC, &rl);
	EXPECT_EQ(0, ret) TH_LOG("the good record after failures: %s",
				 sp_errname(ret));
	TK_EXPECT_MEM(self->pt, self->out, len, "the good record after failures");
}

TEST_F_TIMEOUT(rec, sequence_numbers, SP_TIMEOUT_LONG)
{
	static const struct { uint64_t seq; int want; } enc[] = {
		{ 5, 0 }, { 5, -EINVAL }, { 4, -EINVAL }, { 0, -EINVAL },
		{ 7, 0 }, { 6, -EINVAL }, { 8, 0 },
		{ UINT64_MAX, -EINVAL },	/* never: next_seq would wrap */
		{ UINT64_MAX - 1, 0 }, { UINT64_MAX - 1, -EINVAL },
		{ UINT64_MAX, -EINVAL },
	};
	static const struct { uint64_t seq; int want; } dec[] = {
		{ 3, 0 }, { 3, -EINVAL }, { 2, -EINVAL }, { 10, 0 },
		{ 4, -EINVAL }, { UINT64_MAX, -EINVAL },
	};
	uint8_t rec[32 + TK_GCM_OVERHEAD];
	uint32_t rl;
	size_t i;
	int ret;

	REQUIRE_RECORDS();
	for (i = 0; i < ARRAY_SIZE(enc); i++) {
		memset(self->out, 0xa5, 64);
		ret = tk_record(self->env.fd, ENC, self->wk, TK_CT_APPDATA,
				enc[i].seq, self->pt, 32, self->out, MAXREC,
				&rl);
		EXPECT_EQ(enc[i].want, ret)
			TH_LOG("ENCRYPT #%zu with seq %#llx: %s, want %s", i,
			       (unsigned long long)enc[i].seq, sp_errname(ret),
			       sp_errname(enc[i].want));
		if (ret)
			EXPECT_EQ(0xa5, self->out[0]) TH_LOG("refused ENCRYPT wrote");
	}
	for (i = 0; i < ARRAY_SIZE(dec); i++) {
		ASSERT_NE(0, client_record(self, dec[i].seq, TK_CT_APPDATA,
					   self->pt, 32, rec));
		ret = tk_record(self->env.fd, DEC, self->rk, 0, dec[i].seq,
				rec, sizeof(rec), self->out, MAXREC, &rl);
		EXPECT_EQ(dec[i].want, ret)
			TH_LOG("DECRYPT #%zu with seq %#llx: %s, want %s (replay)",
			       i, (unsigned long long)dec[i].seq,
			       sp_errname(ret), sp_errname(dec[i].want));
	}
	/*
	 * Each key counts for itself: a new pair (other randoms: the same
	 * ones may not derive again) starts afresh.
	 */
	{
		uint8_t cr[32], sr[32];
		uint32_t rk2, wk2;

		ASSERT_EQ(0, tk_random(cr, sizeof(cr)));
		ASSERT_EQ(0, tk_random(sr, sizeof(sr)));
		ret = tk_session_keys(self->env.fd, self->master, 0, cr, sr,
				      &rk2, &wk2);
		ASSERT_EQ(0, ret) TH_LOG("SESSION_KEYS with new randoms: %s",
					 sp_errname(ret));
		ret = tk_record(self->env.fd, ENC, wk2, TK_CT_APPDATA, 0,
				self->pt, 32, self->out, MAXREC, &rl);
		EXPECT_EQ(0, ret) TH_LOG("seq 0 on a new write key: %s",
					 sp_errname(ret));
	}
}

TEST_F_TIMEOUT(rec, sizes, SP_TIMEOUT_LONG)
{
	const uint32_t max = SSLPROV_MAX_RECORD_PLAINTEXT;
	uint32_t rl, n;
	size_t rn;
	int ret;

	REQUIRE_RECORDS();
	/* 2^14 + 1 bytes of plaintext is too much (RFC 5246 6.2.1). */
	ret = tk_record(self->env.fd, ENC, self->wk, TK_CT_APPDATA, 0,
			self->pt, max + 1, self->out, MAXREC, &rl);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("ENCRYPT of %u bytes: %s", max + 1,
				       sp_errname(ret));

	/* Size query (out = 0): succeeds, says how much, uses no seq. */
	ret = tk_record(self->env.fd, ENC, self->wk, TK_CT_APPDATA, 0,
			self->pt, 100, NULL, 0, &rl);
	EXPECT_EQ(0, ret) TH_LOG("ENCRYPT size query: %s", sp_errname(ret));
	EXPECT_EQ(100 + TK_GCM_OVERHEAD, rl);
	ret = tk_record(self->env.fd, ENC, self->wk, TK_CT_APPDATA, 0,
			self->pt, 100, NULL, MAXREC, &rl);
	EXPECT_EQ(0, ret) TH_LOG("ENCRYPT size query with out_len: %s",
				 sp_errname(ret));
	EXPECT_EQ(100 + TK_GCM_OVERHEAD, rl);
	/* One byte short: ENOBUFS with the size, nothing written. */
	memset(self->out, 0xa5, 256);
	ret = tk_record(self->env.fd, ENC, self->wk, TK_CT_APPDATA, 0,
			self->pt, 100, self->out, 100 + TK_GCM_OVERHEAD - 1,
			&rl);
	EXPECT_EQ(-ENOBUFS, ret) TH_LOG("ENCRYPT into %u bytes: %s",
					100 + TK_GCM_OVERHEAD - 1,
					sp_errname(ret));
	EXPECT_EQ(100 + TK_GCM_OVERHEAD, rl);
	EXPECT_EQ(0xa5, self->out[0]) TH_LOG("ENCRYPT with ENOBUFS wrote");
	/* Exactly enough, and seq 0 is still unused. */
	ret = tk_record(self->env.fd, ENC, self->wk, TK_CT_APPDATA, 0,
			self->pt, 100, self->out, 100 + TK_GCM_OVERHEAD, &rl);
	EXPECT_EQ(0, ret) TH_LOG("ENCRYPT with seq 0 after the queries: %s",
				 sp_errname(ret));

	/* The same for DECRYPT. */
	n = (uint32_t)client_record(self, 0, TK_CT_APPDATA, self->pt, 100,
				    self->rec);
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 0, self->rec, n, NULL,
			0, &rl);
	EXPECT_EQ(0, ret) TH_LOG("DECRYPT size query: %s", sp_errname(ret));
	EXPECT_EQ(100, rl);
	memset(self->out, 0xa5, 256);
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 0, self->rec, n,
			self->out, 99, &rl);
	EXPECT_EQ(-ENOBUFS, ret) TH_LOG("DECRYPT into 99 bytes: %s",
					sp_errname(ret));
	EXPECT_EQ(100, rl);
	EXPECT_EQ(0xa5, self->out[0]) TH_LOG("DECRYPT with ENOBUFS wrote");
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 0, self->rec, n,
			self->out, 100, &rl);
	EXPECT_EQ(0, ret) TH_LOG("DECRYPT with seq 0 after the queries: %s",
				 sp_errname(ret));

	/* Records too short to hold nonce and tag, or too long. */
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 1, self->rec,
			TK_GCM_OVERHEAD - 1, self->out, MAXREC, &rl);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("DECRYPT of %d bytes: %s",
				       TK_GCM_OVERHEAD - 1, sp_errname(ret));
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 1, self->rec, 0,
			self->out, MAXREC, &rl);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("DECRYPT of 0 bytes: %s",
				       sp_errname(ret));
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 1, self->rec,
			SSLPROV_MAX_RECORD + 1, self->out, MAXREC, &rl);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("DECRYPT of %d bytes: %s",
				       SSLPROV_MAX_RECORD + 1, sp_errname(ret));

	/*
	 * A record that opens to 2^14 + 1 bytes: over the plaintext limit
	 * (spec 6.7 "plaintext <= 2^14"; RFC 5246 7.2.2 record_overflow).
	 */
	rn = client_record(self, 2, TK_CT_APPDATA, self->pt, max + 1,
			   self->rec);
	ASSERT_NE(0, rn);
	memset(self->out, 0xa5, 16);
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 2, self->rec,
			(uint32_t)rn, self->out, MAXREC, &rl);
	EXPECT_TRUE(ret == -EINVAL || ret == -EBADMSG)
		TH_LOG("DECRYPT of a record with %u bytes of plaintext: %s, want EINVAL or EBADMSG",
		       max + 1, sp_errname(ret));
	EXPECT_EQ(0xa5, self->out[0]);
}

TEST_F_TIMEOUT(rec, record_errors, SP_TIMEOUT_LONG)
{
	struct sslprov_record a;
	uint8_t rec[16 + TK_GCM_OVERHEAD];
	uint32_t rl, freed;
	int ret;

	REQUIRE_RECORDS();
	ASSERT_NE(0, client_record(self, 50, TK_CT_APPDATA, self->pt, 16, rec));
	/* Keys of the wrong direction or kind. */
	ret = tk_record(self->env.fd, ENC, self->rk, TK_CT_APPDATA, 1,
			self->pt, 16, self->out, MAXREC, &rl);
	EXPECT_EQ(-EKEYREJECTED, ret) TH_LOG("ENCRYPT with the read key: %s",
					     sp_errname(ret));
	ret = tk_record(self->env.fd, DEC, self->wk, 0, 50, rec, sizeof(rec),
			self->out, MAXREC, &rl);
	EXPECT_EQ(-EKEYREJECTED, ret) TH_LOG("DECRYPT with the write key: %s",
					     sp_errname(ret));
	ret = tk_record(self->env.fd, ENC, self->master, TK_CT_APPDATA, 1,
			self->pt, 16, self->out, MAXREC, &rl);
	EXPECT_EQ(-EKEYREJECTED, ret) TH_LOG("ENCRYPT with the master key: %s",
					     sp_errname(ret));
	ret = tk_record(self->env.fd, DEC, self->env.key, 0, 50, rec,
			sizeof(rec), self->out, MAXREC, &rl);
	EXPECT_EQ(-EKEYREJECTED, ret) TH_LOG("DECRYPT with a private key: %s",
					     sp_errname(ret));
	/* Not keys at all, or nothing. */
	ASSERT_EQ(0, sp_new_hash(self->env.fd, &freed));
	ret = tk_record(self->env.fd, ENC, freed, TK_CT_APPDATA, 1, self->pt,
			16, self->out, MAXREC, &rl);
	EXPECT_EQ(-EBADF, ret) TH_LOG("ENCRYPT with a hash: %s",
				      sp_errname(ret));
	ASSERT_EQ(0, sp_free(self->env.fd, freed));
	ret = tk_record(self->env.fd, ENC, freed, TK_CT_APPDATA, 1, self->pt,
			16, self->out, MAXREC, &rl);
	EXPECT_EQ(-EBADF, ret) TH_LOG("ENCRYPT with a freed handle: %s",
				      sp_errname(ret));
	ret = tk_record(self->env.fd, DEC, 0, 0, 50, rec, sizeof(rec),
			self->out, MAXREC, &rl);
	EXPECT_EQ(-EBADF, ret) TH_LOG("DECRYPT with handle 0: %s",
				      sp_errname(ret));

	/* Content types: 20..23 to ENCRYPT, 0 (from the header) to DECRYPT. */
	ret = tk_record(self->env.fd, ENC, self->wk, 19, 1, self->pt, 16,
			self->out, MAXREC, &rl);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("ENCRYPT type 19: %s", sp_errname(ret));
	ret = tk_record(self->env.fd, ENC, self->wk, 24, 1, self->pt, 16,
			self->out, MAXREC, &rl);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("ENCRYPT type 24: %s", sp_errname(ret));
	ret = tk_record(self->env.fd, ENC, self->wk, 0x117, 1, self->pt, 16,
			self->out, MAXREC, &rl);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("ENCRYPT type 0x117: %s",
				       sp_errname(ret));
	ret = tk_record(self->env.fd, DEC, self->rk, TK_CT_APPDATA, 50, rec,
			sizeof(rec), self->out, MAXREC, &rl);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("DECRYPT with content_type 23: %s",
				       sp_errname(ret));

	/* flags and __reserved. */
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.key = self->wk;
	a.content_type = TK_CT_APPDATA;
	a.seq = 1;
	a.in_len = 16;
	a.in = (uintptr_t)self->pt;
	a.out_len = MAXREC;
	a.out = (uintptr_t)self->out;
	a.flags = 1;
	ret = sp_ioctl(self->env.fd, ENC, &a);
	EXPECT_TRUE(ret == -EINVAL || ret == -EBADRQC)
		TH_LOG("ENCRYPT with flags 1: %s", sp_errname(ret));
	a.flags = 0;
	a.__reserved = 1;
	ret = sp_ioctl(self->env.fd, ENC, &a);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("ENCRYPT with __reserved 1: %s",
				       sp_errname(ret));

	/* Bad pointers. */
	ret = tk_record(self->env.fd, ENC, self->wk, TK_CT_APPDATA, 1,
			sp_unmapped_addr(), 16, self->out, MAXREC, &rl);
	EXPECT_EQ(-EFAULT, ret) TH_LOG("ENCRYPT from unmapped memory: %s",
				       sp_errname(ret));
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 50, sp_unmapped_addr(),
			sizeof(rec), self->out, MAXREC, &rl);
	EXPECT_EQ(-EFAULT, ret) TH_LOG("DECRYPT from unmapped memory: %s",
				       sp_errname(ret));
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 50, rec, sizeof(rec),
			sp_unmapped_addr(), MAXREC, &rl);
	EXPECT_EQ(-EFAULT, ret) TH_LOG("DECRYPT to unmapped memory: %s",
				       sp_errname(ret));

	/* All of that left both keys usable. */
	ret = tk_record(self->env.fd, ENC, self->wk, TK_CT_APPDATA, 1000,
			self->pt, 16, self->out, MAXREC, &rl);
	EXPECT_EQ(0, ret) TH_LOG("ENCRYPT after the errors: %s",
				 sp_errname(ret));
	ASSERT_NE(0, client_record(self, 1000, TK_CT_APPDATA, self->pt, 16,
				   rec));
	ret = tk_record(self->env.fd, DEC, self->rk, 0, 1000, rec, sizeof(rec),
			self->out, MAXREC, &rl);
	EXPECT_EQ(0, ret) TH_LOG("DECRYPT after the errors: %s",
				 sp_errname(ret));
	EXPECT_EQ(4, sp_live_objects(self->env.fd));
}

TEST_HARNESS_MAIN
