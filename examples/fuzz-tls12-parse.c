// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for tls12-parse.c (make -C examples fuzz).  The input
 * is a byte stream as a client would send it: records whose handshake
 * fragments go through reassembly, each message to its parser.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls12-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[4 + TLS12_MAX_CLIENT_HS_MSG + TLS12_MAX_PLAINTEXT];
	static const uint16_t ours[] = { 0x009c, 0x009d };
	struct tls12_record_header h;
	struct tls12_hs_reasm r;
	bool protected = false;

	tls12_hs_init(&r, buf, sizeof(buf), TLS12_MAX_CLIENT_HS_MSG);
	while (size >= TLS12_RECORD_HEADER_LEN) {
		struct tls12_hs_msg m;
		size_t len;
		bool have;

		if (tls12_parse_record_header(data, size, protected, &h))
			return 0;
		data += TLS12_RECORD_HEADER_LEN;
		size -= TLS12_RECORD_HEADER_LEN;
		len = h.length < size ? h.length : size;
		if (h.type == TLS12_CT_CHANGE_CIPHER_SPEC) {
			protected = tls12_parse_change_cipher_spec(data, len) == 0;
		} else if (h.type == TLS12_CT_ALERT) {
			uint8_t level, desc;

			(void)tls12_parse_alert(data, len, &level, &desc);
			(void)tls12_alert_name(desc);
		} else if (h.type == TLS12_CT_HANDSHAKE) {
			if (tls12_hs_append(&r, data, len))
				return 0;
			while (tls12_hs_next(&r, &m, &have) == 0 && have) {
				struct tls12_client_hello ch;
				const uint8_t *p;
				size_t n;
				uint16_t s;

				switch (m.type) {
				case TLS12_HT_CLIENT_HELLO:
					if (!tls12_parse_client_hello(m.body, m.body_len, &ch)) {
						(void)tls12_check_client_hello(&ch);
						(void)tls12_select_suite(&ch, ours, 2, &s);
					}
					break;
				case TLS12_HT_CLIENT_KEY_EXCHANGE:
					(void)tls12_parse_client_key_exchange(m.body, m.body_len,
									      &p, &n);
					break;
				case TLS12_HT_FINISHED:
					(void)tls12_parse_finished(m.body, m.body_len, &p);
					break;
				default:
					break;
				}
			}
		}
		data += len;
		size -= len;
	}
	return 0;
}
