/*
 * crosswalk/pipeline.h - running conversions.
 *
 * Two levels: single stages (cw_reader, cw_writer) for embedders who want
 * their own loop, and cw_pipeline, which pulls each record from one reader,
 * passes it through the filters in order and hands it to every writer (fan
 * out), one record at a time.
 */
#ifndef CROSSWALK_PIPELINE_H
#define CROSSWALK_PIPELINE_H

#include "common.h"
#include "io.h"
#include "plugin.h"
#include "record.h"
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cw_reader cw_reader;
typedef struct cw_writer cw_writer;
typedef struct cw_pipeline cw_pipeline;

/**
 * Opens a reader stage. Options are validated against the format's reader
 * options; an unknown or invalid one is reported and refused (CW_EINVAL).
 * @param in borrowed: must stay open until cw_reader_close.
 * @param[out] out returns owned, even on failure when non-NULL: always close it.
 */
CW_API int cw_reader_open(cw_reader **out, cw_context *ctx, const cw_format *fmt, cw_istream *in,
                          const cw_option *opts, size_t nopts);
/**
 * Next record. CW_OK (caller owns *rec), CW_EOF, CW_ERECORD (record skipped,
 * call again) or a fatal status.
 */
CW_API int cw_reader_next(cw_reader *r, cw_record **rec);
CW_API void cw_reader_close(cw_reader *r);
CW_API cw_session *cw_reader_session(cw_reader *r);

/** Opens a writer stage and calls its begin. @param o borrowed. */
CW_API int cw_writer_open(cw_writer **out, cw_context *ctx, const cw_format *fmt, cw_ostream *o,
                          const cw_option *opts, size_t nopts);
/** Writes one record (borrowed). */
CW_API int cw_writer_write(cw_writer *w, const cw_record *rec);
/** Calls the writer's end: the document is complete. */
CW_API int cw_writer_finish(cw_writer *w);
CW_API void cw_writer_close(cw_writer *w);
CW_API cw_session *cw_writer_session(cw_writer *w);

/** Statistics of a pipeline run. */
typedef struct cw_pipeline_stats {
	uint32_t struct_size;
	uint64_t records_read;    /**< records the reader produced */
	uint64_t records_skipped; /**< CW_ERECORD from the reader */
	uint64_t records_written; /**< records handed to the writers (after filters) */
} cw_pipeline_stats;

/** @param ctx borrowed: must outlive the pipeline. */
CW_API int cw_pipeline_new(cw_pipeline **out, cw_context *ctx);
CW_API void cw_pipeline_free(cw_pipeline *p);
/** Sets the reader. Validation errors are reported and returned. */
CW_API int cw_pipeline_set_reader(cw_pipeline *p, const cw_format *fmt, cw_istream *in,
                                  const cw_option *opts, size_t nopts);
/** Appends a filter. */
CW_API int cw_pipeline_add_filter(cw_pipeline *p, const cw_filter *filter, const cw_option *opts,
                                  size_t nopts);
/** Appends a writer. @param o borrowed. */
CW_API int cw_pipeline_add_writer(cw_pipeline *p, const cw_format *fmt, cw_ostream *o,
                                  const cw_option *opts, size_t nopts);
/**
 * Runs the conversion to the end. Returns CW_OK; CW_ERECORD when records
 * were skipped but the run completed; CW_ESTRICT when --strict stopped it
 * (an error or a loss not accepted, reported during this run: what earlier
 * runs on the same context reported does not count); or the fatal status
 * that stopped it. Outputs are not committed: the caller commits them on
 * success.
 */
CW_API int cw_pipeline_run(cw_pipeline *p, cw_pipeline_stats *stats);

/** What a pipeline is running at a moment (cw_pipeline_current). */
enum cw_stage_kind {
	CW_STAGE_NONE = 0, /**< no plugin code: the core itself, or no run */
	CW_STAGE_READER,   /**< the reader's open, next or close */
	CW_STAGE_FILTER,   /**< a filter's open, apply, finish or close */
	CW_STAGE_WRITER    /**< a writer's begin, write, end or close */
};

/**
 * The stage a pipeline is in and the record it works on, for a host's crash
 * handler: "plugin bibtex crashed (SIGSEGV) while reading x.bib:12".
 * Every pointer is borrowed: names from the plugin's descriptors, file
 * names from the pipeline's sessions. They stay valid as long as the
 * pipeline (and the plugin) do.
 */
typedef struct cw_stage_info {
	uint32_t struct_size;
	enum cw_stage_kind kind;
	const cw_format *format; /**< the reader's or writer's format; else NULL */
	const cw_filter *filter; /**< the filter; else NULL */
	const char *name;        /**< format or filter name; NULL for CW_STAGE_NONE */
	const char *file;        /**< reader: the input; writer: the output; filter: NULL */
	const char *input;       /**< the pipeline's input (any kind); NULL: no reader */
	uint64_t record;         /**< the input record being worked on (1-based); 0 = none */
	uint32_t line;           /**< the input line where that record starts; 0 = unknown */
} cw_stage_info;
#define CW_STAGE_INFO_INIT {.struct_size = sizeof(cw_stage_info)}

/**
 * Fills *out (up to out->struct_size) with the stage p runs now: which
 * plugin stage, if any, is executing, and where in the input it is. A
 * record's line is the one its reader gave (cw_session_set_line while it
 * reads it, cw_record_set_origin once read; the record a filter emits has
 * its own origin).
 *
 * Async-signal-safe: it takes no lock, allocates nothing and only reads
 * plain fields that the pipeline sets with ordinary stores before and after
 * each call into a plugin. A handler of SIGSEGV, SIGBUS, SIGFPE, SIGILL or
 * SIGABRT raised in the thread that runs p may call it (and the strings it
 * returns may be read there, with strlen and write); from another thread
 * the answer may be a moment old. p may be NULL (kind CW_STAGE_NONE).
 * cw_pipeline_free runs every close function first (reported as its
 * stage), then answers CW_STAGE_NONE with no names while it frees: a host
 * asks no more once cw_pipeline_free has returned.
 */
CW_API void cw_pipeline_current(const cw_pipeline *p, cw_stage_info *out);

#ifdef __cplusplus
}
#endif
#endif
