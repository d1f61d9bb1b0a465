// SPDX-License-Identifier: GPL-2.0
/*
 * SslKtlsAttach: key a kernel TLS socket from inside the kernel, so that a
 * TLS 1.2 AES-GCM session key reaches kTLS without passing through
 * userspace.
 *
 * The tls ULP keeps the crypto_info it was given (key, salt, IV, record
 * sequence) in its tls_context, and getsockopt(SOL_TLS, TLS_TX / TLS_RX)
 * copies that back to whoever holds the socket: the very thing this module
 * exists to prevent.  So once the key is installed, the key bytes of that
 * copy are wiped, and the salt too where it is unused; see
 * sslprov_ktls_scrub() for why that is safe.
 *
 * A key handed to kTLS stays with the socket: kTLS counts its own sequence
 * numbers, which this module cannot see, so the key refuses a second attach
 * and further records (record.c) with -EKEYREJECTED.  Otherwise a write key
 * could seal two records under one GCM nonce.
 */
#include <linux/err.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <net/inet_connection_sock.h>
#include <net/inet_sock.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/tls.h>

#include <linux/sslprov.h>

#include "key.h"

#define SSLPROV_TLS_ULP		"tls"

union sslprov_ktls_info {
	struct tls_crypto_info info;
	struct tls12_crypto_info_aes_gcm_128 gcm128;
	struct tls12_crypto_info_aes_gcm_256 gcm256;
};

/* kTLS can take over TLS 1.2 AES-GCM record keys only. */
static bool sslprov_ktls_key_ok(const struct sslprov_session_key *key)
{
	const struct sslprov_suite *suite = key->suite;

	return key->protocol == TLS_1_2_VERSION &&
	       suite->cipher == SSLPROV_CIPHER_AES_GCM &&
	       suite->fixed_iv_len == TLS_CIPHER_AES_GCM_128_SALT_SIZE &&
	       (suite->key_len == TLS_CIPHER_AES_GCM_128_KEY_SIZE ||
		suite->key_len == TLS_CIPHER_AES_GCM_256_KEY_SIZE);
}

/*
 * One helper per structure: filling each member by name lets FORTIFY_SOURCE
 * check every copy against that member's size.
 */
static unsigned int
sslprov_ktls_fill_128(struct tls12_crypto_info_aes_gcm_128 *gcm,
		      const struct sslprov_session_key *key, __be64 seq)
{
	gcm->info.version = TLS_1_2_VERSION;
	gcm->info.cipher_type = TLS_CIPHER_AES_GCM_128;
	memcpy(gcm->key, key->key, sizeof(gcm->key));
	memcpy(gcm->salt, key->fixed_iv, sizeof(gcm->salt));
	memcpy(gcm->iv, &seq, sizeof(gcm->iv));
	memcpy(gcm->rec_seq, &seq, sizeof(gcm->rec_seq));
	return sizeof(*gcm);
}

static unsigned int
sslprov_ktls_fill_256(struct tls12_crypto_info_aes_gcm_256 *gcm,
		      const struct sslprov_session_key *key, __be64 seq)
{
	gcm->info.version = TLS_1_2_VERSION;
	gcm->info.cipher_type = TLS_CIPHER_AES_GCM_256;
	memcpy(gcm->key, key->key, sizeof(gcm->key));
	memcpy(gcm->salt, key->fixed_iv, sizeof(gcm->salt));
	memcpy(gcm->iv, &seq, sizeof(gcm->iv));
	memcpy(gcm->rec_seq, &seq, sizeof(gcm->rec_seq));
	return sizeof(*gcm);
}

/**
 * sslprov_ktls_fill() - the crypto_info for setsockopt(SOL_TLS).
 * @ci: zeroed on entry; holds the key on return, so the caller wipes it.
 * @key: a key that passed sslprov_ktls_key_ok().
 * @seq: sequence number of the first record kTLS protects or opens.
 *
 * The explicit nonce (iv) starts at @seq, as for records made by record.c,
 * and kTLS advances it together with rec_seq.
 *
 * Return: the size of the structure to pass.
 */
