// SPDX-License-Identifier: GPL-2.0
/*
 * tls12-parse-test - unit tests of tls12-parse.c, plus a quick mutation
 * run over real ClientHellos (run it under ASan/UBSan: make -C examples test).
 * No kernel module or library needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls12-parse.h"

static int failures, checks;

#define CHECK(cond) do {						\
	checks++;							\
	if (!(cond)) {							\
		failures++;						\
		fprintf(stderr, "%s:%d: CHECK failed: %s\n",		\
			__FILE__, __LINE__, #cond);			\
	}								\
} while (0)

/*
 * Records captured from real clients connecting to a listening socket:
 * OpenSSL 3.0 s_client -tls1_2 -cipher AES128-GCM-SHA256, gnutls-cli 3.7
 * with its default priorities, and OpenSSL 3.0 s_client with defaults
 * (a TLS 1.3 ClientHello with supported_versions).
 */
static const uint8_t ch_openssl_bin[] = {
  0x16, 0x03, 0x01, 0x00, 0x6b, 0x01, 0x00, 0x00, 0x67, 0x03, 0x03, 0x2b,
  0x62, 0x0d, 0xd3, 0x7e, 0x2b, 0x09, 0xda, 0x58, 0x01, 0xd2, 0x6f, 0x74,
  0xa1, 0xcb, 0x23, 0xfd, 0xdd, 0xcb, 0x14, 0x4b, 0xf7, 0xa9, 0x1f, 0x8d,
  0x35, 0xa6, 0x41, 0xd0, 0x1c, 0x84, 0x32, 0x00, 0x00, 0x04, 0x00, 0x9c,
  0x00, 0xff, 0x01, 0x00, 0x00, 0x3a, 0x00, 0x23, 0x00, 0x00, 0x00, 0x16,
  0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x2a, 0x00, 0x28,
  0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07, 0x08, 0x08, 0x08, 0x09,
  0x08, 0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01,
  0x05, 0x01, 0x06, 0x01, 0x03, 0x03, 0x03, 0x01, 0x03, 0x02, 0x04, 0x02,
  0x05, 0x02, 0x06, 0x02
};
static const uint8_t ch_gnutls_bin[] = {
  0x16, 0x03, 0x01, 0x01, 0x70, 0x01, 0x00, 0x01, 0x6c, 0x03, 0x03, 0x6d,
  0x1b, 0xc0, 0xf4, 0xbf, 0xb0, 0x1a, 0xc3, 0x42, 0x70, 0xbf, 0x66, 0xe1,
  0xae, 0x7f, 0x7a, 0xfd, 0x54, 0xab, 0xa1, 0xf5, 0x4f, 0x26, 0x1b, 0x3f,
  0x6d, 0xfe, 0xb1, 0x34, 0x4b, 0xf0, 0xac, 0x20, 0x80, 0x4d, 0x5d, 0x55,
  0x03, 0x4b, 0xb9, 0x53, 0xc1, 0xaf, 0x71, 0x57, 0x86, 0x17, 0x4c, 0xdb,
  0x4e, 0x42, 0x73, 0xa9, 0x80, 0xfe, 0x63, 0xdd, 0x95, 0xf8, 0x72, 0x32,
  0x80, 0x1f, 0x7b, 0xc7, 0x00, 0x3a, 0x13, 0x02, 0x13, 0x03, 0x13, 0x01,
  0x13, 0x04, 0xc0, 0x2c, 0xcc, 0xa9, 0xc0, 0xad, 0xc0, 0x0a, 0xc0, 0x2b,
  0xc0, 0xac, 0xc0, 0x09, 0xc0, 0x30, 0xcc, 0xa8, 0xc0, 0x14, 0xc0, 0x2f,
  0xc0, 0x13, 0x00, 0x9d, 0xc0, 0x9d, 0x00, 0x35, 0x00, 0x9c, 0xc0, 0x9c,
  0x00, 0x2f, 0x00, 0x9f, 0xcc, 0xaa, 0xc0, 0x9f, 0x00, 0x39, 0x00, 0x9e,
  0xc0, 0x9e, 0x00, 0x33, 0x01, 0x00, 0x00, 0xe9, 0x00, 0x05, 0x00, 0x05,
  0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x16, 0x00, 0x14, 0x00,
  0x17, 0x00, 0x18, 0x00, 0x19, 0x00, 0x1d, 0x00, 0x1e, 0x01, 0x00, 0x01,
  0x01, 0x01, 0x02, 0x01, 0x03, 0x01, 0x04, 0x00, 0x0b, 0x00, 0x02, 0x01,
  0x00, 0x00, 0x0d, 0x00, 0x22, 0x00, 0x20, 0x04, 0x01, 0x08, 0x09, 0x08,
  0x04, 0x04, 0x03, 0x08, 0x07, 0x05, 0x01, 0x08, 0x0a, 0x08, 0x05, 0x05,
  0x03, 0x08, 0x08, 0x06, 0x01, 0x08, 0x0b, 0x08, 0x06, 0x06, 0x03, 0x02,
  0x01, 0x02, 0x03, 0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00,
  0x23, 0x00, 0x00, 0x00, 0x33, 0x00, 0x6b, 0x00, 0x69, 0x00, 0x17, 0x00,
  0x41, 0x04, 0xb4, 0x5f, 0x1d, 0x28, 0x57, 0xf5, 0x3e, 0x67, 0x8e, 0xf5,
  0x39, 0x80, 0x91, 0x4d, 0x95, 0x1f, 0x9e, 0xce, 0xe6, 0x2e, 0x45, 0x59,
  0x22, 0x95, 0xb9, 0x61, 0xb7, 0xf7, 0x68, 0xd3, 0x07, 0x5d, 0xe4, 0x42,
  0x7a, 0xed, 0xac, 0x85, 0xd4, 0x94, 0x48, 0x8a, 0x82, 0x0a, 0x5d, 0xea,
  0x82, 0x38, 0xe3, 0x90, 0x50, 0x1b, 0x41, 0x08, 0x4a, 0x9c, 0x5c, 0x47,
  0x81, 0xa5, 0x44, 0x82, 0x87, 0xf6, 0x00, 0x1d, 0x00, 0x20, 0x02, 0xca,
  0x9f, 0xde, 0x94, 0x2e, 0x07, 0x02, 0xbe, 0xc8, 0x52, 0x55, 0xbd, 0x4d,
  0x21, 0x91, 0x45, 0x2e, 0x95, 0x7d, 0xa4, 0x08, 0x2d, 0x08, 0xaa, 0x1f,
  0x70, 0xb7, 0x63, 0x55, 0x11, 0x07, 0x00, 0x2b, 0x00, 0x09, 0x08, 0x03,
  0x04, 0x03, 0x03, 0x03, 0x02, 0x03, 0x01, 0xff, 0x01, 0x00, 0x01, 0x00,
  0x00, 0x2d, 0x00, 0x03, 0x02, 0x01, 0x00, 0x00, 0x1c, 0x00, 0x02, 0x40,
  0x01
};
static const uint8_t ch_openssl13_bin[] = {
  0x16, 0x03, 0x01, 0x01, 0x24, 0x01, 0x00, 0x01, 0x20, 0x03, 0x03, 0x67,
  0x31, 0xf2, 0x39, 0x04, 0x93, 0xb5, 0x8c, 0x4e, 0xf4, 0x22, 0xde, 0x4c,
  0x7a, 0x32, 0x01, 0x00, 0x3f, 0x30, 0x38, 0x11, 0x2a, 0x1a, 0x90, 0x67,
  0xc7, 0xc6, 0x8d, 0x67, 0x69, 0x76, 0x54, 0x20, 0x5f, 0xed, 0x17, 0x83,
  0x51, 0xda, 0x9b, 0xc8, 0xc0, 0x85, 0x2a, 0xe8, 0x68, 0x10, 0x08, 0x91,
  0x7c, 0x59, 0x48, 0xa3, 0x38, 0x78, 0x62, 0xea, 0xcc, 0xa9, 0x64, 0x98,
  0xa3, 0x8e, 0xeb, 0x69, 0x00, 0x3e, 0x13, 0x02, 0x13, 0x03, 0x13, 0x01,
  0xc0, 0x2c, 0xc0, 0x30, 0x00, 0x9f, 0xcc, 0xa9, 0xcc, 0xa8, 0xcc, 0xaa,
  0xc0, 0x2b, 0xc0, 0x2f, 0x00, 0x9e, 0xc0, 0x24, 0xc0, 0x28, 0x00, 0x6b,
  0xc0, 0x23, 0xc0, 0x27, 0x00, 0x67, 0xc0, 0x0a, 0xc0, 0x14, 0x00, 0x39,
  0xc0, 0x09, 0xc0, 0x13, 0x00, 0x33, 0x00, 0x9d, 0x00, 0x9c, 0x00, 0x3d,
  0x00, 0x3c, 0x00, 0x35, 0x00, 0x2f, 0x00, 0xff, 0x01, 0x00, 0x00, 0x99,
  0x00, 0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x16,
  0x00, 0x14, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x1e, 0x00, 0x19, 0x00, 0x18,
  0x01, 0x00, 0x01, 0x01, 0x01, 0x02, 0x01, 0x03, 0x01, 0x04, 0x00, 0x23,
  0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x0d,
  0x00, 0x2a, 0x00, 0x28, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07,
  0x08, 0x08, 0x08, 0x09, 0x08, 0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08, 0x05,
  0x08, 0x06, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01, 0x03, 0x03, 0x03, 0x01,
  0x03, 0x02, 0x04, 0x02, 0x05, 0x02, 0x06, 0x02, 0x00, 0x2b, 0x00, 0x09,
  0x08, 0x03, 0x04, 0x03, 0x03, 0x03, 0x02, 0x03, 0x01, 0x00, 0x2d, 0x00,
  0x02, 0x01, 0x01, 0x00, 0x33, 0x00, 0x26, 0x00, 0x24, 0x00, 0x1d, 0x00,
  0x20, 0x57, 0x31, 0xd1, 0x60, 0x77, 0x45, 0xc2, 0x1b, 0x9d, 0x25, 0xfb,
  0xd4, 0xe4, 0x0e, 0x30, 0x9d, 0x78, 0x7f, 0x66, 0x56, 0xd2, 0x98, 0x72,
  0x5b, 0x88, 0x11, 0x20, 0x43, 0xf8, 0xaa, 0xec, 0x46
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The ClientHello body of a captured record (header checks included). */
static void hello_body(const uint8_t *rec, size_t len, const uint8_t **body,
		       size_t *body_len)
{
	struct tls12_record_header h;
	struct tls12_hs_reasm r;
	struct tls12_hs_msg m;
	static uint8_t buf[70000 + 16384];
	bool have;

	CHECK(tls12_parse_record_header(rec, len, false, &h) == 0);
	CHECK(h.type == TLS12_CT_HANDSHAKE && h.length + 5u == len);
	tls12_hs_init(&r, buf, sizeof(buf), TLS12_MAX_CLIENT_HS_MSG);
	CHECK(tls12_hs_append(&r, rec + 5, len - 5) == 0);
	CHECK(tls12_hs_next(&r, &m, &have) == 0 && have);
	CHECK(m.type == TLS12_HT_CLIENT_HELLO && m.raw_len == len - 5);
	*body = m.body;
	*body_len = m.body_len;
}

static void test_real_hellos(void)
{
	static const uint16_t ours[] = { 0x009c, 0x009d };
	struct tls12_client_hello ch;
	const uint8_t *b;
	size_t n;
	uint16_t s;

	hello_body(ch_openssl_bin, sizeof(ch_openssl_bin), &b, &n);
	CHECK(tls12_parse_client_hello(b, n, &ch) == 0);
	CHECK(tls12_check_client_hello(&ch) == 0);
	CHECK(ch.client_version == 0x0303);
	CHECK(ch.ext_extended_master_secret && ch.reneg_scsv && !ch.ext_renegotiation_info);
	CHECK(tls12_select_suite(&ch, ours, N(ours), &s) == 0 && s == 0x009c);

	hello_body(ch_gnutls_bin, sizeof(ch_gnutls_bin), &b, &n);
	CHECK(tls12_parse_client_hello(b, n, &ch) == 0);
	CHECK(tls12_check_client_hello(&ch) == 0);
	CHECK(ch.ext_extended_master_secret && ch.ext_renegotiation_info);
	CHECK(ch.ext_supported_versions && ch.supported_versions_has_tls12);
	CHECK(tls12_select_suite(&ch, ours, N(ours), &s) == 0);

	hello_body(ch_openssl13_bin, sizeof(ch_openssl13_bin), &b, &n);
	CHECK(tls12_parse_client_hello(b, n, &ch) == 0);
	CHECK(tls12_check_client_hello(&ch) == 0);
	CHECK(ch.ext_supported_versions && ch.supported_versions_has_tls12);
	CHECK(ch.session_id_len == 32);	/* middlebox compatibility */
}

/* A ClientHello built by hand: version, suites, compression, extensions. */
static size_t make_hello(uint8_t *out, uint16_t version, const uint8_t *suites,
			 size_t suites_len, const uint8_t *comp, size_t comp_len,
			 const uint8_t *exts, size_t exts_len, bool with_exts)
{
	size_t n = 0;

	out[n++] = (uint8_t)(version >> 8);
	out[n++] = (uint8_t)version;
	memset(out + n, 0xab, 32);
	n += 32;
	out[n++] = 0;				/* session_id */
	out[n++] = (uint8_t)(suites_len >> 8);
	out[n++] = (uint8_t)suites_len;
	memcpy(out + n, suites, suites_len);
	n += suites_len;
	out[n++] = (uint8_t)comp_len;
	memcpy(out + n, comp, comp_len);
	n += comp_len;
	if (with_exts) {
		out[n++] = (uint8_t)(exts_len >> 8);
		out[n++] = (uint8_t)exts_len;
		memcpy(out + n, exts, exts_len);
		n += exts_len;
	}
	return n;
}

static void test_hello_errors(void)
{
	static const uint8_t suite_9c[] = { 0x00, 0x9c };
	static const uint8_t suite_odd[] = { 0x00, 0x9c, 0x00 };
	static const uint8_t suite_other[] = { 0xc0, 0x2f };
	static const uint8_t null_comp[] = { 0 };
	static const uint8_t deflate_only[] = { 1 };
	static const uint8_t ems[] = { 0x00, 0x17, 0x00, 0x00 };
	static const uint8_t ems_bad[] = { 0x00, 0x17, 0x00, 0x01, 0x00 };
	static const uint8_t ems_twice[] = { 0x00, 0x17, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00 };
	static const uint8_t reneg_empty[] = { 0xff, 0x01, 0x00, 0x01, 0x00 };
	static const uint8_t reneg_full[] = { 0xff, 0x01, 0x00, 0x02, 0x01, 0x55 };
	static const uint8_t reneg_bad[] = { 0xff, 0x01, 0x00, 0x02, 0x05, 0x55 };
	static const uint8_t ext_overrun[] = { 0x00, 0x00, 0x00, 0x09, 0x00 };
	static const uint8_t sv_13_only[] = { 0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04 };
	static const uint8_t sv_odd[] = { 0x00, 0x2b, 0x00, 0x02, 0x01, 0x03 };
	static const uint16_t ours[] = { 0x009c, 0x009d };
	struct tls12_client_hello ch;
	uint8_t b[512];
	size_t n;
	uint16_t s;

	n = make_hello(b, 0x0303, suite_9c, 2, null_comp, 1, NULL, 0, false);
	CHECK(tls12_parse_client_hello(b, n, &ch) == 0 && !ch.has_extensions);
	CHECK(tls12_check_client_hello(&ch) == 0);
	CHECK(tls12_select_suite(&ch, ours, N(ours), &s) == 0 && s == 0x009c);
	/* Every truncation is a decode_error. */
	while (n--)
		CHECK(tls12_parse_client_hello(b, n, &ch) == TLS12_ALERT_DECODE_ERROR);

	n = make_hello(b, 0x0301, suite_9c, 2, null_comp, 1, NULL, 0, false);
	CHECK(tls12_parse_client_hello(b, n, &ch) == 0);
	CHECK(tls12_check_client_hello(&ch) == TLS12_ALERT_PROTOCOL_VERSION);
	n = make_hello(b, 0x0304, suite_9c, 2, null_comp, 1, NULL, 0, false);
	CHECK(tls12_parse_client_hello(b, n, &ch) == 0 && tls12_check_client_hello(&ch) == 0);

	n = make_hello(b, 0x0303, suite_odd, 3, null_comp, 1, NULL, 0, false);
	CHECK(tls12_parse_client_hello(b, n, &ch) == TLS12_ALERT_DECODE_ERROR);
	n = make_hello(b, 0x0303, suite_9c, 0, null_comp, 1, NULL, 0, false);
	CHECK(tls12_parse_client_hello(b, n, &ch) == TLS12_ALERT_DECODE_ERROR);
	n = make_hello(b, 0x0303, suite_other, 2, null_comp, 1, NULL, 0, false);
	CHECK(tls12_parse_client_hello(b, n, &ch) == 0);
	CHECK(tls12_select_suite(&ch, ours, N(ours), &s) == TLS12_ALERT_HANDSHAKE_FAILURE);

	n = make_hello(b, 0x0303, suite_9c, 2, deflate_only, 1, NULL, 0, false);
	CHECK(tls12_parse_client_hello(b, n, &ch) == 0);
	CHECK(tls12_check_client_hello(&ch) == TLS12_ALERT_ILLEGAL_PARAMETER);
	n = make_hello(b, 0x0303, suite_9c, 2, null_comp, 0, NULL, 0, false);
	CHECK(tls12_parse_client_hello(b, n, &ch) == TLS12_ALERT_DECODE_ERROR);

	n = make_hello(b, 0x0303, suite_9c, 2, null_comp, 1, ems, sizeof(ems), true);
	CHECK(tls12_parse_client_hello(b, n, &ch) == 0 && ch.ext_extended_master_secret);
	n = make_hello(b, 0x0303, suite_9c, 2, null_comp, 1, ems_bad, sizeof(ems_bad), true);
	CHECK(tls12_parse_client_hello(b, n, &ch) == TLS12_ALERT_DECODE_ERROR);
	n = make_hello(b, 0x0303, suite_9c, 2, null_comp, 1, ems_twice, sizeof(ems_twice), true);
	CHECK(tls12_parse_client_hello(b, n, &ch) == TLS12_ALERT_ILLEGAL_PARAMETER);
	n = make_hello(b, 0x0303, suite_9c, 2, null_comp, 1, reneg_empty, sizeof(reneg_empty), true);
	CHECK(tls12_parse_client_hello(b, n, &ch) == 0 && ch.ext_renegotiation_info);
	n = make_hello(b, 0x0303, suite_9c, 2, null_comp, 1, reneg_full, sizeof(reneg_full), true);
	CHECK(tls12_parse_client_hello(b, n, &ch) == TLS12_ALERT_HANDSHAKE_FAILURE);
	n = make_hello(b, 0x0303, suite_9c, 2, null_comp, 1, reneg_bad, sizeof(reneg_bad), true);
	CHECK(tls12_parse_client_hello(b, n, &ch) == TLS12_ALERT_DECODE_ERROR);
	n = make_hello(b, 0x0303, suite_9c, 2, null_comp, 1, ext_overrun, sizeof(ext_overrun), true);
	CHECK(tls12_parse_client_hello(b, n, &ch) == TLS12_ALERT_DECODE_ERROR);
	n = make_hello(b, 0x0303, suite_9c, 2, null_comp, 1, sv_13_only, sizeof(sv_13_only), true);
	CHECK(tls12_parse_client_hello(b, n, &ch) == 0);
	CHECK(tls12_check_client_hello(&ch) == TLS12_ALERT_PROTOCOL_VERSION);
	n = make_hello(b, 0x0303, suite_9c, 2, null_comp, 1, sv_odd, sizeof(sv_odd), true);
	CHECK(tls12_parse_client_hello(b, n, &ch) == TLS12_ALERT_DECODE_ERROR);
	/* An extensions block that does not end the message. */
	n = make_hello(b, 0x0303, suite_9c, 2, null_comp, 1, ems, sizeof(ems), true);
	b[n++] = 0;
	CHECK(tls12_parse_client_hello(b, n, &ch) == TLS12_ALERT_DECODE_ERROR);
	/* A session_id longer than 32. */
	n = make_hello(b, 0x0303, suite_9c, 2, null_comp, 1, NULL, 0, false);
	b[34] = 33;
	CHECK(tls12_parse_client_hello(b, n, &ch) == TLS12_ALERT_DECODE_ERROR);
	CHECK(tls12_parse_client_hello(NULL, 0, &ch) == TLS12_ALERT_DECODE_ERROR);
}

static void test_records(void)
{
	struct tls12_record_header h;
	uint8_t r[5] = { 22, 3, 3, 0x40, 0x00 };

	CHECK(tls12_parse_record_header(r, 5, false, &h) == 0 && h.length == 16384);
	r[4] = 1;
	CHECK(tls12_parse_record_header(r, 5, false, &h) == TLS12_ALERT_RECORD_OVERFLOW);
	CHECK(tls12_parse_record_header(r, 5, true, &h) == 0);
	r[3] = 0x48;
	r[4] = 0x00;
	CHECK(tls12_parse_record_header(r, 5, true, &h) == 0);
	r[4] = 0x01;
	CHECK(tls12_parse_record_header(r, 5, true, &h) == TLS12_ALERT_RECORD_OVERFLOW);
	r[3] = 0;
	r[4] = 0;
	CHECK(tls12_parse_record_header(r, 5, false, &h) == TLS12_ALERT_DECODE_ERROR);
	r[0] = 23;
	CHECK(tls12_parse_record_header(r, 5, false, &h) == 0);
	r[0] = 24;
	r[4] = 1;
	CHECK(tls12_parse_record_header(r, 5, false, &h) == TLS12_ALERT_UNEXPECTED_MESSAGE);
	r[0] = 0x80;	/* SSL 2.0 */
	CHECK(tls12_parse_record_header(r, 5, false, &h) == TLS12_ALERT_UNEXPECTED_MESSAGE);
	r[0] = 22;
	r[1] = 2;
	CHECK(tls12_parse_record_header(r, 5, false, &h) == TLS12_ALERT_PROTOCOL_VERSION);
	CHECK(tls12_parse_record_header(r, 4, false, &h) == TLS12_ALERT_DECODE_ERROR);
}

static void test_reassembly(void)
{
	static uint8_t buf[4 + 100 + 16384];
	/* Three messages: 1 (3 bytes), 16 (0 bytes), 20 (12 bytes). */
	static const uint8_t stream[] = {
		1, 0, 0, 3, 'a', 'b', 'c',
		16, 0, 0, 0,
		20, 0, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	};
	struct tls12_hs_reasm r;
	struct tls12_hs_msg m;
	size_t split, i;
	bool have;

	/* Every way of cutting the stream in two records gives the same messages. */
	for (split = 0; split <= sizeof(stream); split++) {
		int got = 0;

		tls12_hs_init(&r, buf, sizeof(buf), 100);
		CHECK(tls12_hs_append(&r, stream, split) == 0);
		for (i = 0; i < 2; i++) {
			for (;;) {
				CHECK(tls12_hs_next(&r, &m, &have) == 0);
				if (!have)
					break;
				got++;
				if (m.type == 1)
					CHECK(m.body_len == 3 && !memcmp(m.body, "abc", 3));
				if (m.type == 16)
					CHECK(m.body_len == 0 && m.raw_len == 4);
				if (m.type == 20) {
					const uint8_t *vd;

					CHECK(tls12_parse_finished(m.body, m.body_len, &vd) == 0);
					CHECK(vd[11] == 12);
				}
			}
			if (!i)
				CHECK(tls12_hs_append(&r, stream + split,
						      sizeof(stream) - split) == 0);
		}
		CHECK(got == 3);
		CHECK(tls12_hs_pending(&r) == 0);
	}
	/* Byte by byte. */
	tls12_hs_init(&r, buf, sizeof(buf), 100);
	{
		int got = 0;

		for (i = 0; i < sizeof(stream); i++) {
			CHECK(tls12_hs_append(&r, stream + i, 1) == 0);
			while (tls12_hs_next(&r, &m, &have) == 0 && have)
				got++;
		}
		CHECK(got == 3);
	}
	/* A declared length over the limit is refused at once. */
	{
		static const uint8_t big[] = { 1, 0, 0, 101 };

		tls12_hs_init(&r, buf, sizeof(buf), 100);
		CHECK(tls12_hs_append(&r, big, sizeof(big)) == 0);
		CHECK(tls12_hs_next(&r, &m, &have) == TLS12_ALERT_ILLEGAL_PARAMETER);
	}
	/* More than the buffer holds. */
	{
		static uint8_t tiny[8];
		static const uint8_t part[] = { 1, 0, 0, 3, 'a' };

		tls12_hs_init(&r, tiny, sizeof(tiny), 100);
		CHECK(tls12_hs_append(&r, part, sizeof(part)) == 0);
		CHECK(tls12_hs_append(&r, part, sizeof(part)) == TLS12_ALERT_ILLEGAL_PARAMETER);
	}
}

static void test_small_messages(void)
{
	static const uint8_t cke[] = { 0x00, 0x03, 1, 2, 3 };
	static const uint8_t cke_short[] = { 0x00, 0x04, 1, 2, 3 };
	static const uint8_t cke_long[] = { 0x00, 0x02, 1, 2, 3 };
	static const uint8_t cke_empty[] = { 0x00, 0x00 };
	const uint8_t *enc, *vd;
	uint8_t level, desc, one = 1, two = 2;
	size_t enc_len;

	CHECK(tls12_parse_client_key_exchange(cke, sizeof(cke), &enc, &enc_len) == 0 &&
	      enc_len == 3 && enc == cke + 2);
	CHECK(tls12_parse_client_key_exchange(cke_short, sizeof(cke_short), &enc, &enc_len) ==
	      TLS12_ALERT_DECODE_ERROR && !enc);
	CHECK(tls12_parse_client_key_exchange(cke_long, sizeof(cke_long), &enc, &enc_len) ==
	      TLS12_ALERT_DECODE_ERROR);
	CHECK(tls12_parse_client_key_exchange(cke_empty, sizeof(cke_empty), &enc, &enc_len) ==
	      TLS12_ALERT_DECODE_ERROR);
	CHECK(tls12_parse_client_key_exchange(cke, 1, &enc, &enc_len) == TLS12_ALERT_DECODE_ERROR);

	CHECK(tls12_parse_change_cipher_spec(&one, 1) == 0);
	CHECK(tls12_parse_change_cipher_spec(&two, 1) == TLS12_ALERT_ILLEGAL_PARAMETER);
	CHECK(tls12_parse_change_cipher_spec(cke, 2) == TLS12_ALERT_DECODE_ERROR);

	CHECK(tls12_parse_finished(cke, 11, &vd) == TLS12_ALERT_DECODE_ERROR && !vd);

	CHECK(tls12_parse_alert((const uint8_t[]){ 1, 0 }, 2, &level, &desc) == 0 && desc == 0);
	CHECK(tls12_parse_alert((const uint8_t[]){ 3, 0 }, 2, &level, &desc) ==
	      TLS12_ALERT_ILLEGAL_PARAMETER);
	CHECK(tls12_parse_alert(cke, 3, &level, &desc) == TLS12_ALERT_DECODE_ERROR);
	CHECK(!strcmp(tls12_alert_name(40), "handshake_failure"));
}

static void test_builders(void)
{
	struct tls12_server_hello_params p = { .cipher_suite = 0x009d };
	static const uint8_t c1[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
	static const uint8_t c2[] = { 0x30, 0x00 };
	const uint8_t *certs[] = { c1, c2 };
	size_t lens[] = { sizeof(c1), sizeof(c2) };
	uint8_t out[256], vd[12];
	size_t n;

	memset(p.random, 7, sizeof(p.random));
	n = tls12_build_server_hello(out, sizeof(out), &p);
	CHECK(n == 4 + 2 + 32 + 1 + 2 + 1);
	CHECK(out[0] == 2 && out[3] == n - 4 && out[4] == 3 && out[5] == 3);
	CHECK(out[n - 3] == 0x00 && out[n - 2] == 0x9d && out[n - 1] == 0);
	CHECK(tls12_build_server_hello(NULL, 0, &p) == n);
	CHECK(tls12_build_server_hello(out, n - 1, &p) == 0);

	p.renegotiation_info = true;
	p.extended_master_secret = true;
	n = tls12_build_server_hello(out, sizeof(out), &p);
	CHECK(n == 42 + 2 + 5 + 4);
	CHECK(out[42] == 0 && out[43] == 9);
	CHECK(out[44] == 0xff && out[45] == 0x01 && out[46] == 0 && out[47] == 1 && out[48] == 0);
	CHECK(out[49] == 0x00 && out[50] == 0x17 && out[51] == 0 && out[52] == 0);

	n = tls12_build_certificate(out, sizeof(out), certs, lens, 2);
	CHECK(n == 4 + 3 + 3 + 5 + 3 + 2);
	CHECK(out[0] == 11 && out[3] == n - 4 && out[6] == n - 7 && out[9] == 5);
	CHECK(tls12_build_certificate(NULL, 0, certs, lens, 2) == n);
	CHECK(tls12_build_certificate(out, n - 1, certs, lens, 2) == 0);
	CHECK(tls12_build_certificate(out, sizeof(out), certs, lens, 0) == 0);

	n = tls12_build_server_hello_done(out, sizeof(out));
	CHECK(n == 4 && out[0] == 14 && out[3] == 0);

	memset(vd, 0x5a, sizeof(vd));
	n = tls12_build_finished(out, sizeof(out), vd);
	CHECK(n == 16 && out[0] == 20 && out[3] == 12 && out[15] == 0x5a);
}

/*
 * Mutations of the real ClientHellos through the whole receive path:
 * nothing may crash or read out of bounds (ASan watches), and anything
 * that passes must be consistent.
 */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)rng_state;
}

