/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * sslprov - the CNG SSL protocol provider, in the kernel.
 *
 * /dev/sslprov holds the secrets of TLS handshakes and records (private
 * keys, premaster and master secrets, session keys, handshake hashes) and
 * hands userspace only handles to them.  This header is the whole ABI.
 *
 * Objects and handles
 * -------------------
 * Each open file of /dev/sslprov is one provider instance with its own
 * table of objects.  An object is named by a handle: a non-zero __u32 that
 * is valid only on the file that created it.  Handles are allocated
 * cyclically, so a freed handle is not handed out again soon.  A handle
 * that is zero, unknown, freed, or of the wrong kind gives -EBADF.  All
 * objects of a file are freed when its last reference is closed; memory
 * that held a secret is zeroized first.
 *
 * Argument structures
 * -------------------
 * Every ioctl takes a pointer to a structure that begins with
 *
 *	__u32 size;	sizeof() the structure as the caller knows it
 *	__u32 flags;	must be zero unless the operation defines flags
 *
 * The kernel reads the structure with copy_struct_from_user() semantics,
 * as openat2(2) and clone3(2) do: a caller built against an older, shorter
 * version works; a caller built against a newer, longer version works as
 * long as the bytes the kernel does not know are zero, else the call fails
 * with -E2BIG.  A size below the first published version gives -EINVAL,
 * one above a page gives -E2BIG.  Output fields are written back only up to
 * the caller's size.  The size bits of the ioctl number are ignored when
 * dispatching; the structure's own size field is what counts.
 *
 * All pointers are passed as __u64, all fields have fixed width, and no
 * structure has implicit padding.
 *
 * Errors
 * ------
 * The library (libsslprov) maps errno values to SECURITY_STATUS codes:
 *
 *	EBADF			NTE_INVALID_HANDLE
 *	EINVAL, EFAULT, E2BIG	NTE_INVALID_PARAMETER
 *	ENOTSOCK, ENOTCONN,	NTE_INVALID_PARAMETER (SSLPROV_IOC_KTLS_ATTACH:
 *	EBUSY			not a connected TCP socket, already keyed)
 *	EEXIST			NTE_EXISTS
 *	EBADRQC			NTE_BAD_FLAGS
 *	ENOMEM, ENOSPC		NTE_NO_MEMORY (ENOSPC: per-file object limit)
 *	ENOBUFS			NTE_BUFFER_TOO_SMALL
 *	EOPNOTSUPP, ENOTTY,	NTE_NOT_SUPPORTED
 *	EPROTONOSUPPORT
 *	EKEYREJECTED		NTE_BAD_KEY_STATE (a key of the wrong kind)
 *	EBADMSG			NTE_BAD_DATA
 *	EILSEQ			NTE_BAD_KEY (malformed key, or CRT components
 *				that do not belong to its modulus)
 *	ENOKEY			NTE_NO_KEY
 *	EPERM, EACCES		NTE_PERM
 *	anything else		NTE_INTERNAL_ERROR
 *
 * Secrets never travel from the kernel to userspace through this ABI.
 */
#ifndef _UAPI_LINUX_SSLPROV_H
#define _UAPI_LINUX_SSLPROV_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define SSLPROV_DEVICE		"/dev/sslprov"

/*
 * Bumped when an ioctl is added; see struct sslprov_info.abi_version.
 * 2: SSLPROV_IOC_PUBKEY_IMPORT, SSLPROV_IOC_PUBKEY_EXPORT.
 */
#define SSLPROV_ABI_VERSION	2

#define SSLPROV_IOC_MAGIC	0xE7

/* Feature bits reported by SSLPROV_IOC_GET_INFO. */
#define SSLPROV_FEATURE_HASH	_BITULL(0)	/* handshake hashes */

/**
 * struct sslprov_info - SSLPROV_IOC_GET_INFO: what this module offers.
 * @size: sizeof(struct sslprov_info) as the caller knows it.
 * @flags: must be 0.
 * @abi_version: out: SSLPROV_ABI_VERSION of the running module.
 * @max_objects: out: the per-file object limit (module parameter).
 * @features: out: SSLPROV_FEATURE_* bits.
 * @live_objects: out: objects currently held by this file.
 * @__reserved: out: 0.
 */
