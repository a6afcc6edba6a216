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
struct cw_registry;

/**
 * The deepest nesting a limit may allow: readers recurse on some nesting
 * (BibTeX braces, JSON), and deeper would overflow a thread's stack.
 * cw_context_set_limits refuses a larger max_depth.
 */
#define CW_LIMIT_DEPTH_MAX 1024

/**
 * Safety limits every reader enforces. 0 in a field means "default". Every
 * limit has a name, its key (enum cw_limit, cw_limit_key; the CLI's
 * `--limit KEY=N`), and a reader that hits one says which
 * (cw_session_limit_error, cw_session_limit_diag).
 *
 * The defaults bound what one record can cost (its source bytes, a value,
 * nesting, names, children, hops) and how many records one input may hold,
 * but not the size of the whole input: a streaming reader's memory follows
 * the largest record, so a 585 MB BibTeX file or a 10^5-record OAI-PMH
 * response is ordinary work. max_input_bytes is there for a host that wants
 * a cap (a web service); its default, 0, means none.
 */
typedef struct cw_limits {
	uint32_t struct_size;
	uint64_t max_input_bytes;  /**< whole input (default 0: none) */
	uint64_t max_field_bytes;  /**< one value (default 1 MiB) */
	uint32_t max_depth;        /**< nesting of any kind (default 256, at most CW_LIMIT_DEPTH_MAX) */
	uint32_t max_names;        /**< names in one list (default 10000) */
	uint64_t max_records;      /**< records in one input (default 10 million) */
	uint32_t max_children;     /**< child records of one record (default 100000) */
	uint32_t max_hops;         /**< crossref / macro / xref chains (default 32) */
	uint64_t max_record_bytes; /**< source bytes of one record (default 16 MiB); also
	                                bounds a reader that must hold a whole document */
	/* ABI 1.4 */
	uint32_t max_fields;     /**< fields one source record gives (default 4096) */
	uint32_t max_attributes; /**< attributes of one XML or HTML element (default 256);
	                              libxml2 takes time quadratic in them */
	uint32_t max_macros;     /**< macro definitions one input keeps, as a BibTeX
	                              file's @preamble gives (default 8192) */
} cw_limits;
#define CW_LIMITS_INIT {.struct_size = sizeof(cw_limits)}

/** The limits of cw_limits by name; the names are the `--limit` keys. */
enum cw_limit {
	CW_LIMIT_INPUT_BYTES = 1, /**< "input-bytes": max_input_bytes */
	CW_LIMIT_FIELD_BYTES,     /**< "field-bytes": max_field_bytes */
	CW_LIMIT_DEPTH,           /**< "depth": max_depth */
	CW_LIMIT_NAMES,           /**< "names": max_names */
	CW_LIMIT_RECORDS,         /**< "records": max_records */
	CW_LIMIT_CHILDREN,        /**< "children": max_children */
	CW_LIMIT_HOPS,            /**< "hops": max_hops */
	CW_LIMIT_RECORD_BYTES,    /**< "record-bytes": max_record_bytes */
	CW_LIMIT_FIELDS,          /**< "fields": max_fields (ABI 1.4) */
	CW_LIMIT_ATTRIBUTES,      /**< "attributes": max_attributes (ABI 1.4) */
	CW_LIMIT_MACROS,          /**< "macros": max_macros (ABI 1.4) */
};

/** The limit's `--limit` key ("record-bytes"); NULL for a value outside the enum. */
CW_API const char *cw_limit_key(enum cw_limit which);
/** The limit's value in lim (0 for an unknown limit, or input-bytes without a cap). */
CW_API uint64_t cw_limit_value(const cw_limits *lim, enum cw_limit which);
/**
 * ABI 1.4. The limit whose key is the len bytes at key (len may be CW_NUL),
 * or 0 when no limit has that key; the keys run from 1 while cw_limit_key
 * gives one, so a host lists them without a copy of its own.
 */
CW_API enum cw_limit cw_limit_from_key(const char *key, size_t len);
/** ABI 1.4. 1 when the limit is a size in bytes ("16 MiB"), 0 for a count. */
CW_API int cw_limit_is_bytes(enum cw_limit which);
/**
 * ABI 1.4. Sets limit `which` in lim (whose struct_size must hold it) to
 * value: CW_OK, or CW_EINVAL for an unknown limit, a struct too old for it,
 * 0 (which means "the default"; write the member to ask for that), a value
 * the member cannot hold, or a depth over CW_LIMIT_DEPTH_MAX.
 */
CW_API int cw_limit_set(cw_limits *lim, enum cw_limit which, uint64_t value);

/** A stage option: name and value, both borrowed. */
typedef struct cw_option {
	const char *name;
	const char *value; /**< NULL for a flag given without value (means "true") */
} cw_option;

/** Counters of what the context has seen. */
typedef struct cw_counts {
	uint32_t struct_size;
	uint64_t notes, warnings, errors;
	uint64_t not_carried;     /**< losses not accepted (warnings, or errors with strict) */
	uint64_t accepted_losses; /**< ABI 1.2: losses accepted (cw_context_accept_loss) */
} cw_counts;

/* --- context (host side) --- */

/** @param[out] out returns owned; free with cw_context_free. */
CW_API int cw_context_new(cw_context **out);
CW_API void cw_context_free(cw_context *ctx);
/** Installs the diagnostics sink (NULL: diagnostics are only counted). */
CW_API void cw_context_set_diag_sink(cw_context *ctx, cw_diag_fn *fn, void *ud);
/**
 * Replaces the limits; zero fields keep their defaults (for max_input_bytes,
 * no cap).
 */
