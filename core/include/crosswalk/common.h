/*
 * crosswalk/common.h - export macros, status codes and the small helpers
 * every other public header relies on.
 */
#ifndef CROSSWALK_COMMON_H
#define CROSSWALK_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && __GNUC__ >= 4
#define CW_API __attribute__((visibility("default")))
#define CW_PLUGIN_EXPORT __attribute__((visibility("default")))
#define CW_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CW_API
#define CW_PLUGIN_EXPORT
#define CW_PRINTF(fmt, args)
#endif

/** Pass as a length to mean "the string is NUL-terminated". */
#define CW_NUL ((size_t)-1)

/**
 * Status codes. 0 is success, > 0 a non-error outcome, < 0 an error.
 * Append only: values never change meaning.
 */
enum cw_status {
	CW_OK = 0,
	CW_EOF = 1,      /**< a reader has no more records */
	CW_DROP = 2,     /**< reserved: a record was consumed without output */
	CW_REPLACED = 3, /**< stored, but invalid UTF-8 or control bytes were replaced */

	CW_ERECORD = -1,      /**< this record is lost; the stream is still usable */
	CW_EFORMAT = -2,      /**< input invalid here; the stream cannot go on */
	CW_ELIMIT = -3,       /**< a safety limit (depth, size, count) was hit */
	CW_EIO = -4,          /**< reading or writing failed */
	CW_ENOMEM = -5,       /**< out of memory */
	CW_EINVAL = -6,       /**< misuse of the API or an object in the wrong state */
	CW_ENOTFOUND = -7,    /**< no such format, field, plugin or file */
	CW_EABI = -8,         /**< a plugin was built for another ABI */
	CW_EUNSUPPORTED = -9, /**< the operation is not supported by this plugin */
	CW_ESTRICT = -10,     /**< --strict turned a warning or not-carried into an error */
	CW_EAMBIGUOUS = -11,  /**< several formats match equally well */
	CW_EUSER = -100       /**< reserved for embedder callbacks that abort */
};

/** A short description of a status code; a static string, never NULL. */
CW_API const char *cw_status_str(int status);

/** Releases memory the library handed over as "returns owned, free with cw_free". */
CW_API void cw_free(void *p);

/**
 * A growable byte buffer, always NUL-terminated once anything was appended.
 * Frozen layout: embed it by value. Initialise with CW_BUF_INIT.
 *
 * Errors are sticky (ABI 1.3): once an append fails for want of memory,
 * the buffer keeps the bytes it had and every later append, reserve and
 * printf fails too, so that a builder can append without checking each
 * call and check cw_buf_error once where its output is finished: a
 * document is then whole or an error, never silently cut. cw_buf_clear
 * and cw_buf_free end the failed state. A failed buffer's data may point
 * at memory the library owns: release it only with cw_buf_free (or
 * cw_buf_clear), never with free().
 */
typedef struct cw_buf {
	char *data; /**< NULL until the first append */
	size_t len; /**< bytes used, not counting the NUL */
	size_t cap; /**< bytes allocated; 0 once an append failed (cw_buf_error) */
} cw_buf;
#define CW_BUF_INIT {NULL, 0, 0}

/** Appends len bytes (CW_NUL: strlen). CW_ENOMEM on failure. */
CW_API int cw_buf_append(cw_buf *b, const char *s, size_t len);
/** Appends one byte. */
CW_API int cw_buf_putc(cw_buf *b, char c);
/*
 * cw_buf_putc without a call when the byte and its NUL fit, the common
 * case (a decoder appends most of its output a byte at a time); the
 * function does the rest. Uses only the documented fields above.
 */
static inline int cw__buf_putc_inline(cw_buf *b, char c)
{
	if (b && b->len + 1 < b->cap) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return CW_OK;
	}
	return (cw_buf_putc)(b, c);
}
#define cw_buf_putc(b, c) cw__buf_putc_inline((b), (c))
/**
 * Appends printf-style text. CW_EINVAL when printf cannot format it (the
 * buffer fails as for a lack of memory).
 */
CW_API int cw_buf_printf(cw_buf *b, const char *fmt, ...) CW_PRINTF(2, 3);
/** Makes room for at least extra more bytes. */
CW_API int cw_buf_reserve(cw_buf *b, size_t extra);
/** Empties the buffer but keeps its memory; a failed buffer starts again from CW_BUF_INIT. */
CW_API void cw_buf_clear(cw_buf *b);
/* cw_buf_clear without a call for a buffer that holds memory and has not failed. */
static inline void cw__buf_clear_inline(cw_buf *b)
{
	if (b && b->cap) {
		b->len = 0;
		b->data[0] = '\0';
	} else {
		(cw_buf_clear)(b);
	}
}
#define cw_buf_clear(b) cw__buf_clear_inline(b)
/** Frees the memory and resets to CW_BUF_INIT. */
CW_API void cw_buf_free(cw_buf *b);
/**
 * ABI 1.3: the buffer's sticky error: CW_OK, or CW_ENOMEM once an append
 * (reserve, printf...) has failed since the buffer was last cleared or
 * freed; the bytes appended before the failure are still there, those of
 * every call since are not. CW_EINVAL for NULL.
 */