struct sslprov_info {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 max_objects;
	__u64 features;
	__u32 live_objects;
	__u32 __reserved;
};

#define SSLPROV_INFO_SIZE_VER0	32

/**
 * struct sslprov_free - SSLPROV_IOC_FREE: free one object of this file.
 * @size: sizeof(struct sslprov_free).
 * @flags: must be 0.
 * @handle: the object's handle.  Later uses of it give -EBADF.
 * @__reserved: must be 0.
 */
struct sslprov_free {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 __reserved;
};

#define SSLPROV_FREE_SIZE_VER0	16

/**
 * struct sslprov_hash_create - SSLPROV_IOC_HASH_CREATE: a handshake hash.
 * @size: sizeof(struct sslprov_hash_create).
 * @flags: must be 0.
 * @protocol: TLS protocol version as on the wire (0x0301 .. 0x0303).
 * @cipher_suite: IANA cipher suite number; picks the TLS 1.2 hash.
 * @handle: out: handle of the new hash object.
 * @__reserved: must be 0.
 */
struct sslprov_hash_create {
	__u32 size;
	__u32 flags;
	__u32 protocol;
	__u32 cipher_suite;
	__u32 handle;
	__u32 __reserved;
};

#define SSLPROV_HASH_CREATE_SIZE_VER0	24

/**
 * struct sslprov_hash_update - SSLPROV_IOC_HASH_UPDATE: hash handshake bytes.
 * @size: sizeof(struct sslprov_hash_update).
 * @flags: must be 0.
 * @handle: a hash object.
 * @len: number of bytes at @data; at most SSLPROV_MAX_HASH_INPUT.
 * @data: user pointer to the bytes.
 */
struct sslprov_hash_update {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 len;
	__u64 data;
};

#define SSLPROV_HASH_UPDATE_SIZE_VER0	24
#define SSLPROV_MAX_HASH_INPUT		0x01000000

/* Sizes of TLS values carried by the structures below. */
#define SSLPROV_RANDOM_LEN		32
#define SSLPROV_MAX_SESSION_HASH	48
#define SSLPROV_FINGERPRINT_LEN		32	/* SHA-256 */
#define SSLPROV_MAX_KEY_DER		8192
#define SSLPROV_MAX_RECORD_PLAINTEXT	16384
/* 2^14 + 2048 (RFC 5246 section 6.2.3) + the 5-byte header */
#define SSLPROV_MAX_RECORD		(16384 + 2048 + 5)

/* Direction flags, as NCRYPT_SSL_CLIENT_FLAG / NCRYPT_SSL_SERVER_FLAG. */
#define SSLPROV_CLIENT			0x1
#define SSLPROV_SERVER			0x2

/**
 * struct sslprov_key_load - SSLPROV_IOC_KEY_LOAD: load a private key into
 * the module's key store (needs CAP_SYS_ADMIN or the key_group parameter's
 * group).  The key can never be read back; SSLPROV_IOC_KEY_OPEN reaches it.
 * @size: sizeof(struct sslprov_key_load).
 * @flags: SSLPROV_KEY_UID and/or SSLPROV_KEY_GID: which of @uid, @gid
 *	may use the key (at least one).
 * @uid: user allowed to open the key.
 * @gid: group allowed to open the key.
 * @der_len: bytes at @der, at most SSLPROV_MAX_KEY_DER.
 * @der: an RSAPrivateKey (PKCS#1) in DER, all eight CRT components; a
 *	coefficient that is not q^-1 mod p gives -EILSEQ.
 * @fingerprint: out: SHA-256 of the key's DER SubjectPublicKeyInfo.
 */
struct sslprov_key_load {
	__u32 size;
	__u32 flags;
	__u32 uid;
	__u32 gid;
	__u32 der_len;
	__u32 __reserved;
	__u64 der;
	__u8 fingerprint[SSLPROV_FINGERPRINT_LEN];
};

