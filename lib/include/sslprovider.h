/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sslprovider.h - the Windows CNG SSL protocol provider API (Sslprovider.h)
 * for Linux, implemented by libsslprov on top of /dev/sslprov.
 *
 * The contract is the project specification, cng-ssl-provider.md.  Names,
 * values, structure layouts and function signatures are those of the
 * Windows SDK headers (sslprovider.h, ncrypt.h, bcrypt.h, wincrypt.h,
 * winerror.h), with the Windows types mapped to fixed-width C types:
 * Windows is LLP64, so nothing here uses long.  WCHAR is one UTF-16 code
 * unit and every string constant is a u"..." literal.  Structures have
 * natural alignment and match Windows x64 byte for byte; the static
 * assertions below pin that.
 *
 * Unconfirmed points: where the Windows documentation is silent, this
 * header and the library keep the contract's natural reading:
 *  - names (provider, algorithm, blob type) are compared exactly;
 *  - NCRYPT_SSL_EAP_* select the EAP method with the labels of the EAP
 *    RFCs, and only dwFlags & NCRYPT_SSL_EAP_PRF_FIELD is read as the
 *    method (NCRYPT_SSL_SERVER_FLAG overlaps NCRYPT_SSL_EAP_TTLSV0_CHLNG_ID);
 *  - NCRYPT_ECCPUBLIC_BLOB / NCRYPT_DH_PUBLIC_BLOB are the same strings as
 *    their BCRYPT_ twins;
 *  - SslInitializeInterface always fills the whole version-5 table, so the
 *    caller's table must be sizeof(NCRYPT_SSL_FUNCTION_TABLE) (336) bytes;
 *  - of CERT_CONTEXT only pbCertEncoded and cbCertEncoded are read.
 * The values of BCRYPT_ECDH_ALGORITHM, BCRYPT_ECDSA_ALGORITHM,
 * BCRYPT_CHACHA20_POLY1305_ALGORITHM, BCRYPT_ECDH_PUBLIC_GENERIC_MAGIC and
 * the CERT_CONTEXT layout, unconfirmed in the contract, are those of
 * recent public bcrypt.h and wincrypt.h.
 */
#ifndef SSLPROVIDER_H
#define SSLPROVIDER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Compiler glue
 * ------------------------------------------------------------------------ */

#ifndef SSLPROV_API
#define SSLPROV_API __attribute__((visibility("default")))
#endif

/* Windows x64 has one calling convention; Linux uses the native ABI. */
#ifndef WINAPI
#define WINAPI
#endif

