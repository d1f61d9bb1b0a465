// SPDX-License-Identifier: GPL-2.0
/*
 * sslprovctl - the administrator's tool for the sslprov kernel key store.
 *
 *	sslprovctl load [--uid USER|UID] [--gid GROUP|GID] KEYFILE
 *	sslprovctl list
 *	sslprovctl unload FINGERPRINT
 *	sslprovctl fingerprint CERT-OR-KEY-FILE
 *
 * "load" reads an RSA private key (PEM or DER, PKCS#1 or PKCS#8, encrypted
 * PEM asks for its pass phrase), hands it to /dev/sslprov as a PKCS#1
 * RSAPrivateKey and wipes every copy this process made.  From then on the
 * key lives in the kernel only; the user or group named may use it
 * (SslOpenPrivateKey) but nobody can read it back.  A key is named by the
 * SHA-256 of its DER SubjectPublicKeyInfo, which "fingerprint" computes
 * locally from a certificate or key file.
 *
 * Talks to the module with the raw ioctls of <linux/sslprov.h>.
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <linux/sslprov.h>

#define PROG "sslprovctl"

#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* Key and certificate files are small; refuse anything absurd. */
#define MAX_INPUT_FILE	(1024 * 1024)

#ifndef SSLPROVCTL_VERSION
#define SSLPROVCTL_VERSION "0.1.0"
#endif

static void usage_text(FILE *f)
{
	fprintf(f,
		"usage: " PROG " load [--uid USER|UID] [--gid GROUP|GID] KEYFILE\n"
		"       " PROG " list\n"
		"       " PROG " unload FINGERPRINT\n"
		"       " PROG " fingerprint CERT-OR-KEY-FILE\n"
		"       " PROG " --help | --version\n"
		"\n"
		"  load         load an RSA private key (PEM or DER, PKCS#1 or PKCS#8)\n"
		"               into the kernel key store for USER and/or GROUP\n"
		"               (at least one of --uid and --gid); prints its fingerprint\n"
		"  list         show the loaded keys: fingerprint, bits, uid, gid\n"
		"  unload       remove the key with this SHA-256 fingerprint (64 hex digits)\n"
		"  fingerprint  the SHA-256 of the DER SubjectPublicKeyInfo of a\n"
		"               certificate or key file, as the key store names keys\n"
		"\n"
		"The device is " SSLPROV_DEVICE "; load and unload need CAP_SYS_ADMIN or\n"
		"the group set by the module's key_group parameter.\n");
}

static void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void err_msg(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry '" PROG " --help'.\n", stderr);
	return EXIT_USAGE;
}

/* OpenSSL's reasons, after our own message. */
static void print_openssl_errors(void)
{
	unsigned long e;
	char buf[256];

	while ((e = ERR_get_error()) != 0) {
		ERR_error_string_n(e, buf, sizeof(buf));
		fprintf(stderr, "  %s\n", buf);
	}
}

/* ------------------------------------------------------------------------
 * The device
 * ------------------------------------------------------------------------ */

static int dev_open(void)
{
	int fd = open(SSLPROV_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		int e = errno;

		err_msg("cannot open %s: %s%s", SSLPROV_DEVICE, strerror(e),
			e == ENOENT ? " (is the sslprov module loaded?)" : "");
	}
	return fd;
}