#define SSLPROV_KEY_LOAD_SIZE_VER0	64
#define SSLPROV_KEY_UID			0x1
#define SSLPROV_KEY_GID			0x2

/**
 * struct sslprov_key_entry - one loaded key, as SSLPROV_IOC_KEY_LIST shows it.
 * @fingerprint: SHA-256 of the DER SubjectPublicKeyInfo.
 * @flags: SSLPROV_KEY_UID / SSLPROV_KEY_GID.
 * @uid: allowed user.
 * @gid: allowed group.
 * @bits: modulus size.
 */
struct sslprov_key_entry {
	__u8 fingerprint[SSLPROV_FINGERPRINT_LEN];
	__u32 flags;
	__u32 uid;
	__u32 gid;
	__u32 bits;
};

/**
 * struct sslprov_key_list - SSLPROV_IOC_KEY_LIST: the loaded keys.
 * @size: sizeof(struct sslprov_key_list).
 * @flags: must be 0.
 * @count: in: room at @entries; out: number of keys loaded (may exceed
 *	the room, then only the first ones are written).
 * @__reserved: must be 0.
 * @entries: user pointer to an array of struct sslprov_key_entry.
 */
struct sslprov_key_list {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 __reserved;
	__u64 entries;
};

#define SSLPROV_KEY_LIST_SIZE_VER0	24

/**
 * struct sslprov_key_ref - SSLPROV_IOC_KEY_UNLOAD and SSLPROV_IOC_KEY_OPEN.
 * @size: sizeof(struct sslprov_key_ref).
 * @flags: must be 0.
 * @fingerprint: the key, by the SHA-256 of its SubjectPublicKeyInfo.
 * @handle: out (KEY_OPEN): a private key object of this file.
 * @__reserved: must be 0.
 *
 * KEY_UNLOAD needs the same privilege as KEY_LOAD; objects already opened
 * keep working.  KEY_OPEN gives -ENOKEY when no loaded key matches or the
 * caller is not allowed to use it (the two are not told apart).
 */
struct sslprov_key_ref {
	__u32 size;
	__u32 flags;
	__u8 fingerprint[SSLPROV_FINGERPRINT_LEN];
	__u32 handle;
	__u32 __reserved;
};

#define SSLPROV_KEY_REF_SIZE_VER0	48

/**
 * struct sslprov_key_import - SSLPROV_IOC_KEY_IMPORT: a private key object
 * of this file only (SslImportKey with a private blob).
 * @size: sizeof(struct sslprov_key_import).
 * @flags: must be 0.
 * @der_len: bytes at @der, at most SSLPROV_MAX_KEY_DER.
 * @handle: out: the new private key object.
 * @der: an RSAPrivateKey (PKCS#1) in DER with all CRT components; a
 *	coefficient that is not q^-1 mod p gives -EILSEQ.
 */
struct sslprov_key_import {
	__u32 size;
	__u32 flags;
	__u32 der_len;
	__u32 handle;
	__u64 der;
};

#define SSLPROV_KEY_IMPORT_SIZE_VER0	24

/**
 * struct sslprov_master_import - SSLPROV_IOC_MASTER_IMPORT: RSA key exchange
 * on the server (SslImportMasterKey).
 * @size: sizeof(struct sslprov_master_import).
 * @flags: SSLPROV_SERVER (the only side this operation has).
 * @private_key: handle of a private key object.
 * @protocol: 0x0301, 0x0302 or 0x0303.
 * @cipher_suite: IANA number of an RSA key exchange suite.
 * @client_version: ClientHello.client_version, e.g. 0x0303, for the
 *	premaster's first two bytes.
 * @session_hash_len: 0 for the RFC 5246 master secret, else the length
 *	of @session_hash (36, 32 or 48) for the extended master secret.
 * @enc_len: bytes at @enc: the RSA ciphertext, without a length prefix.
 * @enc: user pointer to the EncryptedPreMasterSecret.
 * @client_random: ClientHello.random.
 * @server_random: ServerHello.random.
 * @session_hash: RFC 7627 session hash.
 * @handle: out: the master key object.
 * @__reserved: must be 0.
 *
 * A ciphertext that does not decrypt to a well-formed 48-byte premaster is
 * not an error: a random premaster is used instead (RFC 5246 7.4.7.1), so
 * the handshake fails at Finished and nothing is learned about the key.
 */
