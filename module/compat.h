/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels the module builds for, decided by what
 * the headers declare rather than by version numbers.
 */
#ifndef SSLPROV_COMPAT_H
#define SSLPROV_COMPAT_H

#include <linux/mpi.h>

/*
 * lib/mpi arithmetic returned void until it learned to report allocation
 * failures (int).  Evaluate the call either way and yield an int.
 */
#define sslprov_mpi_status(call)					\
	__builtin_choose_expr(						\
		__builtin_types_compatible_p(typeof(call), void),	\
		({ call; 0; }), (call))

#endif /* SSLPROV_COMPAT_H */