static void feed(const uint8_t *data, size_t len)
{
	static uint8_t buf[4 + TLS12_MAX_CLIENT_HS_MSG + TLS12_MAX_PLAINTEXT];
	static const uint16_t ours[] = { 0x009c, 0x009d };
	struct tls12_client_hello ch;
	struct tls12_record_header h;
	struct tls12_hs_reasm r;
	struct tls12_hs_msg m;
	uint8_t *copy;
	bool have;
	uint16_t s;

	/* An exact-size heap copy, so ASan sees any overread. */
	copy = malloc(len ? len : 1);
	if (!copy)
		abort();
	memcpy(copy, data, len);
	if (len >= 5 && tls12_parse_record_header(copy, len, false, &h) == 0) {
		size_t frag = len - 5 < h.length ? len - 5 : h.length;

		tls12_hs_init(&r, buf, sizeof(buf), TLS12_MAX_CLIENT_HS_MSG);
		if (tls12_hs_append(&r, copy + 5, frag) == 0) {
			while (tls12_hs_next(&r, &m, &have) == 0 && have) {
				if (tls12_parse_client_hello(m.body, m.body_len, &ch) == 0) {
					CHECK(ch.session_id_len <= 32);
					CHECK(ch.cipher_suites_len % 2 == 0);
					(void)tls12_check_client_hello(&ch);
					if (tls12_select_suite(&ch, ours, 2, &s) == 0)
						CHECK(s == 0x009c || s == 0x009d);
				}
			}
		}
	}
	free(copy);
}

