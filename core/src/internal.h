/*
 * Private declarations shared by the library's source files (cw__ names,
 * hidden from the exported ABI by -fvisibility=hidden).
 */
#ifndef CW_INTERNAL_H
#define CW_INTERNAL_H

#include <stdarg.h>

#include "crosswalk/crosswalk.h"

/* --- arena: chunked bump allocator behind every record --- */

typedef struct cw__chunk cw__chunk;
typedef struct cw__arena {
	cw__chunk *head;
	size_t next_size;
} cw__arena;

void *cw__arena_alloc(cw__arena *a, size_t n);
/* Copies n bytes and a NUL. */
char *cw__arena_memdup(cw__arena *a, const char *s, size_t n);
/* Empties the arena, keeping its last chunk (unless oversized) for reuse. */
void cw__arena_reset(cw__arena *a);
void cw__arena_free(cw__arena *a);

/* --- UTF-8 --- */

/*
 * Length of the valid UTF-8 sequence at p (p[0] >= 0x80; at most avail
 * bytes), or 0: no overlong form, no surrogate, nothing above U+10FFFF. The
 * one statement of the rules: cw_utf8_decode and the text cleaner use it.
 */
static inline size_t cw__utf8_len(const unsigned char *p, size_t avail)
{
	unsigned c = p[0], lo = 0x80, hi = 0xBF;
	size_t n;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
	else
		return 0;
	if (avail < n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

/* --- text cleaning (record invariants) --- */

/*
 * Appends the cleaned form of s to out: trimmed, valid UTF-8, no C0 controls
 * but tab and newline; rich markers kept balanced when rich, dropped
 * otherwise. Sets *replaced when something had to be repaired.
 */
int cw__text_clean(cw_buf *out, const char *s, size_t len, int rich, int *replaced);
/* Drops the white space cw__text_clean trims from both ends; returns the new length. */
size_t cw__text_trim(const char **s, size_t len);
/*
 * How many leading bytes of s (already trimmed) cw__text_clean would copy
 * unchanged: len when all of them.
 */
size_t cw__text_clean_prefix(const char *s, size_t len);
/* cw__text_clean of s, already trimmed, whose first done bytes are clean. */
int cw__text_clean_rest(cw_buf *out, const char *s, size_t len, size_t done, int rich,
                        int *replaced);

/* --- diagnostics --- */

void cw__context_emit(cw_context *ctx, const cw_diag *d);
/*
 * Longest record label, or text quoted from the input, that a diagnostic
 * carries whole; a longer one is cut (cw__diag_clip).
 */
#define CW_DIAG_QUOTE_MAX 80
/*
 * Appends s (len bytes, CW_NUL: strlen), cut after CW_DIAG_QUOTE_MAX bytes
 * at the start of a UTF-8 sequence and ended with "\u2026" when longer.
 * Cutting a cut text again changes nothing.
 */
int cw__diag_clip(cw_buf *out, const char *s, size_t len);
/* What a not-carried report adds to a diagnostic; NULL for other kinds. */
typedef struct cw__loss {
	const char *name; /* cw_diag.loss */
	int accepted;
} cw__loss;
int cw__diag_emitv(cw_session *s, enum cw_severity sev, enum cw_diag_kind kind, int code,
                   uint32_t line, uint32_t column, enum cw_field field, const char *detail,
                   const cw__loss *loss, const char *fmt, va_list ap) CW_PRINTF(10, 0);
/* A general diagnostic about limit `limit` (enum cw_limit): cw_diag.limit is set. */
int cw__diag_limitv(cw_session *s, enum cw_severity sev, int code, int limit, uint32_t line,
                    uint32_t column, const char *fmt, va_list ap) CW_PRINTF(7, 0);

/* --- sessions --- */

/* What a stage does, for the machine code of its diagnostics. */
enum cw__stage_role { CW__STAGE_OTHER = 0, CW__STAGE_READER, CW__STAGE_FILTER, CW__STAGE_WRITER };
void cw__session_set_role(cw_session *s, enum cw__stage_role role);
enum cw__stage_role cw__session_role(const cw_session *s);

/* Creates a stage session; options validated against spec (reported). */
int cw__session_new(cw_session **out, cw_context *ctx, const char *stage_name, const char *file,
                    const cw_option_spec *spec, const cw_option *opts, size_t nopts);
void cw__session_free(cw_session *s);
const char *cw__session_record(const cw_session *s);
/* The line cw_session_set_line stored (async-signal-safe: a plain read). */
uint32_t cw__session_line(const cw_session *s);
/* The pipeline names the filter a reader's records go to first. */
void cw__session_set_next_filter(cw_session *s, const cw_filter *f);
/* Overrides for a format's crosswalk table, or NULL. */
const cw_xwalk *cw__context_override(const cw_context *ctx, const char *format);
/* Merges: rows of over come first. */
int cw__xwalk_merge(cw_xwalk **out, const cw_xwalk *over, const cw_xwalk *base);

/* --- misc --- */

int cw__ascii_casecmp(const char *a, const char *b);
int cw__ascii_ncasecmp(const char *a, const char *b, size_t n);

#endif
