/*
 * crosswalk/diag.h - diagnostics: errors, warnings, notes and "not carried"
 * reports, each with its file, line, column and record.
 *
 * Rule: an error is reported once, where it is detected, with its location;
 * then only the status code travels up. Library and plugins never print.
 */
#ifndef CROSSWALK_DIAG_H
#define CROSSWALK_DIAG_H

#include "common.h"
#include "fields.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cw_session cw_session;
typedef struct cw_record cw_record;

enum cw_severity {
	CW_SEV_NOTE = 0,
	CW_SEV_WARNING,
	CW_SEV_ERROR, /**< a record or the stream failed */
	CW_SEV_FATAL  /**< reserved: the whole run failed */
};

/** What a diagnostic is about. Append only. */
enum cw_diag_kind {
	CW_DIAG_GENERAL = 0,
	CW_DIAG_NOT_CARRIED /**< a writer could not carry a field */
};

/**
 * Stable machine codes of diagnostics, X(ID, "name", "meaning"): the
 * "code" of every entry of a `--report` file and of
 * `--diagnostics-format=json|github`, for CI tooling to match on. Names
 * never change meaning; the list only grows (docs/user-guide.md, "Codes").
 */
#define CW_DIAG_CODES(X)                                                                           \
	X(NONE, "", "no code (a diagnostic from a host older than ABI 1.2)")                       \
	X(NOTE, "note", "information: nothing was lost")                                           \
	X(NOT_CARRIED, "not-carried",                                                              \
	  "a writer could not carry a field (a warning; an error with --strict)")                  \
	X(ACCEPTED_LOSS, "accepted-loss",                                                          \
	  "a field not carried, but the loss was accepted (--allow-loss): always a warning")       \
	X(DEGRADED, "degraded",                                                                    \
	  "a writer wrote a value in another form than it had (a key made valid, bytes "           \
	  "replaced, a character left as UTF-8)")                                                  \
	X(INPUT_WARNING, "input-warning",                                                          \
	  "a reader repaired or dropped something of the input and went on")                       \
	X(WARNING, "warning", "another warning (a filter's, a host's)")                            \
	X(SKIPPED_RECORD, "skipped-record", "a record could not be read and was skipped")          \
	X(BAD_INPUT, "bad-input", "the input is invalid, or not what the writer can take")         \
	X(LIMIT, "limit", "a safety limit was hit (--limit raises it)")                            \
	X(INPUT_ERROR, "input-error", "the input could not be opened or read")                     \
	X(OUTPUT_ERROR, "output-error", "an output or the report could not be written")            \
	X(USAGE, "usage",                                                                          \
	  "bad command line or option: an unknown format, filter, field or option value, a "       \
	  "bad crosswalk table")                                                                   \
	X(PLUGIN, "plugin", "a plugin could not be loaded")                                        \
	X(INTERNAL, "internal", "out of memory or an internal error")                              \
	X(INFERRED, "inferred",                                                                    \
	  "fields were inferred from a reference's text (cw_citation_parse; a note, ABI 1.5)")

/** The codes of CW_DIAG_CODES as an enum: CW_DIAG_CODE_NOT_CARRIED... Append only. */
enum cw_diag_code {
#define CW_X_(id, name, doc) CW_DIAG_CODE_##id,
	CW_DIAG_CODES(CW_X_)
#undef CW_X_
	    CW_DIAG_CODE_COUNT_
};

/**
 * ABI 1.3: what a loss did to the value, for a CW_DIAG_NOT_CARRIED report
 * (cw_diag.loss_kind). Append only.
 */
enum cw_loss_kind {
	/** the value is not in the output at all */
	CW_LOSS_DROPPED = 0,
	/**
	 * the value is in the output, in a lesser form: a style lost ("italics
	 * lost"), a part of it ("range end lost"), a type written as a broader
	 * one ("type thesis written as @misc")
	 */
	CW_LOSS_DEGRADED
};

/** A location in an input; 1-based, 0 = unknown. */
typedef struct cw_location {
	uint32_t line;
	uint32_t column;
} cw_location;

/** One diagnostic, as handed to a sink. All strings are borrowed for the call. */
typedef struct cw_diag {
	uint32_t struct_size;
	enum cw_severity severity;
	enum cw_diag_kind kind;
	int code;              /**< enum cw_status */
	const char *file;      /**< "refs.bib", "<stdin>"; NULL if none */
	cw_location at;        /**< where */
	const char *record_id; /**< citekey, DOI, "#17"; NULL if none */
	const char *plugin;    /**< format or filter name, e.g. "bibtex"; NULL for the core */
	enum cw_field field;   /**< CW_DIAG_NOT_CARRIED: the field; else CW_FIELD_NONE */
	const char *detail;    /**< CW_DIAG_NOT_CARRIED: passthrough "format:name", or NULL */
	const char *message;   /**< no trailing newline, no "error:" prefix */
	/**
	 * The printf format the message was made from ("unknown LaTeX command
	 * \\%.*s dropped"): the same pointer for every message of one kind,
	 * so a host can count and summarise them. NULL when unknown.
	 */
	const char *format;
	/* --- ABI 1.2: read only when struct_size covers them --- */
	/**
	 * CW_DIAG_NOT_CARRIED: what was lost, named the way
	 * cw_context_accept_loss takes it: a field name ("affiliations"), a
	 * passthrough field "FORMAT:NAME" ("jats:custom-meta"), or "type" for
	 * the record's item type. NULL for other kinds.
	 */
	const char *loss;
	/** CW_DIAG_NOT_CARRIED: the loss was accepted (a warning even with --strict). */
	int accepted;
	/** The machine code; use cw_diag_code_of, which also reads older diagnostics. */
	enum cw_diag_code diag_code;
	/* --- ABI 1.3 --- */
	/**
	 * CW_DIAG_NOT_CARRIED: dropped or degraded; use cw_diag_loss_kind,
	 * which also reads older diagnostics (all of whose losses are dropped).
	 */
	enum cw_loss_kind loss_kind;
	/**
	 * The safety limit the diagnostic is about (enum cw_limit: a limit that
	 * was hit, or that made a reader read something in a simpler way), so
	 * that a host can say how it raises it; the message names the limit
	 * and its value. 0 for none (and from a plugin that wrote the limit
	 * into its message itself).
	 */
	int limit;
} cw_diag;

