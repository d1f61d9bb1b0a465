/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test.h - what the libsslprov unit tests share: the fake module of
 * fake.c and the result counters of test_lib.c.
 */
#ifndef SSLPROV_TEST_H
#define SSLPROV_TEST_H

#include <stdint.h>

/*
 * fake.c emulates /dev/sslprov in userspace, so the library's handle
 * table, refcounting and error paths can be tested without the module.
 * The library opens whatever $SSLPROV_DEVICE names; the tests point it at
 * /dev/null and, while the fake is enabled, every ioctl() and close() the
 * library makes on a /dev/null descriptor is answered here instead of by
 * the kernel.  Disabled, the calls go to the kernel unchanged.
 */
void fake_enable(int on);
void fake_set_abi(uint32_t abi);	/* what GET_INFO reports */
void fake_inject(int err);		/* the next ioctl fails with err */
unsigned int fake_open_files(void);	/* emulated files not yet closed */
unsigned int fake_live_objects(void);	/* objects on them */
unsigned long fake_ioctls(void);	/* ioctls answered so far */
unsigned long fake_closes(void);	/* emulated files closed so far */
unsigned long fake_bad_sizes(void);	/* calls with a wrong size field */
uint64_t fake_hashed_bytes(void);	/* bytes fed to HASH_UPDATE */
uint32_t fake_max_update(void);		/* largest single HASH_UPDATE */
unsigned long fake_updates(void);	/* HASH_UPDATE calls answered */
void fake_reset_max_update(void);
unsigned long fake_finished(void);	/* FINISHED calls answered */
uint64_t fake_finished_pending(void);	/* bytes FINISHED took as pending */
void fake_set_finished_ver0(int on);	/* FINISHED as a VER0 module */

#define FAKE_MAX_OBJECTS 64

#endif /* SSLPROV_TEST_H */