struct sslprov_master_import {
	__u32 size;
	__u32 flags;
	__u32 private_key;
	__u32 protocol;
	__u32 cipher_suite;
	__u32 client_version;
	__u32 session_hash_len;
	__u32 enc_len;
	__u64 enc;
	__u8 client_random[SSLPROV_RANDOM_LEN];
	__u8 server_random[SSLPROV_RANDOM_LEN];
	__u8 session_hash[SSLPROV_MAX_SESSION_HASH];
	__u32 handle;
	__u32 __reserved;
};

#define SSLPROV_MASTER_IMPORT_SIZE_VER0	160

/**
 * struct sslprov_session_keys - SSLPROV_IOC_SESSION_KEYS: derive the key
 * block from a master key (SslGenerateSessionKeys).
 * @size: sizeof(struct sslprov_session_keys).
 * @flags: 0 to use the side stored in the master key, or SSLPROV_CLIENT /
 *	SSLPROV_SERVER to override it.
 * @master_key: handle of a master key object.
 * @read_key: out: key that opens the peer's records.
 * @write_key: out: key that protects our records.
 * @__reserved: must be 0.
 * @client_random: ClientHello.random.
 * @server_random: ServerHello.random.
 *
 * A master key derives session keys at most once per (randoms, side):
 * a repeat gives -EINVAL, since the same GCM key in a new object would
 * start its sequence numbers again.  (Two master keys imported from the
 * same ciphertext and randoms hold the same secret; the module does not
 * track that across objects.)
 */
struct sslprov_session_keys {
	__u32 size;
	__u32 flags;
	__u32 master_key;
	__u32 read_key;
	__u32 write_key;
	__u32 __reserved;
	__u8 client_random[SSLPROV_RANDOM_LEN];
	__u8 server_random[SSLPROV_RANDOM_LEN];
};

#define SSLPROV_SESSION_KEYS_SIZE_VER0	88

/**
 * struct sslprov_finished - SSLPROV_IOC_FINISHED: Finished verify_data
 * (SslComputeFinishedHash).
 * @size: sizeof(struct sslprov_finished).
 * @flags: SSLPROV_CLIENT ("client finished") or SSLPROV_SERVER
 *	("server finished"): the sender of the Finished message.
 * @master_key: handle of a master key object.
 * @hash: handle of the handshake hash (read, not finalized).
 * @out_len: must be 12.
 * @__reserved: must be 0.
 * @out: user pointer receiving @out_len bytes.
 * @pending_len: (VER1) bytes at @pending, at most SSLPROV_MAX_HASH_INPUT;
 *	0 for none.
 * @__reserved2: (VER1) must be 0.
 * @pending: (VER1) user pointer to handshake bytes appended to @hash
 *	first, as by SSLPROV_IOC_HASH_UPDATE, so that a caller holding back
 *	messages needs no separate update.  All or nothing: on any error the
 *	hash is as it was, none of @pending in it.
 *
 * A module that predates VER1 refuses a nonzero @pending_len with -E2BIG
 * (the size rules); the caller then sends the bytes with HASH_UPDATE.
 */
struct sslprov_finished {
	__u32 size;
	__u32 flags;
	__u32 master_key;
	__u32 hash;
	__u32 out_len;
	__u32 __reserved;
	__u64 out;
	__u32 pending_len;
	__u32 __reserved2;
	__u64 pending;
};

#define SSLPROV_FINISHED_SIZE_VER0	32
#define SSLPROV_FINISHED_SIZE_VER1	48