#ifdef __cplusplus
#define SSLPROV_STATIC_ASSERT(expr, msg) static_assert(expr, msg)
#else
#define SSLPROV_STATIC_ASSERT(expr, msg) _Static_assert(expr, msg)
#endif
/* Layout checks against the Windows x64 sizes and offsets. */
#define SSLPROV_ASSERT_SIZE(type, size) \
	SSLPROV_STATIC_ASSERT(sizeof(type) == (size), "sizeof(" #type ")")
#define SSLPROV_ASSERT_OFFSET(type, member, offset) \
	SSLPROV_STATIC_ASSERT(offsetof(type, member) == (offset), #type "." #member)

/*
 * SAL annotations: documentation only.  The old double-underscore forms
 * (__in, __out, ...) are deliberately not defined: libstdc++ uses those
 * names as identifiers.
 */
#ifndef _In_
#define _In_
#endif
#ifndef _In_opt_
#define _In_opt_
#endif
#ifndef _Out_
#define _Out_
#endif
#ifndef _Out_opt_
#define _Out_opt_
#endif
#ifndef _Inout_
#define _Inout_
#endif
#ifndef _Inout_opt_
#define _Inout_opt_
#endif
#ifndef _Outptr_
#define _Outptr_
#endif
#ifndef _In_reads_bytes_
#define _In_reads_bytes_(size)
#endif
#ifndef _In_reads_bytes_opt_
#define _In_reads_bytes_opt_(size)
#endif
#ifndef _Out_writes_
#define _Out_writes_(size)
#endif
#ifndef _Out_writes_bytes_
#define _Out_writes_bytes_(size)
#endif
#ifndef _Out_writes_bytes_all_
#define _Out_writes_bytes_all_(size)
#endif
#ifndef _Out_writes_bytes_to_opt_
#define _Out_writes_bytes_to_opt_(size, count)
#endif
#ifndef _Outptr_result_buffer_all_
#define _Outptr_result_buffer_all_(size)
#endif
#ifndef _Outptr_result_bytebuffer_
#define _Outptr_result_bytebuffer_(size)
#endif
/* ------------------------------------------------------------------------
 * Windows types (contract section 2)
 * ------------------------------------------------------------------------ */

typedef int32_t SECURITY_STATUS;
typedef int32_t NTSTATUS;
typedef int32_t HRESULT;
typedef uint32_t DWORD;
typedef uint32_t ULONG;
typedef uint32_t UINT;
typedef int32_t LONG;
typedef int32_t BOOL;
typedef uint8_t BYTE;
typedef uint8_t UCHAR;
typedef char CHAR;
typedef char *PCHAR;
typedef uint8_t *PBYTE;
typedef uint8_t *PUCHAR;
typedef uint16_t USHORT;
typedef uint16_t WORD;
typedef uint64_t ULONGLONG;
typedef uintptr_t ULONG_PTR;
typedef void *PVOID;
typedef void *LPVOID;
typedef void *HANDLE;

/*
 * One UTF-16 code unit.  C++ gets char16_t so that u"..." literals convert
 * to LPCWSTR; in C, char16_t is uint_least16_t, i.e. uint16_t.  Both have
 * the same size and representation, so the ABI is one.
 */
#ifdef __cplusplus
typedef char16_t WCHAR;
#else
typedef uint16_t WCHAR;
#endif
typedef WCHAR *LPWSTR;
typedef const WCHAR *LPCWSTR;

typedef ULONG_PTR NCRYPT_HANDLE;
typedef ULONG_PTR NCRYPT_PROV_HANDLE;
typedef ULONG_PTR NCRYPT_KEY_HANDLE;
typedef ULONG_PTR NCRYPT_HASH_HANDLE;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

SSLPROV_ASSERT_SIZE(WCHAR, 2);
SSLPROV_STATIC_ASSERT(sizeof(u""[0]) == sizeof(WCHAR), "u\"\" literals are WCHAR strings");
SSLPROV_ASSERT_SIZE(ULONG_PTR, 8);

/* ------------------------------------------------------------------------
 * 3.1-3.2 Provider name and flags
 * ------------------------------------------------------------------------ */

#define MS_SCHANNEL_PROVIDER u"Microsoft SSL Protocol Provider"

#define NCRYPT_SSL_CLIENT_FLAG 0x00000001
#define NCRYPT_SSL_SERVER_FLAG 0x00000002

#define NCRYPT_SSL_CIPHER_LENGTHS_BLOCK_PADDING 0x00000001

/* SslComputeEapKeyBlock: dwFlags & NCRYPT_SSL_EAP_PRF_FIELD is the method. */
#define NCRYPT_SSL_EAP_PRF_FIELD       0x000000ff
#define NCRYPT_SSL_EAP_ID              0x00000000
#define NCRYPT_SSL_EAP_TTLSV0_ID       0x00000001
#define NCRYPT_SSL_EAP_TTLSV0_CHLNG_ID 0x00000002
#define NCRYPT_SSL_EAP_FAST_ID         0x00000003

/* SslSignHash / SslVerifySignature */
#define NCRYPT_SSL_SIGN_INCLUDE_HASHOID 0x00000001
#define NCRYPT_SSL_SIGN_USE_PSS_PADDING 0x00000002

/* SslExpandBinderKey */
#define NCRYPT_SSL_EXTERNAL_PSK_FLAG   0x00000001
#define NCRYPT_SSL_RESUMPTION_PSK_FLAG 0x00000002

/* ------------------------------------------------------------------------
 * 3.3 Protocol identifiers (the wire ProtocolVersion)
 * ------------------------------------------------------------------------ */

#define SSL2_PROTOCOL_VERSION    0x0002
#define SSL3_PROTOCOL_VERSION    0x0300
#define TLS1_PROTOCOL_VERSION    0x0301
#define TLS1_0_PROTOCOL_VERSION  TLS1_PROTOCOL_VERSION
#define TLS1_1_PROTOCOL_VERSION  0x0302
#define TLS1_2_PROTOCOL_VERSION  0x0303
#define TLS1_3_PROTOCOL_VERSION  0x0304
#define DTLS1_0_PROTOCOL_VERSION 0xfeff
#define DTLS1_2_PROTOCOL_VERSION 0xfefd

/* ------------------------------------------------------------------------
 * 3.4 Cipher suites named by Sslprovider.h (IANA numbers)
 * ------------------------------------------------------------------------ */

#define TLS_RSA_WITH_NULL_MD5                   0x0001
#define TLS_RSA_WITH_NULL_SHA                   0x0002
#define TLS_RSA_EXPORT_WITH_RC4_40_MD5          0x0003
#define TLS_RSA_WITH_RC4_128_MD5                0x0004
#define TLS_RSA_WITH_RC4_128_SHA                0x0005
#define TLS_RSA_WITH_DES_CBC_SHA                0x0009
#define TLS_RSA_WITH_3DES_EDE_CBC_SHA           0x000A
#define TLS_DHE_DSS_WITH_DES_CBC_SHA            0x0012
#define TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA       0x0013
#define TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA       0x0016
#define TLS_RSA_WITH_AES_128_CBC_SHA            0x002F
#define TLS_DHE_DSS_WITH_AES_128_CBC_SHA        0x0032
#define TLS_DHE_RSA_WITH_AES_128_CBC_SHA        0x0033
#define TLS_RSA_WITH_AES_256_CBC_SHA            0x0035
#define TLS_DHE_DSS_WITH_AES_256_CBC_SHA        0x0038
#define TLS_DHE_RSA_WITH_AES_256_CBC_SHA        0x0039
#define TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA     0x0062
#define TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA 0x0063
#define TLS_RSA_EXPORT1024_WITH_RC4_56_SHA      0x0064

#define TLS_RSA_WITH_NULL_SHA256                0x003B
#define TLS_RSA_WITH_AES_128_CBC_SHA256         0x003C
#define TLS_RSA_WITH_AES_256_CBC_SHA256         0x003D
#define TLS_DHE_DSS_WITH_AES_128_CBC_SHA256     0x0040
#define TLS_DHE_DSS_WITH_AES_256_CBC_SHA256     0x006A
#define TLS_RSA_WITH_AES_128_GCM_SHA256         0x009C
#define TLS_RSA_WITH_AES_256_GCM_SHA384         0x009D
#define TLS_DHE_RSA_WITH_AES_128_GCM_SHA256     0x009E
#define TLS_DHE_RSA_WITH_AES_256_GCM_SHA384     0x009F

#define TLS_PSK_WITH_AES_128_GCM_SHA256         0x00A8
#define TLS_PSK_WITH_AES_256_GCM_SHA384         0x00A9
#define TLS_PSK_WITH_AES_128_CBC_SHA256         0x00AE
#define TLS_PSK_WITH_AES_256_CBC_SHA384         0x00AF
#define TLS_PSK_WITH_NULL_SHA256                0x00B0
#define TLS_PSK_WITH_NULL_SHA384                0x00B1

#define TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA    0xc009
#define TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA    0xc00a
#define TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA      0xc013
#define TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA      0xc014

#define TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 0xC023
#define TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 0xC024
#define TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256   0xC027
#define TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384   0xC028
#define TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 0xC02B
#define TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 0xC02C
#define TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256   0xC02F
#define TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384   0xC030

#define TLS_AES_128_GCM_SHA256                  0x1301
#define TLS_AES_256_GCM_SHA384                  0x1302

/* SSL 2.0 suites are 24-bit values. */
#define SSL_CK_RC4_128_WITH_MD5              0x010080
#define SSL_CK_RC4_128_EXPORT40_WITH_MD5     0x020080
#define SSL_CK_RC2_128_CBC_WITH_MD5          0x030080
#define SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5 0x040080
#define SSL_CK_IDEA_128_CBC_WITH_MD5         0x050080
#define SSL_CK_DES_64_CBC_WITH_MD5           0x060040
#define SSL_CK_DES_192_EDE3_CBC_WITH_MD5     0x0700C0

/* ------------------------------------------------------------------------
 * 3.5 Key types, sizes and algorithm names
 * ------------------------------------------------------------------------ */

/* dwKeyType: the IANA NamedCurve; 0 for keys that are not ECC. */
#define TLS_ECC_P256_CURVE_KEY_TYPE 23
#define TLS_ECC_P384_CURVE_KEY_TYPE 24
#define TLS_ECC_P521_CURVE_KEY_TYPE 25

/* Sslprovider.h says: use BCRYPT_ECDSA_ALGORITHM instead. */
#define SSL_ECDSA_ALGORITHM  u"ECDSA"

/* szExchange of PSK suites */
#define TLS_PSK_EXCHANGE     u"PSK"
#define TLS_RSA_PSK_EXCHANGE u"RSA_PSK"

#define NCRYPT_SSL_MAX_NAME_SIZE           64
#define MSCRYPT_ECC_MAX_OID_LENGTH         255
#define MSCRYPT_ECC_MAX_CURVE_NAME_LENGTH  255
#define NCRYPT_SSL_CIPHER_SUITE_EX_VERSION 1

#define BCRYPT_RSA_ALGORITHM               u"RSA"
#define BCRYPT_DH_ALGORITHM                u"DH"
#define BCRYPT_DSA_ALGORITHM               u"DSA"
#define BCRYPT_ECDH_ALGORITHM              u"ECDH"
#define BCRYPT_ECDSA_ALGORITHM             u"ECDSA"
#define BCRYPT_AES_ALGORITHM               u"AES"
#define BCRYPT_3DES_ALGORITHM              u"3DES"
#define BCRYPT_DES_ALGORITHM               u"DES"
#define BCRYPT_RC4_ALGORITHM               u"RC4"
#define BCRYPT_CHACHA20_POLY1305_ALGORITHM u"CHACHA20_POLY1305"
#define BCRYPT_MD5_ALGORITHM               u"MD5"
#define BCRYPT_SHA1_ALGORITHM              u"SHA1"
#define BCRYPT_SHA256_ALGORITHM            u"SHA256"
#define BCRYPT_SHA384_ALGORITHM            u"SHA384"
#define BCRYPT_SHA512_ALGORITHM            u"SHA512"

#define BCRYPT_CHAIN_MODE_CBC u"ChainingModeCBC"
#define BCRYPT_CHAIN_MODE_GCM u"ChainingModeGCM"
#define BCRYPT_CHAIN_MODE_CCM u"ChainingModeCCM"
#define BCRYPT_CHAIN_MODE_NA  u"ChainingModeN/A"

/* ------------------------------------------------------------------------
 * 3.6 NCryptBuffer types (ncrypt.h)
 * ------------------------------------------------------------------------ */

#define NCRYPTBUFFER_VERSION             0
#define NCRYPTBUFFER_EMPTY               0
#define NCRYPTBUFFER_DATA                1
#define NCRYPTBUFFER_SSL_CLIENT_RANDOM   20
#define NCRYPTBUFFER_SSL_SERVER_RANDOM   21
#define NCRYPTBUFFER_SSL_HIGHEST_VERSION 22
#define NCRYPTBUFFER_SSL_CLEAR_KEY       23
#define NCRYPTBUFFER_SSL_KEY_ARG_DATA    24
#define NCRYPTBUFFER_SSL_SESSION_HASH    25
#define NCRYPTBUFFER_PKCS_OID            40
#define NCRYPTBUFFER_PKCS_ALG_OID        41
#define NCRYPTBUFFER_PKCS_ALG_PARAM      42
#define NCRYPTBUFFER_PKCS_ALG_ID         43
#define NCRYPTBUFFER_PKCS_ATTRS          44
#define NCRYPTBUFFER_PKCS_KEY_NAME       45
#define NCRYPTBUFFER_PKCS_SECRET         46
#define NCRYPTBUFFER_ECC_CURVE_NAME      60

/* ------------------------------------------------------------------------
 * 3.7 Key blob types and magics (bcrypt.h, ncrypt.h)
 * ------------------------------------------------------------------------ */

#define BCRYPT_RSAPUBLIC_BLOB      u"RSAPUBLICBLOB"
#define BCRYPT_RSAPRIVATE_BLOB     u"RSAPRIVATEBLOB"
#define BCRYPT_RSAFULLPRIVATE_BLOB u"RSAFULLPRIVATEBLOB"
#define BCRYPT_ECCPUBLIC_BLOB      u"ECCPUBLICBLOB"
#define BCRYPT_ECCPRIVATE_BLOB     u"ECCPRIVATEBLOB"
#define BCRYPT_DH_PUBLIC_BLOB      u"DHPUBLICBLOB"
#define BCRYPT_DH_PRIVATE_BLOB     u"DHPRIVATEBLOB"
#define BCRYPT_OPAQUE_KEY_BLOB     u"OpaqueKeyBlob"
#define BCRYPT_DH_PARAMETERS       u"DHParameters"
#define NCRYPT_DH_PUBLIC_BLOB      BCRYPT_DH_PUBLIC_BLOB
#define NCRYPT_ECCPUBLIC_BLOB      BCRYPT_ECCPUBLIC_BLOB

#define BCRYPT_RSAPUBLIC_MAGIC      0x31415352 /* RSA1 */
#define BCRYPT_RSAPRIVATE_MAGIC     0x32415352 /* RSA2 */
#define BCRYPT_RSAFULLPRIVATE_MAGIC 0x33415352 /* RSA3 */

#define BCRYPT_ECDH_PUBLIC_P256_MAGIC    0x314B4345 /* ECK1 */
#define BCRYPT_ECDH_PRIVATE_P256_MAGIC   0x324B4345 /* ECK2 */
#define BCRYPT_ECDH_PUBLIC_P384_MAGIC    0x334B4345 /* ECK3 */
#define BCRYPT_ECDH_PRIVATE_P384_MAGIC   0x344B4345 /* ECK4 */
#define BCRYPT_ECDH_PUBLIC_P521_MAGIC    0x354B4345 /* ECK5 */
#define BCRYPT_ECDH_PRIVATE_P521_MAGIC   0x364B4345 /* ECK6 */
#define BCRYPT_ECDH_PUBLIC_GENERIC_MAGIC 0x504B4345 /* ECKP, e.g. x25519 */

#define BCRYPT_ECDSA_PUBLIC_P256_MAGIC  0x31534345 /* ECS1 */
#define BCRYPT_ECDSA_PRIVATE_P256_MAGIC 0x32534345 /* ECS2 */
#define BCRYPT_ECDSA_PUBLIC_P384_MAGIC  0x33534345 /* ECS3 */
#define BCRYPT_ECDSA_PRIVATE_P384_MAGIC 0x34534345 /* ECS4 */
#define BCRYPT_ECDSA_PUBLIC_P521_MAGIC  0x35534345 /* ECS5 */
#define BCRYPT_ECDSA_PRIVATE_P521_MAGIC 0x36534345 /* ECS6 */

#define BCRYPT_DH_PUBLIC_MAGIC     0x42504844 /* DHPB */
#define BCRYPT_DH_PRIVATE_MAGIC    0x56504844 /* DHPV */
#define BCRYPT_DH_PARAMETERS_MAGIC 0x4d504844 /* DHPM */

/* ------------------------------------------------------------------------
 * 3.8 Property names
 * ------------------------------------------------------------------------ */

#define SSL_KEY_TYPE_PROPERTY     u"KEYTYPE"
#define NCRYPT_ALGORITHM_PROPERTY u"Algorithm Name"
#define NCRYPT_LENGTH_PROPERTY    u"Length"

/* ------------------------------------------------------------------------
 * 3.9 Record content types (RFC 5246 6.2.1)
 * ------------------------------------------------------------------------ */

#define CT_CHANGE_CIPHER_SPEC 20
#define CT_ALERT              21
#define CT_HANDSHAKE          22
#define CT_APPLICATIONDATA    23

/* ------------------------------------------------------------------------
 * 3.11 Status codes (winerror.h)
 * ------------------------------------------------------------------------ */

#define ERROR_SUCCESS  0
#define STATUS_SUCCESS ((NTSTATUS)0x00000000)

#define NTE_BAD_UID            ((SECURITY_STATUS)0x80090001)
#define NTE_BAD_HASH           ((SECURITY_STATUS)0x80090002)
#define NTE_BAD_KEY            ((SECURITY_STATUS)0x80090003)
#define NTE_BAD_LEN            ((SECURITY_STATUS)0x80090004)
#define NTE_BAD_DATA           ((SECURITY_STATUS)0x80090005)
#define NTE_BAD_SIGNATURE      ((SECURITY_STATUS)0x80090006)
#define NTE_BAD_VER            ((SECURITY_STATUS)0x80090007)
#define NTE_BAD_ALGID          ((SECURITY_STATUS)0x80090008)
#define NTE_BAD_FLAGS          ((SECURITY_STATUS)0x80090009)
#define NTE_BAD_TYPE           ((SECURITY_STATUS)0x8009000A)
#define NTE_BAD_KEY_STATE      ((SECURITY_STATUS)0x8009000B)
#define NTE_BAD_HASH_STATE     ((SECURITY_STATUS)0x8009000C)
#define NTE_NO_KEY             ((SECURITY_STATUS)0x8009000D)
#define NTE_NO_MEMORY          ((SECURITY_STATUS)0x8009000E)
#define NTE_EXISTS             ((SECURITY_STATUS)0x8009000F)
#define NTE_PERM               ((SECURITY_STATUS)0x80090010)
#define NTE_NOT_FOUND          ((SECURITY_STATUS)0x80090011)
#define NTE_FAIL               ((SECURITY_STATUS)0x80090020)
#define NTE_INVALID_HANDLE     ((SECURITY_STATUS)0x80090026)
#define NTE_INVALID_PARAMETER  ((SECURITY_STATUS)0x80090027)
#define NTE_BUFFER_TOO_SMALL   ((SECURITY_STATUS)0x80090028)
#define NTE_NOT_SUPPORTED      ((SECURITY_STATUS)0x80090029)
#define NTE_NO_MORE_ITEMS      ((SECURITY_STATUS)0x8009002A)
#define NTE_BUFFERS_OVERLAP    ((SECURITY_STATUS)0x8009002B)
#define NTE_DECRYPTION_FAILURE ((SECURITY_STATUS)0x8009002C)
#define NTE_INTERNAL_ERROR     ((SECURITY_STATUS)0x8009002D)

#define SEC_E_INTERNAL_ERROR   ((SECURITY_STATUS)0x80090304)
#define SEC_E_MESSAGE_ALTERED  ((SECURITY_STATUS)0x8009030F)
#define SEC_E_BUFFER_TOO_SMALL ((SECURITY_STATUS)0x80090321)
#define SEC_E_ENCRYPT_FAILURE  ((SECURITY_STATUS)0x80090329)
#define SEC_E_DECRYPT_FAILURE  ((SECURITY_STATUS)0x80090330)

#define STATUS_INVALID_HANDLE ((NTSTATUS)0xC0000008)
#define STATUS_NO_MEMORY      ((NTSTATUS)0xC0000017)

/* ------------------------------------------------------------------------
 * 4. Structures
 * ------------------------------------------------------------------------ */

/* 4.1 ncrypt.h makes NCryptBuffer[Desc] aliases of BCryptBuffer[Desc]. */
typedef struct _BCryptBuffer {
	ULONG cbBuffer;   /* length of *pvBuffer in bytes */
	ULONG BufferType; /* NCRYPTBUFFER_* */
	PVOID pvBuffer;
} BCryptBuffer, *PBCryptBuffer;

typedef struct _BCryptBufferDesc {
	ULONG ulVersion; /* NCRYPTBUFFER_VERSION */
	ULONG cBuffers;
	PBCryptBuffer pBuffers;
} BCryptBufferDesc, *PBCryptBufferDesc;

typedef BCryptBuffer NCryptBuffer;
typedef BCryptBuffer *PNCryptBuffer;
typedef BCryptBufferDesc NCryptBufferDesc;
typedef BCryptBufferDesc *PNCryptBufferDesc;

SSLPROV_ASSERT_SIZE(NCryptBuffer, 16);
SSLPROV_ASSERT_OFFSET(NCryptBuffer, BufferType, 4);
SSLPROV_ASSERT_OFFSET(NCryptBuffer, pvBuffer, 8);
SSLPROV_ASSERT_SIZE(NCryptBufferDesc, 16);
SSLPROV_ASSERT_OFFSET(NCryptBufferDesc, cBuffers, 4);
SSLPROV_ASSERT_OFFSET(NCryptBufferDesc, pBuffers, 8);

/* 4.2 */
typedef struct _NCRYPT_SSL_CIPHER_SUITE {
	DWORD dwProtocol;
	DWORD dwCipherSuite;
	DWORD dwBaseCipherSuite;
	WCHAR szCipherSuite[NCRYPT_SSL_MAX_NAME_SIZE];
	WCHAR szCipher[NCRYPT_SSL_MAX_NAME_SIZE];
	DWORD dwCipherLen;      /* bits */
	DWORD dwCipherBlockLen; /* bytes */
	WCHAR szHash[NCRYPT_SSL_MAX_NAME_SIZE];
	DWORD dwHashLen;        /* bits */
	WCHAR szExchange[NCRYPT_SSL_MAX_NAME_SIZE];
	DWORD dwMinExchangeLen;
	DWORD dwMaxExchangeLen;
	WCHAR szCertificate[NCRYPT_SSL_MAX_NAME_SIZE];
	DWORD dwKeyType;
} NCRYPT_SSL_CIPHER_SUITE;

SSLPROV_ASSERT_SIZE(NCRYPT_SSL_CIPHER_SUITE, 676);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE, szCipherSuite, 12);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE, szCipher, 140);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE, dwCipherLen, 268);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE, szHash, 276);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE, dwHashLen, 404);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE, szExchange, 408);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE, dwMinExchangeLen, 536);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE, szCertificate, 544);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE, dwKeyType, 672);

