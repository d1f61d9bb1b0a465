/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tls12-parse.h - the TLS 1.2 wire format of the example server: record
 * headers, handshake reassembly, ClientHello, ClientKeyExchange,
 * ChangeCipherSpec, Finished and alerts in; ServerHello, Certificate,
 * ServerHelloDone and Finished out.
 *
 * Pure functions: no I/O, no allocation, no global state, no secrets.
 * Every input is (pointer, length) and is read through bounds-checked
 * readers only, so any byte string is a valid input: these functions are
 * meant to be fuzzed.
 *
 * Convention: functions that judge peer input return 0 when it is
 * acceptable, otherwise the TLS AlertDescription (RFC 5246 section 7.2)
 * to send in a fatal alert, always > 0.
 */
#ifndef TLS12_PARSE_H
#define TLS12_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Content types (RFC 5246 section 6.2.1) */
#define TLS12_CT_CHANGE_CIPHER_SPEC	20
#define TLS12_CT_ALERT			21
#define TLS12_CT_HANDSHAKE		22
#define TLS12_CT_APPLICATION_DATA	23

/* Handshake types (RFC 5246 section 7.4) */
#define TLS12_HT_HELLO_REQUEST		0
#define TLS12_HT_CLIENT_HELLO		1
#define TLS12_HT_SERVER_HELLO		2
#define TLS12_HT_CERTIFICATE		11
#define TLS12_HT_SERVER_HELLO_DONE	14
#define TLS12_HT_CLIENT_KEY_EXCHANGE	16
#define TLS12_HT_FINISHED		20

/* Alert levels and descriptions (RFC 5246 section 7.2, RFC 5746) */
#define TLS12_ALERT_WARNING		1
#define TLS12_ALERT_FATAL		2

#define TLS12_ALERT_CLOSE_NOTIFY	0
#define TLS12_ALERT_UNEXPECTED_MESSAGE	10
#define TLS12_ALERT_BAD_RECORD_MAC	20
#define TLS12_ALERT_RECORD_OVERFLOW	22
#define TLS12_ALERT_HANDSHAKE_FAILURE	40
#define TLS12_ALERT_ILLEGAL_PARAMETER	47
#define TLS12_ALERT_DECODE_ERROR	50
#define TLS12_ALERT_DECRYPT_ERROR	51
#define TLS12_ALERT_PROTOCOL_VERSION	70
#define TLS12_ALERT_INTERNAL_ERROR	80
#define TLS12_ALERT_USER_CANCELED	90
#define TLS12_ALERT_NO_RENEGOTIATION	100

/* Extensions this server looks at */
#define TLS12_EXT_EXTENDED_MASTER_SECRET	0x0017	/* RFC 7627 */
#define TLS12_EXT_SUPPORTED_VERSIONS		0x002b	/* RFC 8446 */
#define TLS12_EXT_RENEGOTIATION_INFO		0xff01	/* RFC 5746 */

/* Signalling cipher suite values */
#define TLS12_EMPTY_RENEGOTIATION_INFO_SCSV	0x00ff	/* RFC 5746 */
#define TLS12_FALLBACK_SCSV			0x5600	/* RFC 7507 */

#define TLS12_VERSION			0x0303
#define TLS12_RANDOM_LEN		32
#define TLS12_MAX_SESSION_ID		32
#define TLS12_VERIFY_DATA_LEN		12

#define TLS12_RECORD_HEADER_LEN		5
#define TLS12_MAX_PLAINTEXT		16384			/* 2^14 */
#define TLS12_MAX_CIPHERTEXT		(16384 + 2048)		/* 2^14 + 2048 */
#define TLS12_HS_HEADER_LEN		4

/* Largest handshake message this server accepts from a client. */
#define TLS12_MAX_CLIENT_HS_MSG		65536

/* ------------------------------------------------------------------------
 * Records
 * ------------------------------------------------------------------------ */

struct tls12_record_header {
	uint8_t type;
	uint16_t version;
	uint16_t length;
};