/* Words for what the module's errno means to an administrator. */
static const char *dev_error_words(unsigned long request, int e)
{
	switch (e) {
	case EPERM:
	case EACCES:
		return "permission denied: loading and unloading keys needs "
		       "CAP_SYS_ADMIN or membership of the module's key_group";
	case EEXIST:
		return "a key with this fingerprint is already loaded "
		       "(unload it first to change its owner)";
	case ENOKEY:
		return "no key with this fingerprint is loaded";
	case EILSEQ:
		return "the module rejected the key as malformed "
		       "(or its CRT values do not match its modulus)";
	case EOPNOTSUPP:
		return "the module does not support this key "
		       "(RSA modulus of 1024 to 16384 bits, two primes)";
	case ENOSPC:
		return "the key store is full";
	case ENOMEM:
		return "the kernel is out of memory";
	case ENOTTY:
		return "the device does not know this operation "
		       "(module older than this tool?)";
	case E2BIG:
		return "the module is older than this tool (structure too big)";
	case EINVAL:
		if (request == SSLPROV_IOC_KEY_LOAD)
			return "invalid argument (bad uid/gid, or key too large)";
		return "invalid argument";
	default:
		return strerror(e);
	}
}

/* ------------------------------------------------------------------------
 * Files: read whole, wipe after use
 * ------------------------------------------------------------------------ */

struct blob {
	unsigned char *data;
	size_t len;
};

static void blob_wipe(struct blob *b)
{
	if (b->data) {
		OPENSSL_cleanse(b->data, b->len);
		free(b->data);
	}
	b->data = NULL;
	b->len = 0;
}

/*
 * Read all of @path ("-" is stdin).  The buffer may hold a private key: the
 * caller wipes it with blob_wipe().
 */
