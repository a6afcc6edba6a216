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
	cw__chunk *fixed; /* the first chunk, in its owner's memory: never freed here */
} cw__arena;

void *cw__arena_alloc(cw__arena *a, size_t n);
/* Copies n bytes and a NUL. */
char *cw__arena_memdup(cw__arena *a, const char *s, size_t n);
/*
 * Starts an empty arena whose first chunk is the n bytes at mem (aligned as
 * malloc aligns; a chunk's header takes 32 of them), memory its owner frees:
 * a record keeps its first chunk in its own allocation.
 */
void cw__arena_init_fixed(cw__arena *a, void *mem, size_t n);
/* Frees every chunk but a fixed one. */
void cw__arena_free(cw__arena *a);

/* --- error lines (buf.c) --- */

/*
 * Appends one line to b, "prefix: message" (prefix NULL: the message alone),
 * after a '\n' when b holds text already; the message is cut at 511 bytes.
 * The shape of the registry's and the table checker's refusals.
 */
void cw__buf_linev(cw_buf *b, const char *prefix, const char *fmt, va_list ap) CW_PRINTF(3, 0);

/* --- hashing (map.c): FNV-1a of the bytes, ASCII case folded on request, mixed --- */

uint64_t cw__hash(const char *s, size_t n, int fold_case);

/* --- entry points of plugins built before ABI 1.3 --- */

/*
 * The public headers map these names to the _known forms, which take the
 * caller's own count of fields, types or styles; the exported functions of
 * these names are what plugins built against older headers call. Ids they
 * hand out unasked (the fields of a record, its type, a marker's style)
 * stay below the counts of the first ABI 1.0 headers, the least any such
 * plugin knows. Ids asked for by name stay below the counts of ABI 1.2,
 * so that a plugin finds every field its own tables name (ABI 1.1 and 1.2
 * plugins know 135).
 */
enum {
	CW__V10_FIELD_COUNT = 129,
	CW__V10_TYPE_COUNT = 46,
	CW__V10_STYLE_COUNT = 7,
	CW__V12_FIELD_COUNT = 135,
	CW__V12_TYPE_COUNT = 46
};
_Static_assert(CW__V12_FIELD_COUNT <= (int)CW_FIELD_COUNT_ &&
                   CW__V12_TYPE_COUNT <= (int)CW_TYPE_COUNT_ &&
                   CW__V10_STYLE_COUNT <= (int)CW_STYLE_COUNT_,
               "field, type and style ids are append-only");

/* The walker of the ABI 1.0-1.2 headers. */
typedef struct cw__rich_iter_v10 {
	const char *p;
	const char *text;
	size_t len;
	enum cw_style style;
} cw__rich_iter_v10;

CW_API enum cw_field(cw_record_next_field)(const cw_record *rec, enum cw_field after);
CW_API enum cw_item_type(cw_record_type)(const cw_record *rec);
CW_API enum cw_field(cw_field_from_name)(const char *name, size_t len);
CW_API enum cw_item_type(cw_item_type_from_name)(const char *name, size_t len);
CW_API int(cw_rich_marker)(unsigned char c, enum cw_style *style, int *open);
CW_API enum cw_rich_event(cw_rich_next)(cw__rich_iter_v10 *it);

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
	enum cw_loss_kind kind;
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

/* --- the core's own tables and the citation parser (citation.c) --- */

/* The schemas of the core's tables, NULL-terminated: names no plugin's table may take. */
extern const cw_table_schema *const cw__core_schemas[];
/* 1 if schema is one of cw__core_schemas (its table is cached apart from a stage's). */
int cw__table_schema_is_core(const cw_table_schema *schema);
/* The parser's data a session keeps (made from its citations table), or NULL. */
void *cw__session_citation(const cw_session *s);
/* Hands data to the session, which frees it with free_fn (replacing what it held). */
void cw__session_set_citation(cw_session *s, void *data, void (*free_fn)(void *));
/* A note of code CW_DIAG_CODE_INFERRED at line:column of the session's input. */
int cw__diag_inferred(cw_session *s, uint32_t line, uint32_t column, const char *fmt, ...)
    CW_PRINTF(4, 5);

#endif