/**
 * struct sslprov_record - SSLPROV_IOC_ENCRYPT / SSLPROV_IOC_DECRYPT: one
 * TLS record (SslEncryptPacket / SslDecryptPacket).
 * @size: sizeof(struct sslprov_record).
 * @flags: must be 0.
 * @key: handle of a write key (ENCRYPT) or read key (DECRYPT).
 * @content_type: ENCRYPT: the record's content type (20..23); DECRYPT:
 *	must be 0 (the header carries it).
 * @seq: record sequence number; must grow with every record of a key.
 * @in_len: bytes at @in: plaintext (ENCRYPT, at most 2^14) or a complete
 *	record with its 5-byte header (DECRYPT).
 * @out_len: room at @out.
 * @in: user pointer to the input.
 * @out: user pointer to the output: a complete record (ENCRYPT) or the
 *	plaintext (DECRYPT).  May overlap @in.
 * @result_len: out: bytes written, or needed when @out_len is too small
 *	(-ENOBUFS) or @out is 0 (a size query, which succeeds).
 * @__reserved: must be 0.
 *
 * A record that fails authentication gives -EBADMSG and writes nothing; a
 * malformed header (length, version) or a plaintext over 2^14 bytes gives
 * -EINVAL.  A key handed to kTLS refuses both with -EKEYREJECTED.
 */
struct sslprov_record {
	__u32 size;
	__u32 flags;
	__u32 key;
	__u32 content_type;
	__u64 seq;
	__u32 in_len;
	__u32 out_len;
	__u64 in;
	__u64 out;
	__u32 result_len;
	__u32 __reserved;
};

#define SSLPROV_RECORD_SIZE_VER0	56

/**
 * struct sslprov_ktls - SSLPROV_IOC_KTLS_ATTACH: key a kTLS socket from
 * inside the kernel (SslKtlsAttach).
 * @size: sizeof(struct sslprov_ktls).
 * @flags: must be 0.
 * @key: a write key (installed as TLS_TX) or read key (TLS_RX).
 * @fd: a connected TCP socket of the caller.
 * @seq: sequence number of the first record kTLS will protect or open.
 */
struct sslprov_ktls {
	__u32 size;
	__u32 flags;
	__u32 key;
	__s32 fd;
	__u64 seq;
};

#define SSLPROV_KTLS_SIZE_VER0		24

/**
 * struct sslprov_hash_digest - SSLPROV_IOC_HASH_DIGEST: the digest of a
 * handshake hash so far (public: SslComputeSessionHash).
 * @size: sizeof(struct sslprov_hash_digest).
 * @flags: must be 0.
 * @hash: handle of the handshake hash.
 * @len: out: digest length (36 for TLS 1.0/1.1, else 32 or 48).
 * @digest: out: the digest.
 */
struct sslprov_hash_digest {
	__u32 size;
	__u32 flags;
	__u32 hash;
	__u32 len;
	__u8 digest[SSLPROV_MAX_SESSION_HASH];
};

#define SSLPROV_HASH_DIGEST_SIZE_VER0	64

/**
 * struct sslprov_pubkey_import - SSLPROV_IOC_PUBKEY_IMPORT: an RSA public
 * key object of this file (SslImportKey with BCRYPT_RSAPUBLIC_BLOB).
 * @size: sizeof(struct sslprov_pubkey_import).
 * @flags: must be 0.
 * @der_len: bytes at @der, at most SSLPROV_MAX_KEY_DER.
 * @handle: out: the new public key object.
 * @der: an RSAPublicKey (PKCS#1) in DER, spanning @der_len exactly.
 *
 * The modulus must be odd and of SSLPROV_RSA_MIN_BITS to
 * SSLPROV_RSA_MAX_BITS bits, the exponent odd, above 1 and below the
 * modulus: anything else gives -EILSEQ (malformed) or -EOPNOTSUPP (size).
 */
struct sslprov_pubkey_import {
	__u32 size;
	__u32 flags;
	__u32 der_len;
	__u32 handle;
	__u64 der;
};

#define SSLPROV_PUBKEY_IMPORT_SIZE_VER0	24
#define SSLPROV_RSA_MIN_BITS		1024
#define SSLPROV_RSA_MAX_BITS		16384

