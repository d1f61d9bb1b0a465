// SPDX-License-Identifier: GPL-2.0
/*
 * Operations declared in the ABI whose implementation has not landed yet:
 * they answer -ENOTTY, as an unknown ioctl would.
 */
#include <linux/errno.h>

#include "sslprov.h"

#define SSLPROV_PENDING(name)						\
long sslprov_ioctl_##name(struct sslprov_file *file, void __user *uarg) \
{									\
	return -ENOTTY;							\
}

SSLPROV_PENDING(encrypt)
SSLPROV_PENDING(decrypt)
SSLPROV_PENDING(ktls_attach)