static unsigned int sslprov_ktls_fill(union sslprov_ktls_info *ci,
				      const struct sslprov_session_key *key,
				      u64 seq)
{
	BUILD_BUG_ON(sizeof(ci->gcm128.iv) != sizeof(__be64) ||
		     sizeof(ci->gcm256.iv) != sizeof(__be64) ||
		     sizeof(ci->gcm128.rec_seq) != sizeof(__be64) ||
		     sizeof(ci->gcm256.rec_seq) != sizeof(__be64));
	BUILD_BUG_ON(sizeof(ci->gcm256.key) > SSLPROV_MAX_KEY_LEN);
	BUILD_BUG_ON(sizeof(ci->gcm256.salt) > SSLPROV_MAX_FIXED_IV);

	if (key->suite->key_len == TLS_CIPHER_AES_GCM_128_KEY_SIZE)
		return sslprov_ktls_fill_128(&ci->gcm128, key,
					     cpu_to_be64(seq));
	return sslprov_ktls_fill_256(&ci->gcm256, key, cpu_to_be64(seq));
}

/*
 * Only TCP carries the tls ULP.  A socket that is not established gets
 * -ENOTCONN, which is what the tls ULP itself answers (tls_init()): the
 * state can change between this check and the ULP's, and one condition
 * should give one errno whichever check catches it.
 */
static int sslprov_ktls_check_sock(const struct socket *sock)
{
	const struct sock *sk = sock->sk;

	if (!sk || !sk_is_tcp(sk))
		return -EINVAL;
	if (inet_sk_state_load(sk) != TCP_ESTABLISHED)
		return -ENOTCONN;
	return 0;
}

/*
 * icsk_ulp_ops is set under the socket lock and never changes again while
 * the socket lives, so a positive answer stays true.  It is what makes
 * tls_get_ctx() below safe: another ULP keeps something else there.
 */
static bool sslprov_sk_has_tls_ulp(const struct sock *sk)
{
	const struct tcp_ulp_ops *ops = inet_csk(sk)->icsk_ulp_ops;

	return ops && !strcmp(ops->name, SSLPROV_TLS_ULP);
}

/*
 * Attach the tls ULP unless it already is.  This goes through the socket's
 * own setsockopt, as a setsockopt(2) would: tcp_setsockopt() is not
 * exported on every kernel, and the socket may be IPv4 or IPv6.
 */
static int sslprov_ktls_attach_ulp(struct socket *sock)
{
	char name[] = SSLPROV_TLS_ULP;
	bool tls;
	int ret;

	ret = READ_ONCE(sock->ops)->setsockopt(sock, SOL_TCP, TCP_ULP,
					       KERNEL_SOCKPTR(name),
					       strlen(name));
	/* -ENOENT: no tls ULP in this kernel (the softdep could not load it). */
	if (ret == -ENOENT)
		return -EOPNOTSUPP;
	/* -EEXIST: some ULP is attached already; tls is fine, others not. */
	if (ret && ret != -EEXIST)
		return ret;
	lock_sock(sock->sk);
	tls = sslprov_sk_has_tls_ulp(sock->sk);
	release_sock(sock->sk);
	return tls ? 0 : -EINVAL;
}

/**
 * sslprov_ktls_scrub() - wipe the key from the tls ULP's copy of it.
 * @sk: a socket with the tls ULP whose @tx direction was just keyed.
 * @tx: true for TLS_TX (crypto_send), false for TLS_RX (crypto_recv).
 *
 * Why this is safe, from net/tls of 6.1 and 6.12 (both include/net/tls.h
 * declare the same tls_context with crypto_send/crypto_recv, and TLS_SW and
 * TLS_HW; only those names are relied on, not a version number):
 *
 * - Software kTLS (TLS_SW, both directions) reads crypto_info only while
 *   tls_set_sw_offload() runs inside the setsockopt: the key goes into the
 *   AEAD tfm, salt and explicit IV into ctx->tx/rx.iv, the sequence into
 *   ctx->tx/rx.rec_seq, and records use those copies alone.
 * - Device RX (TLS_HW receive) sets up the same software state for records
 *   the NIC did not decrypt; the drivers copy crypto_info in tls_dev_add()
 *   (mlx5 keeps its own copy for resync; nfp, chcr and funeth program the
 *   key at once).
 * - Device TX (TLS_HW transmit) keys its fallback tfm once in
 *   tls_sw_fallback_init(), but tls_enc_skb() reads the salt from
 *   crypto_send for every packet it has to encrypt in software, so there
 *   only the key is wiped and the salt stays.
 * - After setup crypto_info is otherwise read for version and cipher_type
 *   (kept: they say the direction is configured and must match the other
 *   one), by getsockopt, which refreshes iv and rec_seq from the live state
 *   anyway, and wiped by tls_ctx_free().  Rekeying exists only for TLS 1.3
 *   in later kernels and takes a complete new crypto_info.
 * - TLS_HW_RECORD (TOE) keeps its keys in the driver: nothing to wipe.
 *
 * getsockopt and setsockopt take the socket lock, and so does this.  What
 * it cannot close is the moment between the tls ULP's release_sock() at the
 * end of our setsockopt and the lock_sock() here: a thread of the caller
 * spinning on getsockopt(SOL_TLS) can get the key in that window.
 */