static void mutate_run(const uint8_t *seed, size_t len, unsigned int rounds)
{
	uint8_t *b = malloc(len + 64);
	unsigned int i, k;

	if (!b)
		abort();
	for (i = 0; i < rounds; i++) {
		size_t n = len;

		memcpy(b, seed, len);
		for (k = 1 + rnd() % 4; k; k--) {
			switch (rnd() % 4) {
			case 0: b[rnd() % n] ^= (uint8_t)(1u << (rnd() % 8)); break;
			case 1: b[rnd() % n] = (uint8_t)rnd(); break;
			case 2: n = 1 + rnd() % n; break;
			default: b[rnd() % n] = (rnd() & 1) ? 0xff : 0x00; break;
			}
		}
		feed(b, n);
	}
	free(b);
}

int main(int argc, char **argv)
{
	unsigned int rounds = argc > 1 ? (unsigned int)strtoul(argv[1], NULL, 10) : 100000;

	test_records();
	test_reassembly();
	test_real_hellos();
	test_hello_errors();
	test_small_messages();
	test_builders();
	mutate_run(ch_openssl_bin, sizeof(ch_openssl_bin), rounds);
	mutate_run(ch_gnutls_bin, sizeof(ch_gnutls_bin), rounds);
	mutate_run(ch_openssl13_bin, sizeof(ch_openssl13_bin), rounds);

	printf("tls12-parse-test: %d checks, %d failed (%u mutations per seed)\n",
	       checks, failures, rounds);
	return failures ? 1 : 0;
}