/**
 * tls12_parse_record_header() - judge a 5-byte record header.
 * @buf: the header bytes.
 * @len: bytes at @buf (at least TLS12_RECORD_HEADER_LEN, else decode_error).
 * @protected: whether the record is protected by a read key (the length
 *	limit is then 2^14 + 2048, else 2^14).
 * @out: the fields.
 *
 * Accepts the four content types, any version 3.x, a non-zero length up to
 * the limit (a zero length is only legal for application data, which comes
 * after the handshake, and this parser serves the handshake).
 *
 * Return: 0 or an alert (unexpected_message, protocol_version,
 * record_overflow, decode_error).
 */
int tls12_parse_record_header(const uint8_t *buf, size_t len, bool protected,
			      struct tls12_record_header *out);

/** tls12_put_record_header() - write 5 header bytes at @out. */
void tls12_put_record_header(uint8_t *out, uint8_t type, uint16_t version,
			     uint16_t length);

/* ------------------------------------------------------------------------
 * Handshake reassembly: messages may span records and a record may hold
 * several messages.  The caller owns the storage.
 * ------------------------------------------------------------------------ */

struct tls12_hs_reasm {
	uint8_t *buf;		/* caller's storage */
	size_t cap;		/* its size */
	size_t len;		/* bytes buffered */
	size_t max_body;	/* longest message body accepted */
	size_t taken;		/* bytes of the message last returned */
};

struct tls12_hs_msg {
	uint8_t type;
	const uint8_t *raw;	/* header and body, as hashed */
	size_t raw_len;
	const uint8_t *body;
	size_t body_len;
};

/**
 * tls12_hs_init() - an empty reassembly buffer.
 * @r: the state.
 * @buf: storage; @cap should be at least @max_body + 4 + TLS12_MAX_PLAINTEXT
 *	so that a partial message plus one more record always fits.
 * @max_body: longest message body accepted (else illegal_parameter).
 */
void tls12_hs_init(struct tls12_hs_reasm *r, uint8_t *buf, size_t cap,
		   size_t max_body);

/**
 * tls12_hs_append() - add one record's handshake bytes.
 *
 * Drops the message last returned by tls12_hs_next() first.
 * Return: 0, or illegal_parameter when they do not fit.
 */
int tls12_hs_append(struct tls12_hs_reasm *r, const uint8_t *data, size_t len);

/**
 * tls12_hs_next() - the next complete message, if any.
 * @r: the state; the message returned before this one is dropped.
 * @msg: filled when *@have is set; points into @r's storage and stays
 *	valid until the next tls12_hs_append() or tls12_hs_next().
 * @have: out: whether @msg holds a message.
 *
 * Return: 0, or illegal_parameter for a message longer than max_body.
 */
int tls12_hs_next(struct tls12_hs_reasm *r, struct tls12_hs_msg *msg, bool *have);

/** tls12_hs_pending() - bytes buffered beyond the message last returned. */
size_t tls12_hs_pending(const struct tls12_hs_reasm *r);

/* ------------------------------------------------------------------------
 * ClientHello
 * ------------------------------------------------------------------------ */

struct tls12_client_hello {
	uint16_t client_version;
	uint8_t random[TLS12_RANDOM_LEN];
	uint8_t session_id_len;
	uint8_t session_id[TLS12_MAX_SESSION_ID];
	const uint8_t *cipher_suites;	/* into the message: 2-byte values */
	size_t cipher_suites_len;	/* bytes, even */
	bool offers_null_compression;
	bool reneg_scsv;		/* TLS_EMPTY_RENEGOTIATION_INFO_SCSV */
	bool fallback_scsv;		/* TLS_FALLBACK_SCSV */
	bool has_extensions;
	bool ext_renegotiation_info;	/* present (and empty: else an error) */
	bool ext_extended_master_secret;
	bool ext_supported_versions;
	bool supported_versions_has_tls12;
};

