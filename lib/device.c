// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * device.c - /dev/sslprov: opening it and every ioctl the library makes.
 *
 * All functions return 0 or a negative errno; the callers turn that into a
 * SECURITY_STATUS with sslprov_status_from_errno().  Nothing here knows
 * about handles or the Windows API.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

/* Tests point this at a missing path or a file that is not the device. */
#define SSLPROV_DEVICE_ENV "SSLPROV_DEVICE"

/**
 * sslprov_dev_open() - open a new instance of the device.
 *
 * The path is SSLPROV_DEVICE, or the environment variable of that name
 * when set.  The variable is read with secure_getenv(), so a set-id
 * program cannot be pointed at another file.  The descriptor is
 * close-on-exec: a child must not inherit access to the parent's keys.
 *
 * Return: a file descriptor, or a negative errno.
 */
int sslprov_dev_open(void)
{
	const char *path = secure_getenv(SSLPROV_DEVICE_ENV);
	int fd;

	if (!path || !*path)
		path = SSLPROV_DEVICE;

	do {
		fd = open(path, O_RDWR | O_CLOEXEC);
	} while (fd < 0 && errno == EINTR);

	return fd < 0 ? -errno : fd;
}

/**
 * sslprov_dev_close() - close an instance; the kernel frees its objects.
 * @fd: a descriptor from sslprov_dev_open().
 */
void sslprov_dev_close(int fd)
{
	/* Linux releases the descriptor even when close() reports EINTR. */
	close(fd);
}

/*
 * Every argument structure starts with its own size (uapi header); fill it
 * in so no caller can get it wrong, then retry the call if a signal
 * interrupted it before the kernel did anything.
 */
int sslprov_dev_call(int fd, unsigned long request, void *arg, uint32_t size)
{
	int ret;

	memcpy(arg, &size, sizeof(size));
	do {
		ret = ioctl(fd, request, arg);
	} while (ret < 0 && errno == EINTR);

	return ret < 0 ? -errno : 0;
}

/**
 * sslprov_dev_get_info() - SSLPROV_IOC_GET_INFO.
 * @fd: an open instance.
 * @info: receives what the module reports.
 *
 * Return: 0 or a negative errno (-ENOTTY: @fd is not /dev/sslprov).
 */
int sslprov_dev_get_info(int fd, struct sslprov_info *info)
{
	memset(info, 0, sizeof(*info));
	return sslprov_dev_call(fd, SSLPROV_IOC_GET_INFO, info, sizeof(*info));
}

/**
 * sslprov_dev_free() - SSLPROV_IOC_FREE: free one kernel object.
 * @fd: the instance that owns the object.
 * @id: the kernel object handle.
 *
 * Return: 0 or a negative errno (-EBADF: no such object).
 */
int sslprov_dev_free(int fd, uint32_t id)
{
	struct sslprov_free arg = { .handle = id };

	return sslprov_dev_call(fd, SSLPROV_IOC_FREE, &arg, sizeof(arg));
}

/**
 * sslprov_dev_hash_create() - SSLPROV_IOC_HASH_CREATE.
 * @fd: an open instance.
 * @protocol: TLS protocol version as on the wire.
 * @cipher_suite: IANA cipher suite number.
 * @id: receives the kernel handle of the new hash object.
 *
 * Return: 0 or a negative errno.
 */
int sslprov_dev_hash_create(int fd, uint32_t protocol, uint32_t cipher_suite,
			    uint32_t *id)
{
	struct sslprov_hash_create arg = {
		.protocol = protocol,
		.cipher_suite = cipher_suite,
	};
	int ret;

	ret = sslprov_dev_call(fd, SSLPROV_IOC_HASH_CREATE, &arg, sizeof(arg));
	if (ret)
		return ret;
	/* Zero is never an object; a module that says otherwise is broken. */
	if (!arg.handle)
		return -EPROTO;
	*id = arg.handle;
	return 0;
}

/**
 * sslprov_dev_hash_update() - SSLPROV_IOC_HASH_UPDATE.
 * @fd: the instance that owns the hash.
 * @id: the kernel handle of the hash object.
 * @data: the bytes to hash.
 * @len: their number, at most SSLPROV_MAX_HASH_INPUT.
 *
 * Return: 0 or a negative errno.
 */
int sslprov_dev_hash_update(int fd, uint32_t id, const void *data, uint32_t len)
{
	struct sslprov_hash_update arg = {
		.handle = id,
		.len = len,
		.data = (uintptr_t)data,
	};

	return sslprov_dev_call(fd, SSLPROV_IOC_HASH_UPDATE, &arg, sizeof(arg));
}
