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

/* --- a guard for XML and HTML readers --- */

/**
 * Counts the attributes of each start tag in raw XML or HTML bytes as they
 * stream to a parser. libxml2 (2.9) takes time quadratic in the attributes
 * of one element; a reader feeds every chunk here before the parser sees it
 * and stops at CW_ELIMIT. Comments, processing instructions, declarations,
 * CDATA and quoted values are skipped; in HTML mode also text that is no
 * tag ("a < b") and the raw text of script, style, title and textarea.
 */
typedef struct cw_tagscan cw_tagscan;
/** @param[out] out owned: free with cw_tagscan_free. */
CW_API int cw_tagscan_new(cw_tagscan **out, uint32_t max_attrs, int html);
/**
 * Scans the next n bytes. Returns CW_ELIMIT from the element with more than
 * max_attrs attributes on (and for every later call), else CW_OK.
 */
CW_API int cw_tagscan_feed(cw_tagscan *t, const char *p, size_t n);
/** The line (1-based) the scan has reached: of the element over the limit, once hit. */
CW_API uint32_t cw_tagscan_line(const cw_tagscan *t);
/** The bound it was made with. */
CW_API uint32_t cw_tagscan_max(const cw_tagscan *t);
/**
 * Reports the element over the bound as an error of session s at its line.
 * A scan made with the session's attributes limit
 * (cw_session_limits(s)->max_attributes, ABI 1.4) names it, as
 * cw_session_limit_error does ("more attributes on one element than the
 * attributes limit (256)"), so that the host says how to raise it; a scan
 * with a bound of the plugin's own is "a fixed bound". Returns CW_ELIMIT.
 */
CW_API int cw_tagscan_report(const cw_tagscan *t, struct cw_session *s);
/** NULL is a no-op. */
CW_API void cw_tagscan_free(cw_tagscan *t);

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

/* --- lines and positions (ABI 1.3) --- */

/**
 * The line and column (both 1-based) of the next byte to consume: for
 * messages and cw_record_set_origin. Lines end at '\n'; a column counts
 * characters (UTF-8 continuation bytes do not count, a tab is one), and a
 * byte order mark at the start of the input is no column. The stream
 * counts the bytes consumed since the last call, so a reader that never
 * asks pays nothing and one that asks at each record pays once per byte.
 * Either pointer may be NULL.
 */
CW_API void cw_istream_position(cw_istream *in, uint32_t *line, uint32_t *column);
/**
 * Reads the next line and consumes it: *line points at its bytes, *len is
 * their number without the line end ("\n" or "\r\n"; the last line may
 * have none). The bytes are not NUL-terminated and stay valid until the
 * next call on the stream. A line longer than max bytes (0: no bound) is
 * refused with CW_ELIMIT and nothing is consumed: bound it by the session's
 * limits. Returns CW_OK, CW_EOF at the end of input, or the stream's error.
 */
CW_API int cw_istream_read_line(cw_istream *in, size_t max, const char **line, size_t *len);
/**
 * Puts back the line cw_istream_read_line returned last, so that the next
 * read (of any kind) starts with it again, and the position with it: for a
 * reader that learns from a line that its record has ended ("TY  - " opens
 * the next one). One line only, and only right after it was read: once
 * anything else consumed or read from the stream, CW_EINVAL.
 */
CW_API int cw_istream_unread_line(cw_istream *in);

/* --- output --- */

enum cw_ostream_flag {
	/** write to a temporary file in the same directory; cw_ostream_commit renames it */
	CW_OSTREAM_ATOMIC = 1u << 0,
	/**
	 * with CW_OSTREAM_ATOMIC: leave the target's directory unswept for the
	 * temporaries of ended runs (see cw_ostream_remove_temporaries), because
	 * the caller swept it with cw_ostream_remove_stale. A program writing many
	 * files into one directory sweeps it once instead of once per file, which
	 * would make writing N files there cost N^2. A symbolic link's target is
	 * swept all the same. ABI 1.5.
	 */
	CW_OSTREAM_NO_SWEEP = 1u << 1
};

/**
 * Opens a file for writing; "-" is standard output. With CW_OSTREAM_ATOMIC
 * nothing appears at path until cw_ostream_commit succeeds. Atomic
 * replacement applies to regular files and new paths: a symbolic link is
 * followed (its target is replaced), and a device, FIFO or socket is
 * written in place.
 */
CW_API int cw_ostream_open_file(cw_ostream **out, const char *path, unsigned flags);
/** Collects output in memory; read it with cw_ostream_memory. */
CW_API int cw_ostream_open_memory(cw_ostream **out, const char *name);
/** A push callback: consume len bytes or return an error status. */
typedef int cw_write_fn(void *ud, const void *data, size_t len);
CW_API int cw_ostream_open_callback(cw_ostream **out, cw_write_fn *fn, void *ud, const char *name);
/**
 * The first half of a commit: flushes, and for an atomic file gives the
 * temporary file the owner (where permitted) and permissions of the file it
 * replaces, fsyncs and closes it. Every way writing can fail shows here;
 * only the rename is left to cw_ostream_commit. To commit several files as
 * one group, prepare them all, and commit them only if every one prepared.
 * After it the stream takes no more bytes. A second call is a no-op.
 */
CW_API int cw_ostream_prepare(cw_ostream *o);
/**
 * Finishes the output: cw_ostream_prepare if not done yet, and for an
 * atomic file the rename over path and an fsync of its directory, so the
 * new file survives a power loss. A second call is a no-op.
 */
CW_API int cw_ostream_commit(cw_ostream *o);
/**
 * Closes the stream. An atomic file not committed is deleted, leaving any
 * earlier file at the path untouched. NULL is a no-op.
 */
CW_API void cw_ostream_close(cw_ostream *o);
/**
 * Deletes the temporary file of every atomic stream of this process that is
 * neither committed nor closed; the streams stay open and fail on commit.
 * Async-signal-safe: for a handler of SIGINT, SIGTERM and the like that then
 * ends the process. It may run while the thread it interrupts is inside any
 * cw_ostream call; streams that other threads close at the same moment are
 * the caller's to stop first.
 *
 * A run killed without a chance to clean up (SIGKILL, a power loss) leaves
 * its temporary files behind; their names tell the host, the process id and
 * its start time, and cw_ostream_open_file with CW_OSTREAM_ATOMIC removes
 * those in the target's directory whose run has ended (regular files of the
 * caller's user only).
 */
CW_API void cw_ostream_remove_temporaries(void);
/**
 * Removes from dir (NULL or "" for the current directory) what
 * cw_ostream_open_file with CW_OSTREAM_ATOMIC removes from its target's
 * directory: the temporary files of ended runs of this host, regular files of
 * the caller's user only. Best effort: errors are ignored. ABI 1.5.
 */
CW_API void cw_ostream_remove_stale(const char *dir);

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
/**
 * The errno of the system call behind the sticky error (ENOSPC, EPIPE...),
 * for the message; 0 if there is no error or it came from no system call.
 */
CW_API int cw_ostream_os_error(const cw_ostream *o);

#ifdef __cplusplus
}
#endif
#endif