/** A diagnostic sink installed by the host. */
typedef void cw_diag_fn(void *ud, const cw_diag *d);

/** "not-carried", "usage"... (CW_DIAG_CODES); "" for NONE or a value outside the enum. */
CW_API const char *cw_diag_code_name(enum cw_diag_code code);
/** The code whose name is name (len bytes, CW_NUL: strlen); CW_DIAG_CODE_NONE if none. */
CW_API enum cw_diag_code cw_diag_code_from_name(const char *name, size_t len);
/**
 * d's machine code: its diag_code when set, else one derived from its kind,
 * severity and status (what the library sets for its own diagnostics,
 * without knowing the stage: a warning is then CW_DIAG_CODE_WARNING).
 */
CW_API enum cw_diag_code cw_diag_code_of(const cw_diag *d);

/**
 * ABI 1.3: the kind of loss a CW_DIAG_NOT_CARRIED report tells of:
 * d->loss_kind when d has it (struct_size), else CW_LOSS_DROPPED (what
 * every loss was before ABI 1.3). CW_LOSS_DROPPED for other kinds.
 */
CW_API enum cw_loss_kind cw_diag_loss_kind(const cw_diag *d);
/** ABI 1.3: "dropped", "degraded"; "" for a value outside the enum. */
CW_API const char *cw_loss_kind_name(enum cw_loss_kind kind);

/** "note", "warning", "error", "fatal". */
CW_API const char *cw_severity_name(enum cw_severity sev);

/**
 * Formats a diagnostic as one line, without newline and without the name of
 * a program (the CLI puts "crosswalk: " before it):
 * "refs.bib:120:7: error: [smith2004] unterminated braced value".
 * File, record id and message are escaped (cw_buf_append_escaped): a
 * message quoting broken input stays one line of valid UTF-8. A record id
 * longer than 80 bytes is cut at a UTF-8 boundary and ends in "…".
 */
CW_API int cw_diag_format(const cw_diag *d, cw_buf *out);

/**
 * Reports a diagnostic through the session. line/column 0 = unknown.
 * A %s or %.*s right after a quote mark (' " < @ \ &) in fmt is text
 * quoted from the input and is cut after 80 bytes with "…"; a message is
 * at most 4096 bytes.
 * Returns code, so "return cw_diag_emit(s, CW_SEV_ERROR, CW_EFORMAT, ...)"
 * reports and propagates in one statement.
 */
CW_API int cw_diag_emit(cw_session *s, enum cw_severity sev, int code, uint32_t line,
                        uint32_t column, const char *fmt, ...) CW_PRINTF(6, 7);

/**
 * ABI 1.3: the check a writer makes once where a document, or a record's
 * part of one, built in b is finished: CW_OK when b is whole; when an
 * append to it failed (cw_buf_error), reports "out of memory while making
 * the FORMAT output" as an error of s and returns the error, so that the
 * writer fails instead of writing a document that lacks a part.
 */
CW_API int cw_diag_check_buf(cw_session *s, const cw_buf *b);

/**
 * Reports that a writer could not carry field f of rec (a warning, or an
 * error under --strict, which the host enforces, unless the context
 * accepts the loss: cw_context_accept_loss). detail_fmt may be NULL.
 * With f CW_FIELD_NONE, a detail that starts with "FORMAT:NAME" (up to the
 * first space) names a passthrough field, which is the loss's name; any
 * other detail is about the record's type, and the loss is named "type".
 */
CW_API void cw_diag_not_carried(cw_session *s, const cw_record *rec, enum cw_field f,
                                const char *detail_fmt, ...) CW_PRINTF(4, 5);

/**
 * ABI 1.3: reports a loss of field f of rec with its kind: what
 * cw_diag_not_carried reports (the same loss names, --allow-loss and
 * --strict), with kind CW_LOSS_DEGRADED when the value is written in a
 * lesser form rather than left out. detail_fmt (may be NULL) says what
 * was lost, briefly: "italics lost", "range end lost". The message reads
 * "degraded by FORMAT: FIELD (DETAIL)" (or "not carried by ..." for
 * CW_LOSS_DROPPED). cw_diag_not_carried(s, rec, f, ...) is
 * cw_diag_loss(s, rec, f, CW_LOSS_DROPPED, ...).
 */
CW_API void cw_diag_loss(cw_session *s, const cw_record *rec, enum cw_field f,
                         enum cw_loss_kind kind, const char *detail_fmt, ...) CW_PRINTF(5, 6);

/**
 * Reports as not carried every field rec holds that is not in carried[0..n).
 * Returns the number of reports.
 */
CW_API size_t cw_diag_uncarried(cw_session *s, const cw_record *rec, const enum cw_field *carried,
                                size_t n);

/**
 * Reports as not carried every passthrough field of rec whose format is not
 * own_format (NULL: the session's format name). Returns the number of
 * reports.
 */
CW_API size_t cw_diag_uncarried_passthrough(cw_session *s, const cw_record *rec,
                                            const char *own_format);

#ifdef __cplusplus
}
#endif
#endif