/**
 * struct sslprov_pubkey_export - SSLPROV_IOC_PUBKEY_EXPORT: the public half
 * of an RSA public or private key object (SslExportKey with
 * BCRYPT_RSAPUBLIC_BLOB).  Nothing secret is ever written.
 * @size: sizeof(struct sslprov_pubkey_export).
 * @flags: must be 0.
 * @handle: a public or private key object.
 * @bits: out: modulus bits.
 * @e_len: out: bytes of the public exponent (no leading zeros).
 * @n_len: out: bytes of the modulus, (@bits + 7) / 8.
 * @buf_len: room at @buf.
 * @__reserved: must be 0.
 * @buf: user pointer receiving the exponent then the modulus, big-endian
 *	(the body of a BCRYPT_RSAPUBLIC_BLOB), or 0 for a size query.
 *
 * With @buf 0 the lengths are written and the call succeeds; with
 * @buf_len below @e_len + @n_len they are written and it fails with
 * -ENOBUFS.
 */
struct sslprov_pubkey_export {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 bits;
	__u32 e_len;
	__u32 n_len;
	__u32 buf_len;
	__u32 __reserved;
	__u64 buf;
};

#define SSLPROV_PUBKEY_EXPORT_SIZE_VER0	40

#define SSLPROV_IOC_GET_INFO	_IOWR(SSLPROV_IOC_MAGIC, 0x00, struct sslprov_info)
#define SSLPROV_IOC_FREE	_IOW(SSLPROV_IOC_MAGIC, 0x01, struct sslprov_free)
#define SSLPROV_IOC_HASH_CREATE	_IOWR(SSLPROV_IOC_MAGIC, 0x10, struct sslprov_hash_create)
#define SSLPROV_IOC_HASH_UPDATE	_IOW(SSLPROV_IOC_MAGIC, 0x11, struct sslprov_hash_update)
#define SSLPROV_IOC_HASH_DIGEST	_IOWR(SSLPROV_IOC_MAGIC, 0x12, struct sslprov_hash_digest)
#define SSLPROV_IOC_KEY_LOAD	_IOWR(SSLPROV_IOC_MAGIC, 0x20, struct sslprov_key_load)
#define SSLPROV_IOC_KEY_LIST	_IOWR(SSLPROV_IOC_MAGIC, 0x21, struct sslprov_key_list)
#define SSLPROV_IOC_KEY_UNLOAD	_IOW(SSLPROV_IOC_MAGIC, 0x22, struct sslprov_key_ref)
#define SSLPROV_IOC_KEY_OPEN	_IOWR(SSLPROV_IOC_MAGIC, 0x23, struct sslprov_key_ref)
#define SSLPROV_IOC_KEY_IMPORT	_IOWR(SSLPROV_IOC_MAGIC, 0x24, struct sslprov_key_import)
#define SSLPROV_IOC_PUBKEY_IMPORT _IOWR(SSLPROV_IOC_MAGIC, 0x25, struct sslprov_pubkey_import)
#define SSLPROV_IOC_PUBKEY_EXPORT _IOWR(SSLPROV_IOC_MAGIC, 0x26, struct sslprov_pubkey_export)
#define SSLPROV_IOC_MASTER_IMPORT _IOWR(SSLPROV_IOC_MAGIC, 0x30, struct sslprov_master_import)
#define SSLPROV_IOC_SESSION_KEYS _IOWR(SSLPROV_IOC_MAGIC, 0x31, struct sslprov_session_keys)
#define SSLPROV_IOC_FINISHED	_IOW(SSLPROV_IOC_MAGIC, 0x32, struct sslprov_finished)
#define SSLPROV_IOC_ENCRYPT	_IOWR(SSLPROV_IOC_MAGIC, 0x40, struct sslprov_record)
#define SSLPROV_IOC_DECRYPT	_IOWR(SSLPROV_IOC_MAGIC, 0x41, struct sslprov_record)
#define SSLPROV_IOC_KTLS_ATTACH	_IOW(SSLPROV_IOC_MAGIC, 0x50, struct sslprov_ktls)

#endif /* _UAPI_LINUX_SSLPROV_H */
