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
 * were skipped but the run completed; CW_ESTRICT when --strict stopped it;
 * or the fatal status that stopped it. Outputs are not committed: the
 * caller commits them on success.
 */
CW_API int cw_pipeline_run(cw_pipeline *p, cw_pipeline_stats *stats);

#ifdef __cplusplus
}
#endif
#endif