static int read_file(const char *path, struct blob *out)
{
	bool is_stdin = !strcmp(path, "-");
	size_t cap = 4096, len = 0;
	unsigned char *buf, *nbuf;
	int fd, ret = -1;
	struct stat st;

	out->data = NULL;
	out->len = 0;
	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		err_msg("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		err_msg("%s: is a directory", path);
		goto out_close;
	}
	buf = malloc(cap);
	if (!buf) {
		err_msg("out of memory");
		goto out_close;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			if (cap >= MAX_INPUT_FILE) {
				err_msg("%s: too large for a key or certificate", path);
				goto out_free;
			}
			/* Grow by copying, so that no stale copy is left behind. */
			nbuf = malloc(cap * 2);
			if (!nbuf) {
				err_msg("out of memory");
				goto out_free;
			}
			memcpy(nbuf, buf, len);
			OPENSSL_cleanse(buf, cap);
			free(buf);
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err_msg("%s: %s", path, strerror(errno));
			goto out_free;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (!len) {
		err_msg("%s: empty file", path);
		goto out_free;
	}
	out->data = buf;
	out->len = len;
	buf = NULL;
	ret = 0;
out_free:
	if (buf) {
		OPENSSL_cleanse(buf, cap);
		free(buf);
	}
out_close:
	if (!is_stdin)
		close(fd);
	return ret;
}

static bool looks_like_pem(const struct blob *b)
{
	static const char marker[] = "-----BEGIN ";
	size_t i, n = sizeof(marker) - 1;

	for (i = 0; i + n <= b->len; i++)
		if (!memcmp(b->data + i, marker, n))
			return true;
	return false;
}

/*
 * A private key from PEM (PKCS#1 "RSA PRIVATE KEY", PKCS#8 "PRIVATE KEY",
 * or encrypted PKCS#8 / legacy PEM: OpenSSL prompts for the pass phrase) or
 * DER (PKCS#1 or unencrypted PKCS#8).
 */
static EVP_PKEY *parse_private_key(const struct blob *b)
{
	EVP_PKEY *pkey = NULL;

	if (b->len > LONG_MAX || b->len > INT_MAX)
		return NULL;
	if (looks_like_pem(b)) {
		BIO *bio = BIO_new_mem_buf(b->data, (int)b->len);

		if (!bio)
			return NULL;
		pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
		BIO_free(bio);
	} else {
		const unsigned char *p = b->data;

		pkey = d2i_AutoPrivateKey(NULL, &p, (long)b->len);
	}
	return pkey;
}

/* ------------------------------------------------------------------------
 * Fingerprints
 * ------------------------------------------------------------------------ */

static void print_hex(FILE *f, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * 64 hex digits, optionally with ':' between byte pairs (as
 * "openssl x509 -fingerprint" prints them) and an optional "sha256:" or
 * "SHA256=" prefix.
 */
static int parse_fingerprint(const char *s, uint8_t out[SSLPROV_FINGERPRINT_LEN])
{
	size_t n = 0;

	if (!strncasecmp(s, "sha256:", 7) || !strncasecmp(s, "sha256=", 7))
		s += 7;
	while (*s) {
		int hi, lo;

		if (*s == ':' && n > 0) {
			s++;
			continue;
		}
		hi = hexval((unsigned char)s[0]);
		lo = hi < 0 ? -1 : hexval((unsigned char)s[1]);
		if (hi < 0 || lo < 0 || n >= SSLPROV_FINGERPRINT_LEN)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return n == SSLPROV_FINGERPRINT_LEN ? 0 : -1;
}

/*
 * SHA-256 of the DER SubjectPublicKeyInfo of @pkey.  i2d_PUBKEY encodes
 * from the key's parameters, so a certificate and its key give the same
 * bytes, the ones the module hashes ("openssl pkey -pubout -outform DER").
 */
static int spki_sha256(EVP_PKEY *pkey, unsigned char out[SSLPROV_FINGERPRINT_LEN])
{
	unsigned char *der = NULL;
	unsigned int mdlen = 0;
	int len, ok;

	len = i2d_PUBKEY(pkey, &der);
	if (len <= 0)
		return -1;
	ok = EVP_Digest(der, (size_t)len, out, &mdlen, EVP_sha256(), NULL);
	OPENSSL_free(der);
	return ok && mdlen == SSLPROV_FINGERPRINT_LEN ? 0 : -1;
}

/* A certificate, PEM or DER. */
static X509 *parse_certificate(const struct blob *b)
{
	X509 *x = NULL;

	if (b->len > INT_MAX)
		return NULL;
	if (looks_like_pem(b)) {
		BIO *bio = BIO_new_mem_buf(b->data, (int)b->len);

		if (bio) {
			x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
			BIO_free(bio);
		}
	} else {
		const unsigned char *p = b->data;

		x = d2i_X509(NULL, &p, (long)b->len);
	}
	return x;
}

/* A public key alone, PEM ("PUBLIC KEY") or DER SubjectPublicKeyInfo. */
static EVP_PKEY *parse_public_key(const struct blob *b)
{
	EVP_PKEY *pkey = NULL;

	if (b->len > INT_MAX)
		return NULL;
	if (looks_like_pem(b)) {
		BIO *bio = BIO_new_mem_buf(b->data, (int)b->len);

		if (bio) {
			pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
			BIO_free(bio);
		}
	} else {
		const unsigned char *p = b->data;

		pkey = d2i_PUBKEY(NULL, &p, (long)b->len);
	}
	return pkey;
}

/* ------------------------------------------------------------------------
 * load
 * ------------------------------------------------------------------------ */

/* A user name or number; sets *out. */
static int parse_uid(const char *s, uint32_t *out)
{
	struct passwd *pw;
	unsigned long v;
	char *end;

	if (*s >= '0' && *s <= '9') {
		errno = 0;
		v = strtoul(s, &end, 10);
		/* (uid_t)-1 is "no user" to the kernel. */
		if (errno || *end || v >= UINT32_MAX)
			return -1;
		*out = (uint32_t)v;
		return 0;
	}
	pw = getpwnam(s);
	if (!pw)
		return -1;
	*out = (uint32_t)pw->pw_uid;
	return 0;
}

static int parse_gid(const char *s, uint32_t *out)
{
	struct group *gr;
	unsigned long v;
	char *end;

	if (*s >= '0' && *s <= '9') {
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || *end || v >= UINT32_MAX)
			return -1;
		*out = (uint32_t)v;
		return 0;
	}
	gr = getgrnam(s);
	if (!gr)
		return -1;
	*out = (uint32_t)gr->gr_gid;
	return 0;
}

/* All eight private components present: the module needs the CRT ones. */
static bool has_crt_components(const EVP_PKEY *pkey)
{
	static const char *const names[] = {
		OSSL_PKEY_PARAM_RSA_D,
		OSSL_PKEY_PARAM_RSA_FACTOR1,
		OSSL_PKEY_PARAM_RSA_FACTOR2,
		OSSL_PKEY_PARAM_RSA_EXPONENT1,
		OSSL_PKEY_PARAM_RSA_EXPONENT2,
		OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
	};
	BIGNUM *bn = NULL;
	size_t i;
	bool ok = true;

	for (i = 0; ok && i < sizeof(names) / sizeof(names[0]); i++) {
		ok = EVP_PKEY_get_bn_param(pkey, names[i], &bn) && bn &&
		     !BN_is_zero(bn);
		BN_clear_free(bn);
		bn = NULL;
	}
	/* A third prime means a multi-prime key, which the module refuses. */
	if (ok && EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR3, &bn)) {
		BN_clear_free(bn);
		err_msg("multi-prime RSA keys are not supported");
		return false;
	}
	ERR_clear_error();
	return ok;
}

/*
 * mlockall(MCL_FUTURE) under a finite RLIMIT_MEMLOCK would make later
 * allocations fail once the limit is reached: lock everything only when
 * no limit applies (CAP_IPC_LOCK or an infinite limit).
 */
static bool may_lock_all_memory(void)
{
	unsigned long long capeff = 0;
	struct rlimit rl;
	char line[256];
	bool cap = false;
	FILE *f;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0 && rl.rlim_cur == RLIM_INFINITY)
		return true;
	f = fopen("/proc/self/status", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "CapEff: %llx", &capeff) == 1) {
			cap = capeff & (1ULL << 14);	/* CAP_IPC_LOCK */
			break;
		}
	}
	fclose(f);
	return cap;
}