/* 4.3 */
typedef struct _NCRYPT_SSL_CIPHER_SUITE_EX {
	DWORD dwVersion; /* NCRYPT_SSL_CIPHER_SUITE_EX_VERSION */
	DWORD dwProtocol;
	DWORD dwCipherSuite;
	DWORD dwBaseCipherSuite;
	WCHAR szCipherSuite[NCRYPT_SSL_MAX_NAME_SIZE];
	WCHAR szCipher[NCRYPT_SSL_MAX_NAME_SIZE];
	DWORD dwCipherLen;
	DWORD dwCipherBlockLen;
	WCHAR szHash[NCRYPT_SSL_MAX_NAME_SIZE];
	DWORD dwHashLen;
	WCHAR szExchange[NCRYPT_SSL_MAX_NAME_SIZE];
	DWORD dwMinExchangeLen;
	DWORD dwMaxExchangeLen;
	WCHAR szCertificate[NCRYPT_SSL_MAX_NAME_SIZE];
	DWORD dwKeyType;
	WCHAR szCipherMode[NCRYPT_SSL_MAX_NAME_SIZE]; /* BCRYPT_CHAIN_MODE_* */
} NCRYPT_SSL_CIPHER_SUITE_EX;

SSLPROV_ASSERT_SIZE(NCRYPT_SSL_CIPHER_SUITE_EX, 808);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE_EX, szCipherSuite, 16);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE_EX, szCipher, 144);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE_EX, dwCipherLen, 272);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE_EX, szHash, 280);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE_EX, szExchange, 412);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE_EX, szCertificate, 548);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE_EX, dwKeyType, 676);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_SUITE_EX, szCipherMode, 680);

