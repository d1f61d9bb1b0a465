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
 *	EBADRQC			NTE_BAD_FLAGS
 *	ENOMEM, ENOSPC		NTE_NO_MEMORY (ENOSPC: per-file object limit)
 *	ENOBUFS			NTE_BUFFER_TOO_SMALL
 *	EOPNOTSUPP, ENOTTY	NTE_NOT_SUPPORTED
 *	EKEYREJECTED		NTE_BAD_KEY_STATE (a key of the wrong kind)
 *	EBADMSG			NTE_BAD_DATA
 *	EILSEQ			NTE_BAD_KEY (malformed key)
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

/* Bumped when an ioctl is added; see struct sslprov_info.abi_version. */
#define SSLPROV_ABI_VERSION	1

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

#define SSLPROV_IOC_GET_INFO	_IOWR(SSLPROV_IOC_MAGIC, 0x00, struct sslprov_info)
#define SSLPROV_IOC_FREE	_IOW(SSLPROV_IOC_MAGIC, 0x01, struct sslprov_free)
#define SSLPROV_IOC_HASH_CREATE	_IOWR(SSLPROV_IOC_MAGIC, 0x10, struct sslprov_hash_create)
#define SSLPROV_IOC_HASH_UPDATE	_IOW(SSLPROV_IOC_MAGIC, 0x11, struct sslprov_hash_update)

#endif /* _UAPI_LINUX_SSLPROV_H */