CW_API int cw_buf_error(const cw_buf *b);
/**
 * ABI 1.3: appends part's bytes to b, or, when part has failed
 * (cw_buf_error), makes b fail too: a piece built in a buffer of its own
 * carries its failure into the whole, to be seen by the one check at the
 * end. Returns b's status after the call.
 */
CW_API int cw_buf_append_buf(cw_buf *b, const cw_buf *part);
/**
 * ABI 1.3: puts b in the failed state, as if an append had run out of
 * memory (its bytes stay): for a builder whose other step (a table, a
 * helper that allocates) failed for want of memory, so that the one check
 * at the end sees it. Returns CW_ENOMEM (CW_EINVAL for NULL).
 */
CW_API int cw_buf_fail(cw_buf *b);
/** Returns data, or "" when nothing was appended; borrowed. */
CW_API const char *cw_buf_str(const cw_buf *b);

/**
 * Appends s (len bytes, CW_NUL: strlen) as a quoted JSON string: escapes
 * quote, backslash and control characters; other UTF-8 is copied as is.
 */
CW_API int cw_buf_append_json(cw_buf *b, const char *s, size_t len);
/**
 * Appends s (len may be CW_NUL) with every control byte (tab and newline
 * too), DEL and every byte that is not part of valid UTF-8 written as
 * "\xHH": the result
 * is valid UTF-8 that cannot move a terminal's cursor. For messages that
 * quote input.
 */
CW_API int cw_buf_append_escaped(cw_buf *b, const char *s, size_t len);
/**
 * Appends s (len may be CW_NUL) with every byte that is not part of valid
 * UTF-8 replaced by U+FFFD: for writers whose output must be UTF-8 and
 * whose input (another format's kept value) may not be.
 * @return CW_OK, CW_REPLACED (some byte was replaced), CW_ENOMEM.
 */
CW_API int cw_buf_append_utf8(cw_buf *b, const char *s, size_t len);

/** How cw_buf_append_xml escapes (ABI 1.3). */
enum cw_xml_mode {
	/** character data: & < > as &amp; &lt; &gt;, CR as &#13; */
	CW_XML_TEXT = 0,
	/**
	 * an attribute value written between double quotes: also " as &quot;,
	 * and tab, newline and CR as &#9; &#10; &#13;, which a parser's
	 * attribute-value normalisation would otherwise turn into spaces
	 */
	CW_XML_ATTR = 1
};

/**
 * ABI 1.3: appends s (len bytes, CW_NUL: strlen) escaped for an XML 1.0
 * document in UTF-8, as text or as an attribute value (enum cw_xml_mode).
 * The characters XML 1.0 cannot hold in any form are not written: C0
 * control characters other than tab, newline and CR are dropped (they
 * have no character reference either), and bytes that are not valid UTF-8
 * and the non-characters U+FFFE and U+FFFF become U+FFFD. Other
 * characters, ' and non-ASCII included, are copied as they are.
 * @return CW_OK, CW_REPLACED (something was dropped or replaced: a writer
 * may report it), CW_ENOMEM.
 */
CW_API int cw_buf_append_xml(cw_buf *b, const char *s, size_t len, enum cw_xml_mode mode);

/**
 * UTF-8 helpers. cw_utf8_check returns the length of the longest valid
 * prefix (== len when the whole input is valid UTF-8).
 */
CW_API size_t cw_utf8_check(const char *s, size_t len);
/** Appends the UTF-8 encoding of code point cp (U+FFFD if cp is invalid). */
CW_API int cw_buf_put_utf8(cw_buf *b, uint32_t cp);
/**
 * Decodes one code point at s (at most len bytes). Returns its byte length
 * (>= 1) and stores the code point, or U+FFFD and 1 for an invalid byte.
 */
CW_API size_t cw_utf8_decode(const char *s, size_t len, uint32_t *cp);
/**
 * The case of code point cp: 1 lower, 0 upper, -1 caseless or not known.
 * Knows Basic Latin, Latin-1, Latin Extended-A, Greek and Cyrillic
 * (ABI 1.3; for tests such as "does this word start in lower case").
 */
CW_API int cw_utf8_case(uint32_t cp);

#ifdef __cplusplus
}
#endif
#endif