static void sslprov_ktls_scrub(struct sock *sk, bool tx)
{
	union tls_crypto_context *cc;
	struct tls_context *ctx;
	bool wipe_salt;
	u8 conf;

	lock_sock(sk);
	ctx = sslprov_sk_has_tls_ulp(sk) ? tls_get_ctx(sk) : NULL;
	if (!ctx)
		goto out_unlock;
	cc = tx ? &ctx->crypto_send : &ctx->crypto_recv;
	conf = tx ? ctx->tx_conf : ctx->rx_conf;
	if (conf != TLS_SW && conf != TLS_HW)
		goto out_unlock;
	wipe_salt = !(tx && conf == TLS_HW);

	switch (cc->info.cipher_type) {
	case TLS_CIPHER_AES_GCM_128:
		memzero_explicit(cc->aes_gcm_128.key,
				 sizeof(cc->aes_gcm_128.key));
		if (wipe_salt)
			memzero_explicit(cc->aes_gcm_128.salt,
					 sizeof(cc->aes_gcm_128.salt));
		break;
	case TLS_CIPHER_AES_GCM_256:
		memzero_explicit(cc->aes_gcm_256.key,
				 sizeof(cc->aes_gcm_256.key));
		if (wipe_salt)
			memzero_explicit(cc->aes_gcm_256.salt,
					 sizeof(cc->aes_gcm_256.salt));
		break;
	}
out_unlock:
	release_sock(sk);
}

/* Hand the key to the socket's tls ULP, then wipe its readable copy. */
static int sslprov_ktls_set_key(struct socket *sock,
				const struct sslprov_session_key *key, u64 seq)
{
	union sslprov_ktls_info ci = {};
	unsigned int size;
	int ret;

	size = sslprov_ktls_fill(&ci, key, seq);
	ret = READ_ONCE(sock->ops)->setsockopt(sock, SOL_TLS,
					       key->write ? TLS_TX : TLS_RX,
					       KERNEL_SOCKPTR(&ci), size);
	memzero_explicit(&ci, sizeof(ci));
	if (ret)
		return ret;
	sslprov_ktls_scrub(sock->sk, key->write);
	return 0;
}

/*
 * Under key->lock, so that no record of record.c can slip in between the
 * sequence check and the handover.
 */
static int sslprov_ktls_install(struct socket *sock,
				struct sslprov_session_key *key, u64 seq)
{
	int ret;

	lockdep_assert_held(&key->lock);

	if (key->ktls_attached)
		return -EKEYREJECTED;
	/* Same rule as for records: no nonce and no record twice. */
	if (key->seq_started && seq < key->next_seq)
		return -EINVAL;
	ret = sslprov_ktls_attach_ulp(sock);
	if (ret)
		return ret;
	ret = sslprov_ktls_set_key(sock, key, seq);
	if (ret)
		return ret;
	key->ktls_attached = true;
	return 0;
}

long sslprov_ioctl_ktls_attach(struct sslprov_file *file, void __user *uarg)
{
	struct sslprov_session_key *key;
	struct sslprov_ktls args;
	struct sslprov_obj *obj;
	struct socket *sock;
	u32 usize;
	int ret;

	ret = sslprov_copy_args(&args, sizeof(args), SSLPROV_KTLS_SIZE_VER0,
				uarg, &usize);
	if (ret)
		return ret;
	if (args.flags || args.seq == U64_MAX)
		return -EINVAL;

	obj = sslprov_obj_get(file, args.key, SSLPROV_OBJ_SESSION_KEY);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	key = sslprov_to_session_key(obj);
	if (!sslprov_ktls_key_ok(key)) {
		ret = -EOPNOTSUPP;
		goto out_put;
	}

	sock = sockfd_lookup(args.fd, &ret);	/* -EBADF or -ENOTSOCK */
	if (!sock)
		goto out_put;
	ret = sslprov_ktls_check_sock(sock);
	if (ret)
		goto out_sockfd_put;

	mutex_lock(&key->lock);
	ret = sslprov_ktls_install(sock, key, args.seq);
	mutex_unlock(&key->lock);

out_sockfd_put:
	sockfd_put(sock);
out_put:
	sslprov_obj_put(obj);
	return ret;
}