/* 4.4 */
typedef struct _NCRYPT_SSL_CIPHER_LENGTHS {
	DWORD cbLength; /* sizeof(NCRYPT_SSL_CIPHER_LENGTHS), set by the provider */
	DWORD dwHeaderLen;
	DWORD dwFixedTrailerLen;
	DWORD dwMaxVariableTrailerLen;
	DWORD dwFlags; /* NCRYPT_SSL_CIPHER_LENGTHS_BLOCK_PADDING */
} NCRYPT_SSL_CIPHER_LENGTHS;

SSLPROV_ASSERT_SIZE(NCRYPT_SSL_CIPHER_LENGTHS, 20);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_CIPHER_LENGTHS, dwFlags, 16);

/* 4.5 */
typedef struct _NCRYPT_SSL_ECC_CURVE {
	WCHAR szCurveName[MSCRYPT_ECC_MAX_CURVE_NAME_LENGTH];
	CHAR szOID[MSCRYPT_ECC_MAX_OID_LENGTH]; /* dotted OID, ASCII */
	DWORD dwPublicKeyLength;                /* bits */
	DWORD dwCurveType;                      /* IANA NamedCurve */
	DWORD dwFlags;
} NCRYPT_SSL_ECC_CURVE, *PNCRYPT_SSL_ECC_CURVE;

SSLPROV_ASSERT_SIZE(NCRYPT_SSL_ECC_CURVE, 780);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_ECC_CURVE, szOID, 510);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_ECC_CURVE, dwPublicKeyLength, 768);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_ECC_CURVE, dwCurveType, 772);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_ECC_CURVE, dwFlags, 776);

/* 4.6 */
typedef struct NCryptProviderName {
	LPWSTR pszName;
	LPWSTR pszComment;
} NCryptProviderName;

SSLPROV_ASSERT_SIZE(NCryptProviderName, 16);
SSLPROV_ASSERT_OFFSET(NCryptProviderName, pszComment, 8);

/* 4.7 Followed by big-endian integers; see the contract for the layouts. */
typedef struct _BCRYPT_RSAKEY_BLOB {
	ULONG Magic;
	ULONG BitLength;
	ULONG cbPublicExp;
	ULONG cbModulus;
	ULONG cbPrime1;
	ULONG cbPrime2;
} BCRYPT_RSAKEY_BLOB;

SSLPROV_ASSERT_SIZE(BCRYPT_RSAKEY_BLOB, 24);
SSLPROV_ASSERT_OFFSET(BCRYPT_RSAKEY_BLOB, cbPrime2, 20);

/* 4.8 */
typedef struct _BCRYPT_ECCKEY_BLOB {
	ULONG dwMagic;
	ULONG cbKey; /* bytes per field element */
} BCRYPT_ECCKEY_BLOB, *PBCRYPT_ECCKEY_BLOB;

typedef struct _BCRYPT_DH_KEY_BLOB {
	ULONG dwMagic;
	ULONG cbKey; /* bytes of p */
} BCRYPT_DH_KEY_BLOB, *PBCRYPT_DH_KEY_BLOB;

typedef struct _BCRYPT_DH_PARAMETER_HEADER {
	ULONG cbLength; /* 12 + 2 * cbKeyLength */
	ULONG dwMagic;  /* BCRYPT_DH_PARAMETERS_MAGIC */
	ULONG cbKeyLength;
} BCRYPT_DH_PARAMETER_HEADER;

SSLPROV_ASSERT_SIZE(BCRYPT_ECCKEY_BLOB, 8);
SSLPROV_ASSERT_SIZE(BCRYPT_DH_KEY_BLOB, 8);
SSLPROV_ASSERT_SIZE(BCRYPT_DH_PARAMETER_HEADER, 12);

/* 4.9 */
typedef struct _BCRYPT_INTERFACE_VERSION {
	USHORT MajorVersion;
	USHORT MinorVersion;
} BCRYPT_INTERFACE_VERSION, *PBCRYPT_INTERFACE_VERSION;

SSLPROV_ASSERT_SIZE(BCRYPT_INTERFACE_VERSION, 4);
SSLPROV_ASSERT_OFFSET(BCRYPT_INTERFACE_VERSION, MinorVersion, 2);

/* An initializer, as in bcrypt.h. */
#define BCRYPT_MAKE_INTERFACE_VERSION(major, minor) { (USHORT)(major), (USHORT)(minor) }

