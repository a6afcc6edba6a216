/*
 * crosswalk/io.h - input and output streams. Plugins never open files: a
 * reader gets a cw_istream, a writer a cw_ostream.
 */
#ifndef CROSSWALK_IO_H
#define CROSSWALK_IO_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cw_istream cw_istream;
typedef struct cw_ostream cw_ostream;

/* --- input --- */

/**
 * Opens a file for reading; "-" is standard input. Directories are refused.
 * @param[out] out returns owned; close with cw_istream_close.
 */
CW_API int cw_istream_open_file(cw_istream **out, const char *path);
/** Reads from memory. @param data borrowed: must outlive the stream. */
CW_API int cw_istream_open_memory(cw_istream **out, const void *data, size_t len, const char *name);
/** A pull callback: store up to cap bytes in buf, set *got (0 = end). */
typedef int cw_read_fn(void *ud, void *buf, size_t cap, size_t *got);
/** Reads through a callback (embedders). */
CW_API int cw_istream_open_callback(cw_istream **out, cw_read_fn *fn, void *ud, const char *name);
/** Closes the stream. NULL is a no-op. */
CW_API void cw_istream_close(cw_istream *in);

/** Display name for messages ("refs.bib", "<stdin>"). */
CW_API const char *cw_istream_name(const cw_istream *in);
/**
 * Caps the bytes this stream will deliver; reading past it fails with
 * CW_ELIMIT. 0 = no limit.
 */
CW_API void cw_istream_set_limit(cw_istream *in, uint64_t max_bytes);

/**
 * Makes at least want bytes available without consuming them (fewer only at
 * the end of input) and returns the buffered bytes. *data stays valid until
 * the next call on the stream. The buffered bytes are followed by 16 NUL
 * bytes, so a scanner may read a little past *avail.
 */
CW_API int cw_istream_peek(cw_istream *in, size_t want, const char **data, size_t *avail);
/** Consumes n bytes (n <= the bytes last reported available). */
CW_API void cw_istream_consume(cw_istream *in, size_t n);
/** Reads up to cap bytes; *got = 0 means end of input. */
CW_API int cw_istream_read(cw_istream *in, void *buf, size_t cap, size_t *got);
/**
 * Reads everything that is left into memory owned by the stream.
 * *data stays valid until the stream is closed; it is NUL-terminated.
 */
CW_API int cw_istream_read_all(cw_istream *in, const char **data, size_t *len);
/** Bytes consumed so far. */
CW_API uint64_t cw_istream_offset(const cw_istream *in);

/* --- output --- */

enum cw_ostream_flag {
	/** write to a temporary file in the same directory; cw_ostream_commit renames it */
	CW_OSTREAM_ATOMIC = 1u << 0
};

/**
 * Opens a file for writing; "-" is standard output. With CW_OSTREAM_ATOMIC
 * nothing appears at path until cw_ostream_commit succeeds.
 */
CW_API int cw_ostream_open_file(cw_ostream **out, const char *path, unsigned flags);
/** Collects output in memory; read it with cw_ostream_memory. */
CW_API int cw_ostream_open_memory(cw_ostream **out, const char *name);
/** A push callback: consume len bytes or return an error status. */
typedef int cw_write_fn(void *ud, const void *data, size_t len);
CW_API int cw_ostream_open_callback(cw_ostream **out, cw_write_fn *fn, void *ud, const char *name);
/** Finishes the output: flush, and for atomic files fsync and rename. */
CW_API int cw_ostream_commit(cw_ostream *o);
/**
 * Closes the stream. An atomic file not committed is deleted, leaving any
 * earlier file at the path untouched. NULL is a no-op.
 */
CW_API void cw_ostream_close(cw_ostream *o);

CW_API const char *cw_ostream_name(const cw_ostream *o);
/** The bytes a memory stream collected (NUL-terminated); borrowed. */
CW_API const char *cw_ostream_memory(const cw_ostream *o, size_t *len);

/** Writes bytes. Errors are sticky: later writes fail and commit reports it. */
CW_API int cw_ostream_write(cw_ostream *o, const void *data, size_t len);
CW_API int cw_ostream_puts(cw_ostream *o, const char *s);
CW_API int cw_ostream_putc(cw_ostream *o, char c);
CW_API int cw_ostream_printf(cw_ostream *o, const char *fmt, ...) CW_PRINTF(2, 3);
CW_API int cw_ostream_flush(cw_ostream *o);
/** Bytes written so far. */
CW_API uint64_t cw_ostream_offset(const cw_ostream *o);
/** The sticky error status of the stream (CW_OK if none). */
CW_API int cw_ostream_error(const cw_ostream *o);

#ifdef __cplusplus
}
#endif
#endif
