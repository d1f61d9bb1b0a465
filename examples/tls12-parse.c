// SPDX-License-Identifier: GPL-2.0
/*
 * tls12-parse.c - TLS 1.2 message parsing and building for the example
 * server; see tls12-parse.h.  Every read goes through struct rd, which
 * never reads past its end: a failed read leaves the reader failed, and
 * callers check once after a group of reads.
 */
#include <string.h>

#include "tls12-parse.h"

/* ------------------------------------------------------------------------
 * Bounds-checked reader
 * ------------------------------------------------------------------------ */

struct rd {
	const uint8_t *p;
	size_t left;
	bool bad;		/* a read ran past the end */
};

static void rd_init(struct rd *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->left = p ? len : 0;
	r->bad = false;
}

static bool rd_take(struct rd *r, size_t n, const uint8_t **out)
{
	if (r->bad || n > r->left) {
		r->bad = true;
		r->left = 0;
		*out = NULL;
		return false;
	}
	*out = r->p;
	r->p += n;
	r->left -= n;
	return true;
}

static uint32_t rd_uint(struct rd *r, size_t n)
{
	const uint8_t *p;
	uint32_t v = 0;
	size_t i;

	if (!rd_take(r, n, &p))
		return 0;
	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static uint8_t rd_u8(struct rd *r)
{
	return (uint8_t)rd_uint(r, 1);
}

static uint16_t rd_u16(struct rd *r)
{
	return (uint16_t)rd_uint(r, 2);
}

static uint32_t rd_u24(struct rd *r)
{
	return rd_uint(r, 3);
}

/*
 * A vector with an @lenbytes-byte length prefix: @sub reads its content.
 * The content must lie within @r.
 */
static bool rd_vector(struct rd *r, size_t lenbytes, struct rd *sub)
{
	const uint8_t *p;
	size_t n = rd_uint(r, lenbytes);

	if (r->bad || !rd_take(r, n, &p)) {
		rd_init(sub, NULL, 0);
		sub->bad = true;
		return false;
	}
	rd_init(sub, p, n);
	return true;
}

/* ------------------------------------------------------------------------
 * Writer: the mirror image, for our own messages.
 * ------------------------------------------------------------------------ */

struct wr {
	uint8_t *p;		/* NULL: only count */
	size_t cap;
	size_t len;
	bool bad;		/* ran out of room */
};

static void wr_init(struct wr *w, uint8_t *p, size_t cap)
{
	w->p = p;
	w->cap = p ? cap : SIZE_MAX;
	w->len = 0;
	w->bad = false;
}

static void wr_bytes(struct wr *w, const void *src, size_t n)
{
	if (w->bad || n > w->cap - w->len) {
		w->bad = true;
		return;
	}
	if (w->p && n)
		memcpy(w->p + w->len, src, n);
	w->len += n;
}

static void wr_uint(struct wr *w, uint32_t v, size_t n)
{
	uint8_t b[4];
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	wr_bytes(w, b, n);
}

/* Fill in an n-byte length at @at, counting from @at + n to the end. */
static void wr_patch_len(struct wr *w, size_t at, size_t n)
{
	size_t len, i;

	if (w->bad || !w->p)
		return;
	len = w->len - at - n;
	for (i = 0; i < n; i++)
		w->p[at + i] = (uint8_t)(len >> (8 * (n - 1 - i)));
}

static size_t wr_done(const struct wr *w)
{
	return w->bad ? 0 : w->len;
}

/* ------------------------------------------------------------------------
 * Records
 * ------------------------------------------------------------------------ */

int tls12_parse_record_header(const uint8_t *buf, size_t len, bool protected,
			      struct tls12_record_header *out)
{
	struct rd r;

	memset(out, 0, sizeof(*out));
	if (!buf || len < TLS12_RECORD_HEADER_LEN)
		return TLS12_ALERT_DECODE_ERROR;
	rd_init(&r, buf, len);
	out->type = rd_u8(&r);
	out->version = rd_u16(&r);
	out->length = rd_u16(&r);

	switch (out->type) {
	case TLS12_CT_CHANGE_CIPHER_SPEC:
	case TLS12_CT_ALERT:
	case TLS12_CT_HANDSHAKE:
	case TLS12_CT_APPLICATION_DATA:
		break;
	default:
		/* Also what an SSL 2.0 ClientHello looks like. */
		return TLS12_ALERT_UNEXPECTED_MESSAGE;
	}
	if ((out->version >> 8) != 3)
		return TLS12_ALERT_PROTOCOL_VERSION;
	if (out->length > (protected ? TLS12_MAX_CIPHERTEXT : TLS12_MAX_PLAINTEXT))
		return TLS12_ALERT_RECORD_OVERFLOW;
	/* RFC 5246 6.2.1: no empty handshake, alert or CCS fragments. */
	if (out->length == 0 && out->type != TLS12_CT_APPLICATION_DATA)
		return TLS12_ALERT_DECODE_ERROR;
	return 0;
}

void tls12_put_record_header(uint8_t *out, uint8_t type, uint16_t version,
			     uint16_t length)
{
	out[0] = type;
	out[1] = (uint8_t)(version >> 8);
	out[2] = (uint8_t)version;
	out[3] = (uint8_t)(length >> 8);
	out[4] = (uint8_t)length;
}

/* ------------------------------------------------------------------------
 * Handshake reassembly
 * ------------------------------------------------------------------------ */

void tls12_hs_init(struct tls12_hs_reasm *r, uint8_t *buf, size_t cap,
		   size_t max_body)
{
	r->buf = buf;
	r->cap = buf ? cap : 0;
	r->len = 0;
	r->max_body = max_body;
	r->taken = 0;
}

/* Forget the message returned last. */
static void hs_drop_taken(struct tls12_hs_reasm *r)
{
	if (r->taken) {
		memmove(r->buf, r->buf + r->taken, r->len - r->taken);
		r->len -= r->taken;
		r->taken = 0;
	}
}

int tls12_hs_append(struct tls12_hs_reasm *r, const uint8_t *data, size_t len)
{
	hs_drop_taken(r);
	if (!len)
		return 0;
	if (!data || len > r->cap - r->len)
		return TLS12_ALERT_ILLEGAL_PARAMETER;
	memcpy(r->buf + r->len, data, len);
	r->len += len;
	return 0;
}

int tls12_hs_next(struct tls12_hs_reasm *r, struct tls12_hs_msg *msg, bool *have)
{
	struct rd rd;
	uint32_t body_len;
	uint8_t type;

	*have = false;
	memset(msg, 0, sizeof(*msg));
	hs_drop_taken(r);
	if (r->len < TLS12_HS_HEADER_LEN)
		return 0;
	rd_init(&rd, r->buf, r->len);
	type = rd_u8(&rd);
	body_len = rd_u24(&rd);
	/* Judge the length as soon as the header is in, not at the end. */
	if (body_len > r->max_body ||
	    body_len > r->cap - TLS12_HS_HEADER_LEN)
		return TLS12_ALERT_ILLEGAL_PARAMETER;
	if (r->len - TLS12_HS_HEADER_LEN < body_len)
		return 0;
	msg->type = type;
	msg->raw = r->buf;
	msg->raw_len = TLS12_HS_HEADER_LEN + (size_t)body_len;
	msg->body = r->buf + TLS12_HS_HEADER_LEN;
	msg->body_len = body_len;
	r->taken = msg->raw_len;
	*have = true;
	return 0;
}

size_t tls12_hs_pending(const struct tls12_hs_reasm *r)
{
	return r->len - r->taken;
}

/* ------------------------------------------------------------------------
 * ClientHello
 * ------------------------------------------------------------------------ */

/* renegotiation_info: opaque renegotiated_connection<0..255>. */
static int parse_ext_renegotiation_info(struct rd *data,
					struct tls12_client_hello *ch)
{
	struct rd conn;

	rd_vector(data, 1, &conn);
	if (data->bad || data->left)
		return TLS12_ALERT_DECODE_ERROR;
	/* Initial handshake: must be empty (RFC 5746 section 3.6). */
	if (conn.left)
		return TLS12_ALERT_HANDSHAKE_FAILURE;
	ch->ext_renegotiation_info = true;
	return 0;
}

/* supported_versions (ClientHello): ProtocolVersion versions<2..254>. */
static int parse_ext_supported_versions(struct rd *data,
					struct tls12_client_hello *ch)
{
	struct rd list;

	rd_vector(data, 1, &list);
	if (data->bad || data->left || list.left < 2 || list.left % 2)
		return TLS12_ALERT_DECODE_ERROR;
	while (list.left) {
		if (rd_u16(&list) == TLS12_VERSION)
			ch->supported_versions_has_tls12 = true;
	}
	ch->ext_supported_versions = true;
	return 0;
}

static int parse_extensions(struct rd *exts, struct tls12_client_hello *ch)
{
	/* One bit per extension type: each may appear once (RFC 5246 7.4.1.4). */
	uint8_t seen[65536 / 8];
	int ret;

	memset(seen, 0, sizeof(seen));
	while (exts->left) {
		uint16_t type = rd_u16(exts);
		struct rd data;

		rd_vector(exts, 2, &data);
		if (exts->bad)
			return TLS12_ALERT_DECODE_ERROR;
		if (seen[type / 8] & (1u << (type % 8)))
			return TLS12_ALERT_ILLEGAL_PARAMETER;
		seen[type / 8] |= (uint8_t)(1u << (type % 8));

		switch (type) {
		case TLS12_EXT_RENEGOTIATION_INFO:
			ret = parse_ext_renegotiation_info(&data, ch);
			break;
		case TLS12_EXT_EXTENDED_MASTER_SECRET:
			/* extension_data is empty (RFC 7627 section 5.1). */
			ret = data.left ? TLS12_ALERT_DECODE_ERROR : 0;
			ch->ext_extended_master_secret = true;
			break;
		case TLS12_EXT_SUPPORTED_VERSIONS:
			ret = parse_ext_supported_versions(&data, ch);
			break;
		default:
			/* Not ours to interpret: ignored, never echoed. */
			ret = 0;
			break;
		}
		if (ret)
			return ret;
	}
	return 0;
}

int tls12_parse_client_hello(const uint8_t *body, size_t len,
			     struct tls12_client_hello *ch)
{
	struct rd r, sid, suites, comp, exts;
	const uint8_t *p;

	memset(ch, 0, sizeof(*ch));
	rd_init(&r, body, len);

	ch->client_version = rd_u16(&r);
	if (rd_take(&r, TLS12_RANDOM_LEN, &p))
		memcpy(ch->random, p, TLS12_RANDOM_LEN);

	/* SessionID session_id<0..32> */
	rd_vector(&r, 1, &sid);
	if (r.bad || sid.left > TLS12_MAX_SESSION_ID)
		return TLS12_ALERT_DECODE_ERROR;
	ch->session_id_len = (uint8_t)sid.left;
	if (sid.left)
		memcpy(ch->session_id, sid.p, sid.left);

	/* CipherSuite cipher_suites<2..2^16-2> */
	rd_vector(&r, 2, &suites);
	if (r.bad || suites.left < 2 || suites.left % 2)
		return TLS12_ALERT_DECODE_ERROR;
	ch->cipher_suites = suites.p;
	ch->cipher_suites_len = suites.left;
	while (suites.left) {
		uint16_t s = rd_u16(&suites);

		if (s == TLS12_EMPTY_RENEGOTIATION_INFO_SCSV)
			ch->reneg_scsv = true;
		else if (s == TLS12_FALLBACK_SCSV)
			ch->fallback_scsv = true;
	}

	/* CompressionMethod compression_methods<1..2^8-1> */
	rd_vector(&r, 1, &comp);
	if (r.bad || comp.left < 1)
		return TLS12_ALERT_DECODE_ERROR;
	while (comp.left) {
		if (rd_u8(&comp) == 0)
			ch->offers_null_compression = true;
	}

	/* Extension extensions<0..2^16-1>, or nothing at all. */
	if (!r.left)
		return 0;
	ch->has_extensions = true;
	rd_vector(&r, 2, &exts);
	if (r.bad || r.left)
		return TLS12_ALERT_DECODE_ERROR;
	return parse_extensions(&exts, ch);
}

int tls12_check_client_hello(const struct tls12_client_hello *ch)
{
	if (ch->client_version < TLS12_VERSION)
		return TLS12_ALERT_PROTOCOL_VERSION;
	/* A client that lists its versions must list ours. */
	if (ch->ext_supported_versions && !ch->supported_versions_has_tls12)
		return TLS12_ALERT_PROTOCOL_VERSION;
	if (!ch->offers_null_compression)
		return TLS12_ALERT_ILLEGAL_PARAMETER;
	return 0;
}

int tls12_select_suite(const struct tls12_client_hello *ch,
		       const uint16_t *ours, size_t n_ours, uint16_t *out)
{
	struct rd r;
	size_t i;

	rd_init(&r, ch->cipher_suites, ch->cipher_suites_len);
	while (r.left >= 2) {
		uint16_t s = rd_u16(&r);

		for (i = 0; i < n_ours; i++) {
			if (ours[i] == s) {
				*out = s;
				return 0;
			}
		}
	}
	return TLS12_ALERT_HANDSHAKE_FAILURE;
}

/* ------------------------------------------------------------------------
 * The client's other messages
 * ------------------------------------------------------------------------ */

int tls12_parse_client_key_exchange(const uint8_t *body, size_t len,
				    const uint8_t **enc, size_t *enc_len)
{
	struct rd r, v;

	*enc = NULL;
	*enc_len = 0;
	rd_init(&r, body, len);
	/* EncryptedPreMasterSecret: public-key-encrypted opaque<0..2^16-1> */
	rd_vector(&r, 2, &v);
	if (r.bad || r.left || !v.left)
		return TLS12_ALERT_DECODE_ERROR;
	*enc = v.p;
	*enc_len = v.left;
	return 0;
}

int tls12_parse_change_cipher_spec(const uint8_t *frag, size_t len)
{
	if (!frag || len != 1)
		return TLS12_ALERT_DECODE_ERROR;
	return frag[0] == 1 ? 0 : TLS12_ALERT_ILLEGAL_PARAMETER;
}

int tls12_parse_finished(const uint8_t *body, size_t len,
			 const uint8_t **verify_data)
{
	*verify_data = NULL;
	if (!body || len != TLS12_VERIFY_DATA_LEN)
		return TLS12_ALERT_DECODE_ERROR;
	*verify_data = body;
	return 0;
}

int tls12_parse_alert(const uint8_t *frag, size_t len, uint8_t *level,
		      uint8_t *description)
{
	*level = 0;
	*description = 0;
	if (!frag || len != 2)
		return TLS12_ALERT_DECODE_ERROR;
	*level = frag[0];
	*description = frag[1];
	if (*level != TLS12_ALERT_WARNING && *level != TLS12_ALERT_FATAL)
		return TLS12_ALERT_ILLEGAL_PARAMETER;
	return 0;
}

const char *tls12_alert_name(uint8_t description)
{
	switch (description) {
	case 0: return "close_notify";
	case 10: return "unexpected_message";
	case 20: return "bad_record_mac";
	case 21: return "decryption_failed";
	case 22: return "record_overflow";
	case 30: return "decompression_failure";
	case 40: return "handshake_failure";
	case 42: return "bad_certificate";
	case 43: return "unsupported_certificate";
	case 44: return "certificate_revoked";
	case 45: return "certificate_expired";
	case 46: return "certificate_unknown";
	case 47: return "illegal_parameter";
	case 48: return "unknown_ca";
	case 49: return "access_denied";
	case 50: return "decode_error";
	case 51: return "decrypt_error";
	case 70: return "protocol_version";
	case 71: return "insufficient_security";
	case 80: return "internal_error";
	case 86: return "inappropriate_fallback";
	case 90: return "user_canceled";
	case 100: return "no_renegotiation";
	case 109: return "missing_extension";
	case 110: return "unsupported_extension";
	case 112: return "unrecognized_name";
	case 116: return "certificate_required";
	case 120: return "no_application_protocol";
	default: return "unknown";
	}
}

/* ------------------------------------------------------------------------
 * The server's messages
 * ------------------------------------------------------------------------ */

/* Start a handshake message; returns where its 24-bit length goes. */
static size_t hs_begin(struct wr *w, uint8_t type)
{
	size_t at;

	wr_uint(w, type, 1);
	at = w->len;
	wr_uint(w, 0, 3);
	return at;
}

size_t tls12_build_server_hello(uint8_t *out, size_t cap,
				const struct tls12_server_hello_params *p)
{
	size_t msg_len, ext_len;
	struct wr w;

	wr_init(&w, out, cap);
	msg_len = hs_begin(&w, TLS12_HT_SERVER_HELLO);
	wr_uint(&w, TLS12_VERSION, 2);
	wr_bytes(&w, p->random, TLS12_RANDOM_LEN);
	wr_uint(&w, 0, 1);		/* empty session_id: no resumption */
	wr_uint(&w, p->cipher_suite, 2);
	wr_uint(&w, 0, 1);		/* compression_method null */
	if (p->renegotiation_info || p->extended_master_secret) {
		ext_len = w.len;
		wr_uint(&w, 0, 2);
		if (p->renegotiation_info) {
			/* renegotiated_connection<0..255>, empty */
			wr_uint(&w, TLS12_EXT_RENEGOTIATION_INFO, 2);
			wr_uint(&w, 1, 2);
			wr_uint(&w, 0, 1);
		}
		if (p->extended_master_secret) {
			wr_uint(&w, TLS12_EXT_EXTENDED_MASTER_SECRET, 2);
			wr_uint(&w, 0, 2);
		}
		wr_patch_len(&w, ext_len, 2);
	}
	wr_patch_len(&w, msg_len, 3);
	return wr_done(&w);
}

size_t tls12_build_certificate(uint8_t *out, size_t cap,
			       const uint8_t *const *certs,
			       const size_t *cert_lens, size_t n)
{
	size_t msg_len, list_len, i;
	struct wr w;

	if (!n)
		return 0;
	wr_init(&w, out, cap);
	msg_len = hs_begin(&w, TLS12_HT_CERTIFICATE);
	list_len = w.len;
	wr_uint(&w, 0, 3);
	for (i = 0; i < n; i++) {
		/* ASN.1Cert<1..2^24-1> */
		if (!cert_lens[i] || cert_lens[i] > 0xffffff)
			return 0;
		wr_uint(&w, (uint32_t)cert_lens[i], 3);
		wr_bytes(&w, certs[i], cert_lens[i]);
	}
	/* Both lengths must fit in 24 bits. */
	if (w.bad || w.len - msg_len - 3 > 0xffffff)
		return 0;
	wr_patch_len(&w, list_len, 3);
	wr_patch_len(&w, msg_len, 3);
	return wr_done(&w);
}

size_t tls12_build_server_hello_done(uint8_t *out, size_t cap)
{
	struct wr w;

	wr_init(&w, out, cap);
	hs_begin(&w, TLS12_HT_SERVER_HELLO_DONE);	/* empty body */
	return wr_done(&w);
}

size_t tls12_build_finished(uint8_t *out, size_t cap,
			    const uint8_t verify_data[TLS12_VERIFY_DATA_LEN])
{
	size_t msg_len;
	struct wr w;

	wr_init(&w, out, cap);
	msg_len = hs_begin(&w, TLS12_HT_FINISHED);
	wr_bytes(&w, verify_data, TLS12_VERIFY_DATA_LEN);
	wr_patch_len(&w, msg_len, 3);
	return wr_done(&w);
}