#define NCRYPT_SSL_INTERFACE_VERSION_1 BCRYPT_MAKE_INTERFACE_VERSION(1, 0)
#define NCRYPT_SSL_INTERFACE_VERSION_2 BCRYPT_MAKE_INTERFACE_VERSION(2, 0)
#define NCRYPT_SSL_INTERFACE_VERSION_3 BCRYPT_MAKE_INTERFACE_VERSION(3, 0)
#define NCRYPT_SSL_INTERFACE_VERSION_4 BCRYPT_MAKE_INTERFACE_VERSION(4, 0)
#define NCRYPT_SSL_INTERFACE_VERSION_5 BCRYPT_MAKE_INTERFACE_VERSION(5, 0)
/* Sslprovider.h keeps this alias at version 1. */
#define NCRYPT_SSL_INTERFACE_VERSION   NCRYPT_SSL_INTERFACE_VERSION_1

/* 4.10 wincrypt.h; Linux reads only pbCertEncoded and cbCertEncoded. */
#define X509_ASN_ENCODING   0x00000001
#define PKCS_7_ASN_ENCODING 0x00010000

typedef struct _CERT_INFO *PCERT_INFO; /* opaque on Linux */
typedef void *HCERTSTORE;

typedef struct _CERT_CONTEXT {
	DWORD dwCertEncodingType;
	BYTE *pbCertEncoded; /* DER certificate */
	DWORD cbCertEncoded;
	PCERT_INFO pCertInfo;
	HCERTSTORE hCertStore;
} CERT_CONTEXT, *PCERT_CONTEXT;
typedef const CERT_CONTEXT *PCCERT_CONTEXT;

SSLPROV_ASSERT_SIZE(CERT_CONTEXT, 40);
SSLPROV_ASSERT_OFFSET(CERT_CONTEXT, pbCertEncoded, 8);
SSLPROV_ASSERT_OFFSET(CERT_CONTEXT, cbCertEncoded, 16);
SSLPROV_ASSERT_OFFSET(CERT_CONTEXT, pCertInfo, 24);
SSLPROV_ASSERT_OFFSET(CERT_CONTEXT, hCertStore, 32);

/* ------------------------------------------------------------------------
 * 5. Functions, each followed by its Ssl<Name>Fn pointer type where
 * Sslprovider.h has one.
 * ------------------------------------------------------------------------ */

/* 5.1 Provider management */