/**
 * tls12_parse_client_hello() - parse a ClientHello body (no 4-byte header).
 *
 * Checks the syntax of every field and of every extension, and the content
 * of the extensions this server acts on: renegotiation_info must carry an
 * empty renegotiated_connection on an initial handshake (RFC 5746 3.6),
 * extended_master_secret must be empty (RFC 7627 5.1), supported_versions
 * must be a well-formed list.  An extension type may appear once.
 *
 * Return: 0 or an alert (decode_error, illegal_parameter,
 * handshake_failure).
 */
int tls12_parse_client_hello(const uint8_t *body, size_t len,
			     struct tls12_client_hello *out);

/**
 * tls12_check_client_hello() - what this server requires of a ClientHello
 * that parsed: client_version 3.3 or later (a TLS 1.3 client's
 * supported_versions must list 3.3 too), and the null compression method.
 *
 * Return: 0 or an alert (protocol_version, illegal_parameter).
 */
int tls12_check_client_hello(const struct tls12_client_hello *ch);

/**
 * tls12_select_suite() - the first suite in the client's order that is in
 * @ours.
 * Return: 0 with *@out set, or handshake_failure.
 */
int tls12_select_suite(const struct tls12_client_hello *ch,
		       const uint16_t *ours, size_t n_ours, uint16_t *out);

/* ------------------------------------------------------------------------
 * The client's other messages
 * ------------------------------------------------------------------------ */

/**
 * tls12_parse_client_key_exchange() - RSA EncryptedPreMasterSecret: a
 * 2-byte length, then exactly that many bytes of ciphertext (at least one).
 * @enc, @enc_len: out: the ciphertext, into @body.
 * Return: 0 or decode_error.
 */
int tls12_parse_client_key_exchange(const uint8_t *body, size_t len,
				    const uint8_t **enc, size_t *enc_len);

/** tls12_parse_change_cipher_spec() - exactly one byte, 1.
 * Return: 0, decode_error (length) or illegal_parameter (value). */
int tls12_parse_change_cipher_spec(const uint8_t *frag, size_t len);

/** tls12_parse_finished() - exactly 12 bytes of verify_data.
 * Return: 0 or decode_error. */
int tls12_parse_finished(const uint8_t *body, size_t len,
			 const uint8_t **verify_data);

/** tls12_parse_alert() - exactly two bytes: level (1 or 2), description.
 * Return: 0, decode_error or illegal_parameter (level). */
int tls12_parse_alert(const uint8_t *frag, size_t len, uint8_t *level,
		      uint8_t *description);

/** tls12_alert_name() - "handshake_failure" etc., or "unknown". */
const char *tls12_alert_name(uint8_t description);

/* ------------------------------------------------------------------------
 * The server's messages.  Each writes a complete handshake message (with
 * its 4-byte header) at @out and returns its length, or 0 when @cap is too
 * small; with @out NULL it returns the length it needs.
 * ------------------------------------------------------------------------ */

struct tls12_server_hello_params {
	uint8_t random[TLS12_RANDOM_LEN];
	uint16_t cipher_suite;
	bool renegotiation_info;	/* send an empty renegotiation_info */
	bool extended_master_secret;	/* send extended_master_secret */
};

size_t tls12_build_server_hello(uint8_t *out, size_t cap,
				const struct tls12_server_hello_params *p);

/**
 * tls12_build_certificate() - a Certificate message of @n DER
 * certificates, the server's first.  Returns 0 if the total is not
 * representable (24-bit lengths) or does not fit.
 */
size_t tls12_build_certificate(uint8_t *out, size_t cap,
			       const uint8_t *const *certs,
			       const size_t *cert_lens, size_t n);

size_t tls12_build_server_hello_done(uint8_t *out, size_t cap);

size_t tls12_build_finished(uint8_t *out, size_t cap,
			    const uint8_t verify_data[TLS12_VERIFY_DATA_LEN]);

#endif /* TLS12_PARSE_H */