CW_API int cw_context_set_limits(cw_context *ctx, const cw_limits *limits);
CW_API const cw_limits *cw_context_limits(const cw_context *ctx);
/** --strict: not-carried reports and recoverable errors stop the run. */
CW_API void cw_context_set_strict(cw_context *ctx, int strict);
CW_API int cw_context_strict(const cw_context *ctx);
/**
 * ABI 1.2. Accepts a loss: a not-carried report of writer format `format`
 * (NULL or "*": any writer) about `loss` is then a warning with
 * cw_diag.accepted set and code CW_DIAG_CODE_ACCEPTED_LOSS, even under
 * strict; it is counted in cw_counts.accepted_losses, not in not_carried,
 * and does not stop a strict run. `loss` is what cw_diag.loss names: a
 * field name of docs/fields.md ("affiliations"), "type" (the item type),
 * a passthrough field "FORMAT:NAME" ("jats:custom-meta"), "FORMAT:*" (every
 * passthrough field of that format) or "*" (every loss). Both strings are
 * copied; accepting one loss twice is accepting it once.
 * Returns CW_OK; CW_ENOTFOUND for a name that is no field and no
 * passthrough name (a typo would accept nothing); CW_EINVAL for misuse;
 * CW_ENOMEM.
 */
CW_API int cw_context_accept_loss(cw_context *ctx, const char *format, const char *loss);
/** ABI 1.2. Whether a loss of `loss` by writer `format` is accepted (1) or not (0). */
CW_API int cw_context_loss_accepted(const cw_context *ctx, const char *format, const char *loss);
/**
 * Adds a crosswalk-table override (the YAML text of a --crosswalk file).
 * Its "format" key names the plugin table it overrides; its rows take
 * precedence over the embedded ones. Errors are reported to the sink, each
 * with its place ("name:LINE:COL: ..."). ABI 1.3: with a registry
 * (cw_context_set_registry) the table is also checked against the schema
 * of the table it names: an unknown format, section, column or value, or a
 * row without a required column, is CW_EFORMAT.
 */
CW_API int cw_context_add_crosswalk(cw_context *ctx, const char *yaml, size_t len,
                                    const char *name);
/**
 * ABI 1.3. Names the registry the context's formats come from (borrowed:
 * it must outlive the context; NULL forgets it). Set it before
 * cw_context_add_crosswalk: an override is then checked when it is added
 * against the schema of the table its "format" names (table.h), an unknown
 * format name being an error; and each format's embedded table is parsed
 * and checked once per registry rather than once per session. Without a
 * registry an override is checked when a stage first asks for its table.
 */
CW_API void cw_context_set_registry(cw_context *ctx, const struct cw_registry *reg);
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
/**
 * Names the record being worked on, for diagnostics (copied, and cut after
 * 80 bytes with "…": a label is never a whole broken entry; NULL clears).
 */
CW_API void cw_session_set_record(cw_session *s, const char *record_id);
/**
 * For a reader: the input line where the record being read starts, as soon
 * as it is known (0 clears; the host clears it before each call to next).
 * It only serves the host's crash message ("plugin X crashed while reading
 * x.bib:12", cw_pipeline_current): a plain store, cheap enough for every
 * record. Optional: without it the message names the record's number.
 */
CW_API void cw_session_set_line(cw_session *s, uint32_t line);
/**
 * Reports that limit `which` was hit, at line:column (0 = unknown): an error
 * with code CW_ELIMIT whose message is fmt (printf) followed by " the KEY
 * limit (VALUE)", so every limit names itself, and whose cw_diag.limit is
 * `which`, so that a host can say how to raise it (the CLI adds "--limit
 * KEY=N"). fmt says what was too big: "record larger than" gives "record
 * larger than the record-bytes limit (1 MiB)".
 * Returns status: CW_ELIMIT when the stream is dead, CW_ERECORD when only
 * this record is lost.
 */
CW_API int cw_session_limit_error(cw_session *s, int status, enum cw_limit which, uint32_t line,
                                  uint32_t column, const char *fmt, ...) CW_PRINTF(6, 7);
/**
 * ABI 1.3. A diagnostic about limit `which` in words of the plugin's own
 * (cw_diag_emit with cw_diag.limit set): for a limit that made a reader
 * read something in a simpler way ("groups nested deeper than the depth
 * limit (256) are read as plain text", a warning), or an error that says
 * more than cw_session_limit_error's words can. The message names the
 * limit and its value (cw_limit_key, cw_limit_value), never a program's
 * option: the host says how to raise it. Returns code.
 */
CW_API int cw_session_limit_diag(cw_session *s, enum cw_severity sev, int code,
                                 enum cw_limit which, uint32_t line, uint32_t column,
                                 const char *fmt, ...) CW_PRINTF(7, 8);
/** The host context (for embedders and the core). */
CW_API cw_context *cw_session_context(const cw_session *s);
/**
 * For a reader stage of a pipeline: the filter its records go to first, or
 * NULL (no filter, or a stage outside a pipeline). When its flags
 * (cw_filter_flags) have CW_FILTER_TAKES_CHILDREN_APART, the reader may
 * hand a record's children out after it (the JATS reader hands the
 * references filter an article's references one at a time). Borrowed.
 */
CW_API const struct cw_filter *cw_session_next_filter(const cw_session *s);

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
