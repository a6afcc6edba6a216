/*
 * crosswalk/session.h - the host context and the per-stage session that
 * plugins see.
 *
 * A cw_context is the host's long-lived state: limits, the diagnostics sink,
 * --strict, crosswalk-table overrides, counters. Each stage of a conversion
 * (a reader, a filter, a writer) gets its own cw_session: the context plus
 * that stage's options, its file name and the record being worked on. A
 * session is used by one thread at a time; plugins keep all their state in
 * the state block the host allocates for them.
 */
#ifndef CROSSWALK_SESSION_H
#define CROSSWALK_SESSION_H

#include "common.h"
#include "diag.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cw_context cw_context;
typedef struct cw_session cw_session;
typedef struct cw_xwalk cw_xwalk;

/** Safety limits every reader enforces. 0 in a field means "default". */
typedef struct cw_limits {
	uint32_t struct_size;
	uint64_t max_input_bytes;  /**< whole input (default 256 MiB) */
	uint64_t max_field_bytes;  /**< one value (default 1 MiB) */
	uint32_t max_depth;        /**< nesting of any kind (default 256) */
	uint32_t max_names;        /**< names in one list (default 10000) */
	uint64_t max_records;      /**< records in one input (default 10 million) */
	uint32_t max_children;     /**< child records of one record (default 100000) */
	uint32_t max_hops;         /**< crossref / macro / xref chains (default 32) */
	uint64_t max_record_bytes; /**< source bytes of one record (default 16 MiB) */
} cw_limits;
#define CW_LIMITS_INIT {.struct_size = sizeof(cw_limits)}

/** A stage option: name and value, both borrowed. */
typedef struct cw_option {
	const char *name;
	const char *value; /**< NULL for a flag given without value (means "true") */
} cw_option;

/** Counters of what the context has seen. */
typedef struct cw_counts {
	uint32_t struct_size;
	uint64_t notes, warnings, errors, not_carried;
} cw_counts;

/* --- context (host side) --- */

/** @param[out] out returns owned; free with cw_context_free. */
CW_API int cw_context_new(cw_context **out);
CW_API void cw_context_free(cw_context *ctx);
/** Installs the diagnostics sink (NULL: diagnostics are only counted). */
CW_API void cw_context_set_diag_sink(cw_context *ctx, cw_diag_fn *fn, void *ud);
/** Replaces the limits; zero fields keep their defaults. */
CW_API int cw_context_set_limits(cw_context *ctx, const cw_limits *limits);
CW_API const cw_limits *cw_context_limits(const cw_context *ctx);
/** --strict: not-carried reports and recoverable errors stop the run. */
CW_API void cw_context_set_strict(cw_context *ctx, int strict);
CW_API int cw_context_strict(const cw_context *ctx);
/**
 * Adds a crosswalk-table override (the YAML text of a --crosswalk file).
 * Its "format" key names the plugin table it overrides; its rows take
 * precedence over the embedded ones. Errors are reported to the sink.
 */
CW_API int cw_context_add_crosswalk(cw_context *ctx, const char *yaml, size_t len,
                                    const char *name);
CW_API void cw_context_counts(const cw_context *ctx, cw_counts *out);
/** The last error-level message, for embedders without a sink; NULL if none. */
CW_API const char *cw_context_last_error(const cw_context *ctx);

/* --- session (plugin side) --- */

CW_API const cw_limits *cw_session_limits(const cw_session *s);
/**
 * The stage's value of an option declared in the format's or filter's option
 * table: the value given, else the declared default, else NULL. A flag given
 * without a value reads "true".
 */
CW_API const char *cw_session_option(const cw_session *s, const char *name);
/** Option as a boolean ("true/yes/1/on" vs "false/no/0/off"); dflt when unset. */
CW_API int cw_session_option_bool(const cw_session *s, const char *name, int dflt);
CW_API int cw_session_strict(const cw_session *s);
/** Input or output name of this stage, for messages. */
CW_API const char *cw_session_file(const cw_session *s);
/** The format or filter name of this stage. */
CW_API const char *cw_session_format(const cw_session *s);
/** Names the record being worked on, for diagnostics (copied; NULL clears). */
CW_API void cw_session_set_record(cw_session *s, const char *record_id);
/** The host context (for embedders and the core). */
CW_API cw_context *cw_session_context(const cw_session *s);

/**
 * The stage's crosswalk table: parses the plugin's embedded YAML once per
 * session, applies the context's overrides for this format, and returns it.
 * @param[out] out borrowed: owned by the session.
 */
CW_API int cw_session_crosswalk(cw_session *s, const char *embedded_yaml, size_t len,
                                const cw_xwalk **out);

/* --- crosswalk tables --- */

/**
 * A crosswalk table is YAML of this shape:
 *
 *   format: bibtex
 *   types:                       # a section: a list of rows
 *     - {bibtex: article, csl: article-journal}
 *   fields:
 *     - {bibtex: journal, field: container-title, note: "..."}
 *
 * Rows are maps of string cells. Lookups return the first matching row, so
 * override rows (added first) win.
 */

/** Parses a table. @param[out] out returns owned; free with cw_xwalk_free. */
CW_API int cw_xwalk_parse(cw_xwalk **out, const char *yaml, size_t len, const char *name,
                          cw_buf *err);
CW_API void cw_xwalk_free(cw_xwalk *t);
/** The value of the top-level scalar key (e.g. "format"), or NULL. */
CW_API const char *cw_xwalk_meta(const cw_xwalk *t, const char *key);
CW_API size_t cw_xwalk_row_count(const cw_xwalk *t, const char *section);
/** One cell, or NULL when the row lacks the column. */
CW_API const char *cw_xwalk_cell(const cw_xwalk *t, const char *section, size_t row,
                                 const char *column);
/**
 * The val_col cell of the first row of section whose key_col cell equals key
 * (ASCII case-insensitive when nocase), or NULL.
 */
CW_API const char *cw_xwalk_lookup(const cw_xwalk *t, const char *section, const char *key_col,
                                   const char *key, const char *val_col, int nocase);

#ifdef __cplusplus
}
#endif
#endif