SSLPROV_API SECURITY_STATUS WINAPI SslOpenProvider(
	_Out_ NCRYPT_PROV_HANDLE *phSslProvider,
	_In_ LPCWSTR pszProviderName,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslOpenProviderFn)(
	_Out_ NCRYPT_PROV_HANDLE *phSslProvider,
	_In_ LPCWSTR pszProviderName,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslFreeObject(
	_Inout_ NCRYPT_HANDLE hObject,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslFreeObjectFn)(
	_Inout_ NCRYPT_HANDLE hObject,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslIncrementProviderReferenceCount(
	_In_ NCRYPT_PROV_HANDLE hSslProvider);

SSLPROV_API SECURITY_STATUS WINAPI SslDecrementProviderReferenceCount(
	_In_ NCRYPT_PROV_HANDLE hSslProvider);

SSLPROV_API SECURITY_STATUS WINAPI SslEnumProtocolProviders(
	_Out_ DWORD *pdwProviderCount,
	_Outptr_ NCryptProviderName **ppProviderList,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslFreeBuffer(
	PVOID pvInput);

typedef SECURITY_STATUS (WINAPI *SslFreeBufferFn)(
	PVOID pvInput);

SSLPROV_API SECURITY_STATUS WINAPI SslChangeNotify(
	_In_ HANDLE hEvent,
	_In_ DWORD dwFlags);

/* 5.2 Cipher suite information */

SSLPROV_API SECURITY_STATUS WINAPI SslEnumCipherSuites(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_opt_ NCRYPT_KEY_HANDLE hPrivateKey,
	_Outptr_ NCRYPT_SSL_CIPHER_SUITE **ppCipherSuite,
	_Inout_ PVOID *ppEnumState,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslEnumCipherSuitesFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_opt_ NCRYPT_KEY_HANDLE hPrivateKey,
	_Outptr_ NCRYPT_SSL_CIPHER_SUITE **ppCipherSuite,
	_Inout_ PVOID *ppEnumState,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslEnumCipherSuitesEx(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_opt_ NCRYPT_KEY_HANDLE hPrivateKey,
	_Outptr_ NCRYPT_SSL_CIPHER_SUITE_EX **ppCipherSuite,
	_Inout_ PVOID *ppEnumState,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslEnumCipherSuitesExFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_opt_ NCRYPT_KEY_HANDLE hPrivateKey,
	_Outptr_ NCRYPT_SSL_CIPHER_SUITE_EX **ppCipherSuite,
	_Inout_ PVOID *ppEnumState,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslLookupCipherSuiteInfo(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ DWORD dwKeyType,
	_Out_ NCRYPT_SSL_CIPHER_SUITE *pCipherSuite,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslLookupCipherSuiteInfoFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ DWORD dwKeyType,
	_Out_ NCRYPT_SSL_CIPHER_SUITE *pCipherSuite,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslLookupCipherLengths(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ DWORD dwKeyType,
	_Out_writes_bytes_(cbCipherLengths) NCRYPT_SSL_CIPHER_LENGTHS *pCipherLengths,
	_In_ DWORD cbCipherLengths,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslLookupCipherLengthsFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ DWORD dwKeyType,
	_Out_writes_bytes_(cbCipherLengths) NCRYPT_SSL_CIPHER_LENGTHS *pCipherLengths,
	_In_ DWORD cbCipherLengths,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslGetCipherSuitePRFHashAlgorithm(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ DWORD dwKeyType,
	_Out_writes_(NCRYPT_SSL_MAX_NAME_SIZE) WCHAR szPRFHash[NCRYPT_SSL_MAX_NAME_SIZE],
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslGetCipherSuitePRFHashAlgorithmFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ DWORD dwKeyType,
	_Out_writes_(NCRYPT_SSL_MAX_NAME_SIZE) WCHAR szPRFHash[NCRYPT_SSL_MAX_NAME_SIZE],
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslEnumEccCurves(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Out_ DWORD *pEccCurveCount,
	_Outptr_result_buffer_all_(*pEccCurveCount) NCRYPT_SSL_ECC_CURVE **ppEccCurve,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslEnumEccCurvesFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Out_ DWORD *pEccCurveCount,
	_Outptr_result_buffer_all_(*pEccCurveCount) NCRYPT_SSL_ECC_CURVE **ppEccCurve,
	_In_ DWORD dwFlags);

/* 5.3 Keys */

SSLPROV_API SECURITY_STATUS WINAPI SslOpenPrivateKey(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Out_ NCRYPT_KEY_HANDLE *phPrivateKey,
	_In_ PCCERT_CONTEXT pCertContext,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslOpenPrivateKeyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Out_ NCRYPT_KEY_HANDLE *phPrivateKey,
	_In_ PCCERT_CONTEXT pCertContext,
	_In_ DWORD dwFlags);

/*
 * SslImportKey - blob types (pszBlobType, compared exactly):
 *  - BCRYPT_RSAPRIVATE_BLOB, BCRYPT_RSAFULLPRIVATE_BLOB (Windows layouts)
 *    and SSLPROV_PKCS8_PRIVATEKEY_BLOB (PKCS#8 or PKCS#1 DER; a Linux
 *    extension): a private key that lives only in kernel memory.
 *  - BCRYPT_RSAPUBLIC_BLOB: an RSA public key object.  Choices where the
 *    contract is silent: BitLength must be the modulus's exact bit length
 *    and cbModulus at least (BitLength + 7) / 8, cbPrime1 = cbPrime2 = 0;
 *    leading zero bytes in e or n are accepted; bytes after n are ignored.
 *    A malformed header or key (even n, e even, e = 1, e >= n) is
 *    NTE_BAD_KEY, a blob shorter than its header NTE_BAD_DATA, a modulus
 *    outside 1024..16384 bits NTE_NOT_SUPPORTED.  A public key object can
 *    only be exported: used where a private key is wanted it gives
 *    NTE_BAD_KEY_STATE.
 *  - Anything else (ECC, opaque blobs): NTE_NOT_SUPPORTED.
 * Keys held in the Linux kernel keyring are not supported: private keys
 * come from SslImportKey or from the module's own key store (sslprovctl,
 * SslOpenPrivateKey).
 */
SSLPROV_API SECURITY_STATUS WINAPI SslImportKey(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Out_ NCRYPT_KEY_HANDLE *phKey,
	_In_ LPCWSTR pszBlobType,
	_In_reads_bytes_(cbKeyBlob) PBYTE pbKeyBlob,
	_In_ DWORD cbKeyBlob,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslImportKeyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Out_ NCRYPT_KEY_HANDLE *phKey,
	_In_ LPCWSTR pszBlobType,
	_In_reads_bytes_(cbKeyBlob) PBYTE pbKeyBlob,
	_In_ DWORD cbKeyBlob,
	_In_ DWORD dwFlags);

/*
 * SslExportKey - only BCRYPT_RSAPUBLIC_BLOB, of an RSA public or private
 * key object: the public half, minimal (no leading zeros in e, cbModulus =
 * (BitLength + 7) / 8).  Private, full-private, PKCS#8 and other blob
 * types give NTE_NOT_SUPPORTED and write nothing: no secret is ever
 * exported.  A master or session key has no public blob
 * (NTE_NOT_SUPPORTED); a hash is NTE_INVALID_HANDLE.  pbOutput NULL asks
 * for the size in *pcbResult; cbOutput too small gives
 * NTE_BUFFER_TOO_SMALL with the size in *pcbResult and pbOutput untouched.
 * NULL pcbResult or pszBlobType: NTE_INVALID_PARAMETER; dwFlags: must be 0.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslExportKey(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hKey,
	_In_ LPCWSTR pszBlobType,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslExportKeyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hKey,
	_In_ LPCWSTR pszBlobType,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslCreateEphemeralKey(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Out_ NCRYPT_KEY_HANDLE *phEphemeralKey,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ DWORD dwKeyType,
	_In_ DWORD dwKeyBitLen,
	_In_reads_bytes_opt_(cbParams) PBYTE pbParams,
	_In_ DWORD cbParams,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslCreateEphemeralKeyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Out_ NCRYPT_KEY_HANDLE *phEphemeralKey,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ DWORD dwKeyType,
	_In_ DWORD dwKeyBitLen,
	_In_reads_bytes_(cbParams) PBYTE pbParams,
	_In_ DWORD cbParams,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslGetKeyProperty(
	_In_ NCRYPT_KEY_HANDLE hKey,
	_In_ LPCWSTR pszProperty,
	_Outptr_result_bytebuffer_(*pcbOutput) PBYTE *ppbOutput,
	_Out_ DWORD *pcbOutput,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslGetKeyPropertyFn)(
	_In_ NCRYPT_KEY_HANDLE hKey,
	_In_ LPCWSTR pszProperty,
	_Outptr_result_bytebuffer_(*pcbOutput) PBYTE *ppbOutput,
	_Out_ DWORD *pcbOutput,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslGetProviderProperty(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ LPCWSTR pszProperty,
	_Outptr_result_bytebuffer_(*pcbOutput) PBYTE *ppbOutput,
	_Out_ DWORD *pcbOutput,
	_Inout_opt_ PVOID *ppEnumState,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslGetProviderPropertyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ LPCWSTR pszProperty,
	_Outptr_result_bytebuffer_(*pcbOutput) PBYTE *ppbOutput,
	_Out_ DWORD *pcbOutput,
	_Inout_opt_ PVOID *ppEnumState,
	_In_ DWORD dwFlags);

/* 5.4 Handshake hashes */

SSLPROV_API SECURITY_STATUS WINAPI SslCreateHandshakeHash(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Out_ NCRYPT_HASH_HANDLE *phHandshakeHash,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslCreateHandshakeHashFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Out_ NCRYPT_HASH_HANDLE *phHandshakeHash,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ DWORD dwFlags);

/*
 * SslHashHandshake: handshake messages are public, so the library may keep
 * them in the process and hand them to the kernel together when the hash
 * is next read (SslComputeFinishedHash, SslComputeSessionHash), when 16 KiB
 * are waiting, or at fork(): one system call per handshake instead of one
 * per message.  Digests are unchanged.  A kernel failure while sending them
 * (NTE_NO_MEMORY) is returned by the call that sends them, which then
 * changes nothing and may be retried.  Handle, pointer and flag errors are
 * still returned by SslHashHandshake itself.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslHashHandshake(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Inout_ NCRYPT_HASH_HANDLE hHandshakeHash,
	_In_reads_bytes_(cbInput) PBYTE pbInput,
	_In_ DWORD cbInput,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslHashHandshakeFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Inout_ NCRYPT_HASH_HANDLE hHandshakeHash,
	_In_reads_bytes_(cbInput) PBYTE pbInput,
	_In_ DWORD cbInput,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslCreateClientAuthHash(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Out_ NCRYPT_HASH_HANDLE *phHandshakeHash,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ LPCWSTR pszHashAlgId,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslCreateClientAuthHashFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Out_ NCRYPT_HASH_HANDLE *phHandshakeHash,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ LPCWSTR pszHashAlgId,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslComputeClientAuthHash(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hMasterKey,
	_In_ NCRYPT_HASH_HANDLE hHandshakeHash,
	_In_ LPCWSTR pszAlgId,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslComputeClientAuthHashFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hMasterKey,
	_In_ NCRYPT_HASH_HANDLE hHandshakeHash,
	_In_ LPCWSTR pszAlgId,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslComputeFinishedHash(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hMasterKey,
	_In_ NCRYPT_HASH_HANDLE hHandshakeHash,
	_Out_writes_bytes_all_(cbOutput) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslComputeFinishedHashFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hMasterKey,
	_In_ NCRYPT_HASH_HANDLE hHandshakeHash,
	_Out_writes_bytes_all_(cbOutput) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslComputeSessionHash(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_HASH_HANDLE hHandshakeHash,
	_In_ DWORD dwProtocol,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslComputeSessionHashFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_HASH_HANDLE hHandshakeHash,
	_In_ DWORD dwProtocol,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ DWORD dwFlags);

/* 5.5 Key exchange and master secret (SSL 3.0 - TLS 1.2) */

SSLPROV_API SECURITY_STATUS WINAPI SslGeneratePreMasterKey(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hPublicKey,
	_Out_ NCRYPT_KEY_HANDLE *phPreMasterKey,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ PNCryptBufferDesc pParameterList,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslGeneratePreMasterKeyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hPublicKey,
	_Out_ NCRYPT_KEY_HANDLE *phPreMasterKey,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ PNCryptBufferDesc pParameterList,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslGenerateMasterKey(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_opt_ NCRYPT_KEY_HANDLE hPrivateKey,
	_In_ NCRYPT_KEY_HANDLE hPublicKey,
	_Out_ NCRYPT_KEY_HANDLE *phMasterKey,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ PNCryptBufferDesc pParameterList,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslGenerateMasterKeyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_opt_ NCRYPT_KEY_HANDLE hPrivateKey,
	_In_ NCRYPT_KEY_HANDLE hPublicKey,
	_Out_ NCRYPT_KEY_HANDLE *phMasterKey,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ PNCryptBufferDesc pParameterList,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslImportMasterKey(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hPrivateKey,
	_Out_ NCRYPT_KEY_HANDLE *phMasterKey,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ NCryptBufferDesc *pParameterList,
	_In_reads_bytes_(cbEncryptedKey) PBYTE pbEncryptedKey,
	_In_ DWORD cbEncryptedKey,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslImportMasterKeyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hPrivateKey,
	_Out_ NCRYPT_KEY_HANDLE *phMasterKey,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_ NCryptBufferDesc *pParameterList,
	_In_reads_bytes_(cbEncryptedKey) PBYTE pbEncryptedKey,
	_In_ DWORD cbEncryptedKey,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslGenerateSessionKeys(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hMasterKey,
	_Out_ NCRYPT_KEY_HANDLE *phReadKey,
	_Out_ NCRYPT_KEY_HANDLE *phWriteKey,
	_In_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslGenerateSessionKeysFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hMasterKey,
	_Out_ NCRYPT_KEY_HANDLE *phReadKey,
	_Out_ NCRYPT_KEY_HANDLE *phWriteKey,
	_In_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

/* 5.6 Record protection */

SSLPROV_API SECURITY_STATUS WINAPI SslEncryptPacket(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Inout_ NCRYPT_KEY_HANDLE hKey,
	_In_reads_bytes_(cbInput) PBYTE pbInput,
	_In_ DWORD cbInput,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ ULONGLONG SequenceNumber,
	_In_ DWORD dwContentType,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslEncryptPacketFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Inout_ NCRYPT_KEY_HANDLE hKey,
	_In_reads_bytes_(cbInput) PBYTE pbInput,
	_In_ DWORD cbInput,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ ULONGLONG SequenceNumber,
	_In_ DWORD dwContentType,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslDecryptPacket(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Inout_ NCRYPT_KEY_HANDLE hKey,
	_In_reads_bytes_(cbInput) PBYTE pbInput,
	_In_ DWORD cbInput,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ ULONGLONG SequenceNumber,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslDecryptPacketFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_Inout_ NCRYPT_KEY_HANDLE hKey,
	_In_reads_bytes_(cbInput) PBYTE pbInput,
	_In_ DWORD cbInput,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ ULONGLONG SequenceNumber,
	_In_ DWORD dwFlags);

/* 5.7 TLS 1.3 key schedule */

SSLPROV_API SECURITY_STATUS WINAPI SslExtractEarlyKey(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_opt_ NCRYPT_KEY_HANDLE hPreSharedKey,
	_Out_ NCRYPT_KEY_HANDLE *phEarlyKey,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslExtractEarlyKeyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_opt_ NCRYPT_KEY_HANDLE hPreSharedKey,
	_Out_ NCRYPT_KEY_HANDLE *phEarlyKey,
	_In_ DWORD dwProtocol,
	_In_ DWORD dwCipherSuite,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslExtractHandshakeKey(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hPrivateKey,
	_In_ NCRYPT_KEY_HANDLE hPublicKey,
	_In_ NCRYPT_KEY_HANDLE hEarlyKey,
	_Out_ NCRYPT_KEY_HANDLE *phHandshakeKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslExtractHandshakeKeyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hPrivateKey,
	_In_ NCRYPT_KEY_HANDLE hPublicKey,
	_In_ NCRYPT_KEY_HANDLE hEarlyKey,
	_Out_ NCRYPT_KEY_HANDLE *phHandshakeKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslExtractMasterKey(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hHandshakeKey,
	_Out_ NCRYPT_KEY_HANDLE *phMasterKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslExtractMasterKeyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hHandshakeKey,
	_Out_ NCRYPT_KEY_HANDLE *phMasterKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslExpandTrafficKeys(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hBaseKey,
	_In_ NCRYPT_HASH_HANDLE hHashValue,
	_Out_opt_ NCRYPT_KEY_HANDLE *phClientTrafficKey,
	_Out_opt_ NCRYPT_KEY_HANDLE *phServerTrafficKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslExpandTrafficKeysFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hBaseKey,
	_In_ NCRYPT_HASH_HANDLE hHashValue,
	_Out_opt_ NCRYPT_KEY_HANDLE *phClientTrafficKey,
	_Out_opt_ NCRYPT_KEY_HANDLE *phServerTrafficKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslExpandWriteKey(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hBaseTrafficKey,
	_Out_ NCRYPT_KEY_HANDLE *phWriteKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslExpandWriteKeyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hBaseTrafficKey,
	_Out_ NCRYPT_KEY_HANDLE *phWriteKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslExpandExporterMasterKey(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hBaseKey,
	_In_ NCRYPT_HASH_HANDLE hHashValue,
	_Out_ NCRYPT_KEY_HANDLE *phExporterMasterKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslExpandExporterMasterKeyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hBaseKey,
	_In_ NCRYPT_HASH_HANDLE hHashValue,
	_Out_ NCRYPT_KEY_HANDLE *phExporterMasterKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslExpandResumptionMasterKey(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hMasterKey,
	_In_ NCRYPT_HASH_HANDLE hHashValue,
	_Out_ NCRYPT_KEY_HANDLE *phResumptionMasterKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslExpandResumptionMasterKeyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hMasterKey,
	_In_ NCRYPT_HASH_HANDLE hHashValue,
	_Out_ NCRYPT_KEY_HANDLE *phResumptionMasterKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslExpandPreSharedKey(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hResumptionMasterKey,
	_In_reads_bytes_opt_(cbTicketNonce) PBYTE pbTicketNonce,
	_In_ DWORD cbTicketNonce,
	_Out_ NCRYPT_KEY_HANDLE *phPreSharedKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslExpandPreSharedKeyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hResumptionMasterKey,
	_In_reads_bytes_opt_(cbTicketNonce) PBYTE pbTicketNonce,
	_In_ DWORD cbTicketNonce,
	_Out_ NCRYPT_KEY_HANDLE *phPreSharedKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslExpandBinderKey(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hEarlyKey,
	_Out_ NCRYPT_KEY_HANDLE *phBinderKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslExpandBinderKeyFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hEarlyKey,
	_Out_ NCRYPT_KEY_HANDLE *phBinderKey,
	_In_opt_ PNCryptBufferDesc pParameterList,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslDuplicateTranscriptHash(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_HASH_HANDLE hTranscriptHash,
	_Out_ NCRYPT_HASH_HANDLE *phTranscriptHash,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslDuplicateTranscriptHashFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_HASH_HANDLE hTranscriptHash,
	_Out_ NCRYPT_HASH_HANDLE *phDuplicateTranscriptHash,
	_In_ DWORD dwFlags);

/* 5.8 Signatures */

SSLPROV_API SECURITY_STATUS WINAPI SslSignHash(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hPrivateKey,
	_In_reads_bytes_(cbHashValue) PBYTE pbHashValue,
	_In_ DWORD cbHashValue,
	_Out_writes_bytes_to_opt_(cbSignature, *pcbResult) PBYTE pbSignature,
	_In_ DWORD cbSignature,
	_Out_ DWORD *pcbResult,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslSignHashFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hPrivateKey,
	_In_reads_bytes_(cbHashValue) PBYTE pbHashValue,
	_In_ DWORD cbHashValue,
	_Out_writes_bytes_to_opt_(cbSignature, *pcbResult) PBYTE pbSignature,
	_In_ DWORD cbSignature,
	_Out_ DWORD *pcbResult,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslVerifySignature(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hPublicKey,
	_In_reads_bytes_(cbHashValue) PBYTE pbHashValue,
	_In_ DWORD cbHashValue,
	_In_reads_bytes_(cbSignature) PBYTE pbSignature,
	_In_ DWORD cbSignature,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslVerifySignatureFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hPublicKey,
	_In_reads_bytes_(cbHashValue) PBYTE pbHashValue,
	_In_ DWORD cbHashValue,
	_In_reads_bytes_(cbSignature) PBYTE pbSignature,
	_In_ DWORD cbSignature,
	_In_ DWORD dwFlags);

/* 5.9 Keying material export */

SSLPROV_API SECURITY_STATUS WINAPI SslExportKeyingMaterial(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hMasterKey,
	_In_ PCHAR sLabel,
	_In_reads_bytes_opt_(cbRandoms) PBYTE pbRandoms,
	_In_ DWORD cbRandoms,
	_In_reads_bytes_opt_(cbContextValue) PBYTE pbContextValue,
	_In_ WORD cbContextValue,
	_Out_writes_bytes_(cbOutput) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslExportKeyingMaterialFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hMasterKey,
	_In_ PCHAR sLabel,
	_In_reads_bytes_opt_(cbRandoms) PBYTE pbRandoms,
	_In_ DWORD cbRandoms,
	_In_reads_bytes_opt_(cbContextValue) PBYTE pbContextValue,
	_In_ WORD cbContextValue,
	_Out_writes_bytes_(cbOutput) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_In_ DWORD dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslComputeEapKeyBlock(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hMasterKey,
	_In_reads_bytes_(cbRandoms) PBYTE pbRandoms,
	_In_ DWORD cbRandoms,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslComputeEapKeyBlockFn)(
	_In_ NCRYPT_PROV_HANDLE hSslProvider,
	_In_ NCRYPT_KEY_HANDLE hMasterKey,
	_In_reads_bytes_(cbRandoms) PBYTE pbRandoms,
	_In_ DWORD cbRandoms,
	_Out_writes_bytes_to_opt_(cbOutput, *pcbResult) PBYTE pbOutput,
	_In_ DWORD cbOutput,
	_Out_ DWORD *pcbResult,
	_In_ DWORD dwFlags);

/* ------------------------------------------------------------------------
 * 4.9 The function table; member order is ABI.
 * ------------------------------------------------------------------------ */

typedef struct _NCRYPT_SSL_FUNCTION_TABLE {
	BCRYPT_INTERFACE_VERSION Version;
	SslComputeClientAuthHashFn ComputeClientAuthHash;
	SslComputeEapKeyBlockFn ComputeEapKeyBlock;
	SslComputeFinishedHashFn ComputeFinishedHash;
	SslCreateEphemeralKeyFn CreateEphemeralKey;
	SslCreateHandshakeHashFn CreateHandshakeHash;
	SslDecryptPacketFn DecryptPacket;
	SslEncryptPacketFn EncryptPacket;
	SslEnumCipherSuitesFn EnumCipherSuites;
	SslExportKeyFn ExportKey;
	SslFreeBufferFn FreeBuffer;
	SslFreeObjectFn FreeObject;
	SslGenerateMasterKeyFn GenerateMasterKey;
	SslGenerateSessionKeysFn GenerateSessionKeys;
	SslGetKeyPropertyFn GetKeyProperty;
	SslGetProviderPropertyFn GetProviderProperty;
	SslHashHandshakeFn HashHandshake;
	SslImportMasterKeyFn ImportMasterKey;
	SslImportKeyFn ImportKey;
	SslLookupCipherSuiteInfoFn LookupCipherSuiteInfo;
	SslOpenPrivateKeyFn OpenPrivateKey;
	SslOpenProviderFn OpenProvider;
	SslSignHashFn SignHash;
	SslVerifySignatureFn VerifySignature;
	/* end of NCRYPT_SSL_INTERFACE_VERSION_1 */
	SslLookupCipherLengthsFn LookupCipherLengths;
	SslCreateClientAuthHashFn CreateClientAuthHash;
	SslGetCipherSuitePRFHashAlgorithmFn GetCipherSuitePRFHashAlgorithm;
	/* end of NCRYPT_SSL_INTERFACE_VERSION_2 */
	SslComputeSessionHashFn ComputeSessionHash;
	SslGeneratePreMasterKeyFn GeneratePreMasterKey;
	SslEnumEccCurvesFn EnumEccCurves;
	SslExportKeyingMaterialFn ExportKeyingMaterial;
	/* end of NCRYPT_SSL_INTERFACE_VERSION_3 */
	SslExtractEarlyKeyFn ExtractEarlyKey;
	SslExtractHandshakeKeyFn ExtractHandshakeKey;
	SslExtractMasterKeyFn ExtractMasterKey;
	SslExpandTrafficKeysFn ExpandTrafficKeys;
	SslExpandWriteKeyFn ExpandWriteKey;
	SslExpandExporterMasterKeyFn ExpandExporterMasterKey;
	SslEnumCipherSuitesExFn EnumCipherSuitesEx;
	/* end of NCRYPT_SSL_INTERFACE_VERSION_4 */
	SslExpandResumptionMasterKeyFn ExpandResumptionMasterKey;
	SslDuplicateTranscriptHashFn DuplicateTranscriptHash;
	SslExpandBinderKeyFn ExpandBinderKey;
	SslExpandPreSharedKeyFn ExpandPreSharedKey;
	/* end of NCRYPT_SSL_INTERFACE_VERSION_5 */
} NCRYPT_SSL_FUNCTION_TABLE;

SSLPROV_ASSERT_SIZE(NCRYPT_SSL_FUNCTION_TABLE, 336);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_FUNCTION_TABLE, ComputeClientAuthHash, 8);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_FUNCTION_TABLE, OpenProvider, 168);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_FUNCTION_TABLE, LookupCipherLengths, 192);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_FUNCTION_TABLE, ComputeSessionHash, 216);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_FUNCTION_TABLE, ExtractEarlyKey, 248);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_FUNCTION_TABLE, ExpandResumptionMasterKey, 304);
SSLPROV_ASSERT_OFFSET(NCRYPT_SSL_FUNCTION_TABLE, ExpandPreSharedKey, 328);

SSLPROV_API NTSTATUS WINAPI GetSChannelInterface(
	_In_ LPCWSTR pszProviderName,
	_Out_ NCRYPT_SSL_FUNCTION_TABLE **ppFunctionTable,
	_In_ DWORD dwFlags);

/* Sslprovider.h types dwFlags as ULONG here; same ABI. */
typedef NTSTATUS (WINAPI *GetSChannelInterfaceFn)(
	_In_ LPCWSTR pszProviderName,
	_Out_ NCRYPT_SSL_FUNCTION_TABLE **ppFunctionTable,
	_In_ ULONG dwFlags);

SSLPROV_API SECURITY_STATUS WINAPI SslInitializeInterface(
	_In_ LPCWSTR pszProviderName,
	_Out_ NCRYPT_SSL_FUNCTION_TABLE *pFunctionTable,
	_In_ DWORD dwFlags);

typedef SECURITY_STATUS (WINAPI *SslInitializeInterfaceFn)(
	_In_ LPCWSTR pszProviderName,
	_Out_ NCRYPT_SSL_FUNCTION_TABLE *pFunctionTable,
	_In_ DWORD dwFlags);

/* ========================================================================
 * Linux extensions: not in the Windows SDK headers.
 * ======================================================================== */

/* ChaCha20-Poly1305 suites (RFC 7905, RFC 8446 B.4), IANA numbers. */
#define TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256   0xCCA8
#define TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 0xCCA9
#define TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256     0xCCAA
#define TLS_CHACHA20_POLY1305_SHA256                  0x1303

/*
 * SslImportKey blob type for a PKCS#8 (or PKCS#1) DER private key.  The
 * private blobs (this one, BCRYPT_RSAPRIVATE_BLOB and
 * BCRYPT_RSAFULLPRIVATE_BLOB) are accepted by SslImportKey as a Linux
 * extension: the key goes to the kernel and the handle can be passed to
 * SslImportMasterKey.
 */
#define SSLPROV_PKCS8_PRIVATEKEY_BLOB u"PKCS8_PRIVATEKEY"

/**
 * SslKtlsAttach() - hand a record key to a kernel TLS socket (Linux).
 * @hSslProvider: the provider handle.
 * @hKey: a write key (installed as TLS_TX) or read key (TLS_RX) from
 *	SslGenerateSessionKeys.
 * @fd: a connected TCP socket.  The "tls" ULP is attached if needed.
 * @SequenceNumber: sequence number of the first record the socket will
 *	protect (TX) or open (RX) - after a Finished sent with sequence 0,
 *	that is 1.
 * @dwFlags: must be 0.
 *
 * The key bytes go from the kernel object to the socket without passing
 * through userspace.  See the README's threat model for what getsockopt()
 * on the socket returns afterwards.
 *
 * Return: %ERROR_SUCCESS, or %NTE_INVALID_HANDLE (bad provider or key
 * handle, or @fd is not an open descriptor), %NTE_INVALID_PARAMETER (not a
 * socket, not a connected TCP socket, kTLS
 * already keyed in that direction), %NTE_BAD_KEY_STATE (not a record key),
 * %NTE_NOT_SUPPORTED (kernel without TLS, or a suite kTLS cannot take),
 * %NTE_BAD_FLAGS.
 */
SSLPROV_API SECURITY_STATUS WINAPI SslKtlsAttach(NCRYPT_PROV_HANDLE hSslProvider,
						 NCRYPT_KEY_HANDLE hKey, int fd,
						 ULONGLONG SequenceNumber, DWORD dwFlags);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SSLPROVIDER_H */
