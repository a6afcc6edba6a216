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
} cw_diag;

/** A diagnostic sink installed by the host. */
typedef void cw_diag_fn(void *ud, const cw_diag *d);

/** "note", "warning", "error", "fatal". */
CW_API const char *cw_severity_name(enum cw_severity sev);

/**
 * Formats a diagnostic the way the CLI prints it, without newline:
 * "crosswalk: refs.bib:120:7: error: [smith2004] unterminated braced value".
 */
CW_API int cw_diag_format(const cw_diag *d, cw_buf *out);

/**
 * Reports a diagnostic through the session. line/column 0 = unknown.
 * Returns code, so "return cw_diag_emit(s, CW_SEV_ERROR, CW_EFORMAT, ...)"
 * reports and propagates in one statement.
 */
CW_API int cw_diag_emit(cw_session *s, enum cw_severity sev, int code, uint32_t line,
                        uint32_t column, const char *fmt, ...) CW_PRINTF(6, 7);

/**
 * Reports that a writer could not carry field f of rec (a warning, or an
 * error under --strict, which the host enforces). detail_fmt may be NULL.
 */
CW_API void cw_diag_not_carried(cw_session *s, const cw_record *rec, enum cw_field f,
                                const char *detail_fmt, ...) CW_PRINTF(4, 5);

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