static int cmd_load(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "uid", required_argument, NULL, 'u' },
		{ "gid", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sslprov_key_load args;
	unsigned char *der = NULL;
	struct blob file = { NULL, 0 };
	EVP_PKEY *pkey = NULL;
	uint32_t uid = 0, gid = 0, flags = 0;
	int c, fd = -1, der_len = 0, ret = EXIT_FAIL;
	const char *path;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+u:g:h", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			if (parse_uid(optarg, &uid))
				return usage_error("load: no such user: %s", optarg);
			flags |= SSLPROV_KEY_UID;
			break;
		case 'g':
			if (parse_gid(optarg, &gid))
				return usage_error("load: no such group: %s", optarg);
			flags |= SSLPROV_KEY_GID;
			break;
		case 'h':
			usage_text(stdout);
			return EXIT_OK;
		default:
			fputs("Try '" PROG " --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (!flags)
		return usage_error("load: name the key's user (--uid) and/or group (--gid)");
	if (argc - optind != 1)
		return usage_error("load: want exactly one KEYFILE");
	path = argv[optind];

	/* The key passes through this process: keep it out of swap and cores. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (may_lock_all_memory())
		(void)mlockall(MCL_CURRENT | MCL_FUTURE);

	if (read_file(path, &file))
		goto out;
	pkey = parse_private_key(&file);
	blob_wipe(&file);
	if (!pkey) {
		err_msg("%s: not a private key (PEM or DER, PKCS#1 or PKCS#8), or wrong pass phrase",
			path);
		print_openssl_errors();
		goto out;
	}
	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
		err_msg("%s: a %s key; the key store takes RSA keys only%s", path,
			EVP_PKEY_get0_type_name(pkey) ? EVP_PKEY_get0_type_name(pkey) : "non-RSA",
			EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA_PSS ?
			" (RSA-PSS keys cannot decrypt)" : "");
		goto out;
	}
	if (!has_crt_components(pkey)) {
		err_msg("%s: the key lacks its CRT components (p, q, dp, dq, qinv)", path);
		goto out;
	}
	/* For RSA, i2d_PrivateKey is the PKCS#1 RSAPrivateKey. */
	der_len = i2d_PrivateKey(pkey, &der);
	EVP_PKEY_free(pkey);	/* OpenSSL clears the private key on free */
	pkey = NULL;
	if (der_len <= 0 || !der) {
		err_msg("%s: cannot encode the key as PKCS#1", path);
		print_openssl_errors();
		goto out;
	}
	if ((size_t)der_len > SSLPROV_MAX_KEY_DER) {
		err_msg("%s: key too large (%d bytes of DER, the module takes %d)",
			path, der_len, SSLPROV_MAX_KEY_DER);
		goto out;
	}

	fd = dev_open();
	if (fd < 0)
		goto out;
	memset(&args, 0, sizeof(args));
	args.size = sizeof(args);
	args.flags = flags;
	args.uid = uid;
	args.gid = gid;
	args.der_len = (uint32_t)der_len;
	args.der = (uint64_t)(uintptr_t)der;
	if (ioctl(fd, SSLPROV_IOC_KEY_LOAD, &args) < 0) {
		err_msg("load %s: %s", path, dev_error_words(SSLPROV_IOC_KEY_LOAD, errno));
		goto out;
	}
	print_hex(stdout, args.fingerprint, sizeof(args.fingerprint));
	putchar('\n');
	ret = EXIT_OK;
out:
	if (der) {
		OPENSSL_cleanse(der, (size_t)der_len);
		OPENSSL_free(der);
	}
	EVP_PKEY_free(pkey);
	blob_wipe(&file);
	if (fd >= 0)
		close(fd);
	if (fflush(stdout) != 0 && ret == EXIT_OK) {
		err_msg("write error: %s", strerror(errno));
		ret = EXIT_FAIL;
	}
	return ret;
}

/* ------------------------------------------------------------------------
 * list
 * ------------------------------------------------------------------------ */

static int cmd_list(int argc, char **argv)
{
	struct sslprov_key_entry *entries = NULL;
	struct sslprov_key_list args;
	uint32_t room = 0, i;
	int fd, tries, ret = EXIT_FAIL;

	(void)argv;
	if (argc != 1)
		return usage_error("list: takes no arguments");
	fd = dev_open();
	if (fd < 0)
		return EXIT_FAIL;
	/* Ask for the count, make room, ask again; keys may come meanwhile. */
	for (tries = 0; tries < 8; tries++) {
		memset(&args, 0, sizeof(args));
		args.size = sizeof(args);
		args.count = room;
		args.entries = (uint64_t)(uintptr_t)entries;
		if (ioctl(fd, SSLPROV_IOC_KEY_LIST, &args) < 0) {
			err_msg("list: %s", dev_error_words(SSLPROV_IOC_KEY_LIST, errno));
			goto out;
		}
		if (args.count <= room)
			break;
		room = args.count + 4;
		free(entries);
		entries = calloc(room, sizeof(*entries));
		if (!entries) {
			err_msg("out of memory");
			goto out;
		}
	}
	if (args.count > room) {
		err_msg("list: the key store keeps changing; try again");
		goto out;
	}
	printf("%-64s %5s %10s %10s\n", "FINGERPRINT", "BITS", "UID", "GID");
	for (i = 0; i < args.count; i++) {
		const struct sslprov_key_entry *e = &entries[i];

		print_hex(stdout, e->fingerprint, sizeof(e->fingerprint));
		printf(" %5u", e->bits);
		if (e->flags & SSLPROV_KEY_UID)
			printf(" %10u", e->uid);
		else
			printf(" %10s", "-");
		if (e->flags & SSLPROV_KEY_GID)
			printf(" %10u", e->gid);
		else
			printf(" %10s", "-");
		putchar('\n');
	}
	ret = EXIT_OK;
out:
	free(entries);
	close(fd);
	if (fflush(stdout) != 0 && ret == EXIT_OK) {
		err_msg("write error: %s", strerror(errno));
		ret = EXIT_FAIL;
	}
	return ret;
}

/* ------------------------------------------------------------------------
 * unload
 * ------------------------------------------------------------------------ */

static int cmd_unload(int argc, char **argv)
{
	struct sslprov_key_ref args;
	int fd, ret = EXIT_FAIL;

	if (argc != 2)
		return usage_error("unload: want exactly one FINGERPRINT");
	memset(&args, 0, sizeof(args));
	args.size = sizeof(args);
	if (parse_fingerprint(argv[1], args.fingerprint))
		return usage_error("unload: a fingerprint is 64 hex digits (SHA-256): %s",
				   argv[1]);
	fd = dev_open();
	if (fd < 0)
		return EXIT_FAIL;
	if (ioctl(fd, SSLPROV_IOC_KEY_UNLOAD, &args) < 0)
		err_msg("unload: %s", dev_error_words(SSLPROV_IOC_KEY_UNLOAD, errno));
	else
		ret = EXIT_OK;
	close(fd);
	return ret;
}

/* ------------------------------------------------------------------------
 * fingerprint
 * ------------------------------------------------------------------------ */

static int cmd_fingerprint(int argc, char **argv)
{
	unsigned char fp[SSLPROV_FINGERPRINT_LEN];
	struct blob file = { NULL, 0 };
	EVP_PKEY *pkey = NULL;
	const char *what = NULL;
	int ret = EXIT_FAIL;
	X509 *x;

	if (argc != 2)
		return usage_error("fingerprint: want exactly one CERT-OR-KEY-FILE");
	/* The file may be a private key: same care as for load. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (read_file(argv[1], &file))
		return EXIT_FAIL;

	x = parse_certificate(&file);
	if (x) {
		pkey = X509_get_pubkey(x);	/* a reference of our own */
		X509_free(x);
		what = "certificate";
	}
	if (!pkey) {
		ERR_clear_error();
		pkey = parse_public_key(&file);
		what = "public key";
	}
	if (!pkey) {
		ERR_clear_error();
		pkey = parse_private_key(&file);
		what = "private key";
	}
	blob_wipe(&file);
	if (!pkey) {
		err_msg("%s: not a certificate, public key or private key (PEM or DER)",
			argv[1]);
		ERR_clear_error();
		goto out;
	}
	if (spki_sha256(pkey, fp)) {
		err_msg("%s: cannot encode the public key", argv[1]);
		print_openssl_errors();
		goto out;
	}
	print_hex(stdout, fp, sizeof(fp));
	putchar('\n');
	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA)
		err_msg("note: %s: %s of type %s; the key store takes RSA keys only",
			argv[1], what, EVP_PKEY_get0_type_name(pkey) ?
			EVP_PKEY_get0_type_name(pkey) : "unknown");
	ret = EXIT_OK;
out:
	EVP_PKEY_free(pkey);
	if (fflush(stdout) != 0 && ret == EXIT_OK) {
		err_msg("write error: %s", strerror(errno));
		ret = EXIT_FAIL;
	}
	return ret;
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2)
		return usage_error("no command given");
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		usage_text(stdout);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "--version")) {
		printf(PROG " " SSLPROVCTL_VERSION " (sslprov ABI %d)\n", SSLPROV_ABI_VERSION);
		return EXIT_OK;
	}
	/* Each command sees its own argv, argv[0] being its name. */
	if (!strcmp(cmd, "load"))
		return cmd_load(argc - 1, argv + 1);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "unload"))
		return cmd_unload(argc - 1, argv + 1);
	if (!strcmp(cmd, "fingerprint"))
		return cmd_fingerprint(argc - 1, argv + 1);
	return usage_error("unknown command: %s", cmd);
}
