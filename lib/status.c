// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * status.c - the one place where an errno becomes a SECURITY_STATUS.
 *
 * The table is the one of uapi/linux/sslprov.h; keep the two identical.
 */
#include <errno.h>

#include "internal.h"

/**
 * sslprov_status_from_errno() - map an errno of /dev/sslprov to a status.
 * @err: a positive errno value (a negative one is accepted too).
 *
 * Return: the SECURITY_STATUS the ABI assigns to @err; %ERROR_SUCCESS for 0,
 * %NTE_INTERNAL_ERROR for anything the ABI does not name.
 */
SECURITY_STATUS sslprov_status_from_errno(int err)
{
	if (err < 0)
		err = -err;

	switch (err) {
	case 0:
		return ERROR_SUCCESS;
	case EBADF:
		return NTE_INVALID_HANDLE;
	case EINVAL:
	case EFAULT:
	case E2BIG:
	case ENOTSOCK:
	case ENOTCONN:
	case EBUSY:
		return NTE_INVALID_PARAMETER;
	case EEXIST:
		return NTE_EXISTS;
	case EBADRQC:
		return NTE_BAD_FLAGS;
	case ENOMEM:
	case ENOSPC:
		return NTE_NO_MEMORY;
	case ENOBUFS:
		return NTE_BUFFER_TOO_SMALL;
	case EOPNOTSUPP:
	case ENOTTY:
	case EPROTONOSUPPORT:
		return NTE_NOT_SUPPORTED;
	case EKEYREJECTED:
		return NTE_BAD_KEY_STATE;
	case EBADMSG:
		return NTE_BAD_DATA;
	case EILSEQ:
		return NTE_BAD_KEY;
	case ENOKEY:
		return NTE_NO_KEY;
	case EPERM:
	case EACCES:
		return NTE_PERM;
	default:
		return NTE_INTERNAL_ERROR;
	}
}

/**
 * sslprov_status_from_open_errno() - map an error of open("/dev/sslprov").
 * @err: the errno of the failed open(), positive or negative.
 *
 * Opening is not an ioctl, so a few errors mean something the ABI table
 * does not cover: no device node or no module behind it (ENOENT, ENODEV,
 * ENXIO) means this system has no such provider, %NTE_NOT_SUPPORTED; out
 * of file descriptors (EMFILE, ENFILE) is a resource limit like memory,
 * %NTE_NO_MEMORY.  Everything else (EACCES and EPERM: %NTE_PERM) follows
 * the ABI table.
 *
 * Return: the status for SslOpenProvider() to return.
 */
SECURITY_STATUS sslprov_status_from_open_errno(int err)
{
	if (err < 0)
		err = -err;

	switch (err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return NTE_NOT_SUPPORTED;
	case EMFILE:
	case ENFILE:
		return NTE_NO_MEMORY;
	default:
		return sslprov_status_from_errno(err);
	}
}
