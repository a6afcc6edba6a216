/*
 * Reader and writer stages, and the pipeline that pulls records from one
 * reader through the filters into every writer.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct cw_reader {
	const cw_format *fmt;
	cw_session *s;
	cw_istream *in; /* borrowed: to tell a reader's silent failure's cause */
	uint64_t reported; /* the context's error count after the last failure */
	void *state;
	int opened;
	uint64_t count;
};

struct cw_writer {
	const cw_format *fmt;
	cw_session *s;
	void *state;
	int begun;
	int finished;
};

typedef struct filter_stage {
	const cw_filter *f;
	cw_session *s;
	void *state;
	int opened;
} filter_stage;

struct cw_emit {
	cw_pipeline *p;
	size_t next; /* index of the next filter */
};

/*
 * What a pipeline runs now, for cw_pipeline_current: set with plain stores
 * before and after each call into a plugin, and read by a signal handler of
 * the same thread, which sees every store made before the call it
 * interrupts. A handler may also interrupt the core between the stores:
 * it then reads a whole earlier or later state (no store here is torn by
 * a fault), never a half-built one that would name the wrong stage.
 */
typedef struct stage_now {
	int kind;        /* enum cw_stage_kind */
	size_t index;    /* the filter or writer */
	uint64_t record; /* the input record (1-based), 0 = none */
	uint32_t line;   /* a filter's or writer's record: where it starts */
} stage_now;

struct cw_pipeline {
	cw_context *ctx;
	cw_reader *reader;
	filter_stage *filters;
	size_t nfilters;
	cw_writer **writers;
	size_t nwriters;
	cw_pipeline_stats stats;
	cw_counts before; /* the context's counts when the run began */
	int ran;
	stage_now now;
	int dying; /* cw_pipeline_free is freeing: nothing to name */
};

static void *alloc_state(size_t n)
{
	return calloc(1, n ? n : 1);
}

static uint64_t error_count(const cw_context *ctx)
{
	cw_counts c = {.struct_size = sizeof c};
	cw_context_counts(ctx, &c);
	return c.errors;
}

/*
 * A reader that failed without having reported an error since its last
 * failure (or since it opened) would fail the run silently: the host says
 * it, naming the input-bytes limit when that is what the stream hit. (A
 * reader may report as it finds the fault and fail on its next call.)
 */
static void unreported(cw_reader *r, int rc)
{
	cw_context *ctx = cw_session_context(r->s);
	uint64_t errors = error_count(ctx);
	if (errors != r->reported) {
		r->reported = errors;
		return;
	}
	const char *p;
	size_t n;
	if (cw_istream_peek(r->in, 0, &p, &n) == CW_ELIMIT)
		cw_session_limit_error(r->s, rc, CW_LIMIT_INPUT_BYTES, 0, 0, "input larger than");
	else if (rc == CW_ERECORD)
		cw_diag_emit(r->s, CW_SEV_ERROR, rc, 0, 0,
		             "a record could not be read (the %s reader did not say why)",
		             r->fmt->name);
	else
		cw_diag_emit(r->s, CW_SEV_ERROR, rc, 0, 0,
		             "cannot read the input: %s (the %s reader did not say why)",
		             cw_status_str(rc), r->fmt->name);
	r->reported = error_count(ctx);
}

int cw_reader_open(cw_reader **out, cw_context *ctx, const cw_format *fmt, cw_istream *in,
                   const cw_option *opts, size_t nopts)
{
	if (!out)
		return CW_EINVAL;
	*out = NULL;
	if (!ctx || !fmt || !in || !(fmt->caps & CW_CAN_READ) || !fmt->reader)
		return CW_EINVAL;
	cw_reader *r = calloc(1, sizeof *r);
	if (!r)
		return CW_ENOMEM;
	*out = r;
	r->fmt = fmt;
	int rc = cw__session_new(&r->s, ctx, fmt->name, cw_istream_name(in), fmt->reader_options,
	                         opts, nopts);
	cw__session_set_role(r->s, CW__STAGE_READER);
	if (rc)
		return rc;
	cw_istream_set_limit(in, cw_context_limits(ctx)->max_input_bytes);
	r->state = alloc_state(fmt->reader->state_size);
	if (!r->state)
		return CW_ENOMEM;
	r->opened = 1;
	r->in = in;
	r->reported = error_count(ctx);
	rc = fmt->reader->open(r->state, r->s, in);
	if (rc < 0)
		unreported(r, rc);
	return rc < 0 ? rc : CW_OK;
}

int cw_reader_next(cw_reader *r, cw_record **rec)
{
	if (!r || !rec || !r->opened)
		return CW_EINVAL;
	*rec = NULL;
	const cw_limits *lim = cw_session_limits(r->s);
	/* no record is being read yet: a label left from the last one would
	 * name the wrong record in this call's diagnostics */
	cw_session_set_record(r->s, NULL);
	cw_session_set_line(r->s, 0);
	if (r->count >= lim->max_records)
		return cw_session_limit_error(r->s, CW_ELIMIT, CW_LIMIT_RECORDS, 0, 0,
		                              "input has more records than");
	int rc = r->fmt->reader->next(r->state, r->s, rec);
	if (rc < 0)
		unreported(r, rc);
	if (rc == CW_OK) {
		if (!*rec)
			return cw_diag_emit(r->s, CW_SEV_ERROR, CW_EINVAL, 0, 0,
			                    "reader returned success without a record");
		r->count++;
		cw_record_set_source_format(*rec, r->fmt->name);
	} else if (*rec) {
		cw_record_free(*rec); /* a reader must not hand over a record on failure */
		*rec = NULL;
	}
	return rc;
}

void cw_reader_close(cw_reader *r)
{
	if (!r)
		return;
	if (r->opened)
		r->fmt->reader->close(r->state, r->s);
	free(r->state);
	cw__session_free(r->s);
	free(r);
}

cw_session *cw_reader_session(cw_reader *r)
{
	return r ? r->s : NULL;
}

int cw_writer_open(cw_writer **out, cw_context *ctx, const cw_format *fmt, cw_ostream *o,
                   const cw_option *opts, size_t nopts)
{
	if (!out)
		return CW_EINVAL;
	*out = NULL;
	if (!ctx || !fmt || !o || !(fmt->caps & CW_CAN_WRITE) || !fmt->writer)
		return CW_EINVAL;
	cw_writer *w = calloc(1, sizeof *w);
	if (!w)
		return CW_ENOMEM;
	*out = w;
	w->fmt = fmt;
	int rc = cw__session_new(&w->s, ctx, fmt->name, cw_ostream_name(o), fmt->writer_options,
	                         opts, nopts);
	cw__session_set_role(w->s, CW__STAGE_WRITER);
	if (rc)
		return rc;
	w->state = alloc_state(fmt->writer->state_size);
	if (!w->state)
		return CW_ENOMEM;
	w->begun = 1;
	rc = fmt->writer->begin(w->state, w->s, o);
	return rc < 0 ? rc : CW_OK;
}

int cw_writer_write(cw_writer *w, const cw_record *rec)
{
	if (!w || !rec || !w->begun || w->finished)
		return CW_EINVAL;
	const char *label = cw_record_label(rec);
	cw_session_set_record(w->s, label);
	int rc = w->fmt->writer->write(w->state, w->s, rec);
	cw_session_set_record(w->s, NULL);
	return rc;
}

int cw_writer_finish(cw_writer *w)
{
	if (!w || !w->begun || w->finished)
		return CW_EINVAL;
	w->finished = 1;
	return w->fmt->writer->end(w->state, w->s);
}

void cw_writer_close(cw_writer *w)
{
	if (!w)
		return;
	if (w->begun)
		w->fmt->writer->close(w->state, w->s);
	free(w->state);
	cw__session_free(w->s);
	free(w);
}

cw_session *cw_writer_session(cw_writer *w)
{
	return w ? w->s : NULL;
}

/* --- pipeline --- */

int cw_pipeline_new(cw_pipeline **out, cw_context *ctx)
{
	if (!out || !ctx)
		return CW_EINVAL;
	cw_pipeline *p = calloc(1, sizeof *p);
	*out = p;
	if (!p)
		return CW_ENOMEM;
	p->ctx = ctx;
	p->stats.struct_size = sizeof p->stats;
	return CW_OK;
}

static void set_now(cw_pipeline *p, int kind, size_t index, uint64_t record, uint32_t line)
{
	p->now = (stage_now){kind, index, record, line};
}

void cw_pipeline_free(cw_pipeline *p)
{
	if (!p)
		return;
	/* every close first, each named as its stage; then the frees */
	cw_reader *r = p->reader;
	if (r && r->opened) {
		set_now(p, CW_STAGE_READER, 0, 0, 0);
		r->fmt->reader->close(r->state, r->s);
		r->opened = 0;
	}
	for (size_t i = 0; i < p->nfilters; i++) {
		filter_stage *fs = &p->filters[i];
		set_now(p, CW_STAGE_FILTER, i, 0, 0);
		if (fs->opened && fs->f->close)
			fs->f->close(fs->state, fs->s);
		fs->opened = 0;
	}
	for (size_t i = 0; i < p->nwriters; i++) {
		cw_writer *w = p->writers[i];
		set_now(p, CW_STAGE_WRITER, i, 0, 0);
		if (w && w->begun)
			w->fmt->writer->close(w->state, w->s);
		if (w)
			w->begun = 0;
	}
	set_now(p, CW_STAGE_NONE, 0, 0, 0);
	p->dying = 1;
	cw_reader_close(r);
	for (size_t i = 0; i < p->nfilters; i++) {
		free(p->filters[i].state);
		cw__session_free(p->filters[i].s);
	}
	free(p->filters);
	for (size_t i = 0; i < p->nwriters; i++)
		cw_writer_close(p->writers[i]);
	free(p->writers);
	free(p);
}

int cw_pipeline_set_reader(cw_pipeline *p, const cw_format *fmt, cw_istream *in,
                           const cw_option *opts, size_t nopts)
{
	if (!p || p->reader || p->ran)
		return CW_EINVAL;
	set_now(p, CW_STAGE_READER, 0, 0, 0);
	int rc = cw_reader_open(&p->reader, p->ctx, fmt, in, opts, nopts);
	set_now(p, CW_STAGE_NONE, 0, 0, 0);
	if (p->reader && p->nfilters)
		cw__session_set_next_filter(p->reader->s, p->filters[0].f);
	return rc;
}

int cw_pipeline_add_filter(cw_pipeline *p, const cw_filter *f, const cw_option *opts, size_t nopts)
{
	if (!p || !f || p->ran)
		return CW_EINVAL;
	filter_stage *arr = realloc(p->filters, (p->nfilters + 1) * sizeof *arr);
	if (!arr)
		return CW_ENOMEM;
	p->filters = arr;
	filter_stage *fs = &arr[p->nfilters++];
	memset(fs, 0, sizeof *fs);
	fs->f = f;
	int rc = cw__session_new(&fs->s, p->ctx, f->name, NULL, f->options, opts, nopts);
	cw__session_set_role(fs->s, CW__STAGE_FILTER);
	if (rc)
		return rc;
	fs->state = alloc_state(f->state_size);
	if (!fs->state)
		return CW_ENOMEM;
	fs->opened = 1;
	if (p->nfilters == 1 && p->reader)
		cw__session_set_next_filter(p->reader->s, f);
	set_now(p, CW_STAGE_FILTER, p->nfilters - 1, 0, 0);
	rc = f->open ? f->open(fs->state, fs->s) : CW_OK;
	set_now(p, CW_STAGE_NONE, 0, 0, 0);
	return rc < 0 ? rc : CW_OK;
}

int cw_pipeline_add_writer(cw_pipeline *p, const cw_format *fmt, cw_ostream *o,
                           const cw_option *opts, size_t nopts)
{
	if (!p || p->ran)
		return CW_EINVAL;
	cw_writer **arr = realloc(p->writers, (p->nwriters + 1) * sizeof *arr);
	if (!arr)
		return CW_ENOMEM;
	p->writers = arr;
	arr[p->nwriters] = NULL;
	/* counted first, so that a crash in begin names it */
	set_now(p, CW_STAGE_WRITER, p->nwriters++, 0, 0);
	int rc = cw_writer_open(&arr[p->nwriters - 1], p->ctx, fmt, o, opts, nopts);
	set_now(p, CW_STAGE_NONE, 0, 0, 0);
	return rc; /* a writer is kept even on failure, so that it is closed */
}

/* Sends rec (consumed) into filter stage i, or to the writers after the last. */
static int push(cw_pipeline *p, size_t i, cw_record *rec)
{
	/* the stage that emitted rec, named again once rec is passed on */
	stage_now was = p->now;
	uint32_t line = 0;
	cw_record_origin(rec, &line, NULL);
	if (i < p->nfilters) {
		filter_stage *fs = &p->filters[i];
		cw_emit e = {p, i + 1};
		cw_session_set_record(fs->s, cw_record_label(rec));
		set_now(p, CW_STAGE_FILTER, i, was.record, line);
		int rc = fs->f->apply(fs->state, fs->s, rec, &e);
		p->now = was;
		return rc;
	}
	int rc = CW_OK;
	p->stats.records_written++;
	/* a record one writer cannot take still goes to the others */
	for (size_t w = 0; w < p->nwriters; w++) {
		set_now(p, CW_STAGE_WRITER, w, was.record, line);
		int wr = cw_writer_write(p->writers[w], rec);
		if (wr == CW_ERECORD) {
			rc = wr;
		} else if (wr < 0) {
			rc = wr;
			break;
		}
	}
	p->now = was;
	cw_record_free(rec);
	return rc;
}

int cw_emit_record(cw_emit *out, cw_record *rec)
{
	if (!out || !rec) {
		cw_record_free(rec);
		return CW_EINVAL;
	}
	return push(out->p, out->next, rec);
}

/*
 * Whether --strict stops the run: an error or a loss since the run began. A
 * context outlives its runs (an embedder converts many inputs with one), so
 * what an earlier run reported is not this run's.
 */
static int strict_stop(cw_pipeline *p)
{
	if (!cw_context_strict(p->ctx))
		return 0;
	cw_counts c = {.struct_size = sizeof c};
	cw_context_counts(p->ctx, &c);
	return c.errors > p->before.errors || c.not_carried > p->before.not_carried;
}

int cw_pipeline_run(cw_pipeline *p, cw_pipeline_stats *stats)
{
	if (!p || !p->reader || p->ran)
		return CW_EINVAL;
	p->ran = 1;
	p->before.struct_size = sizeof p->before;
	cw_context_counts(p->ctx, &p->before);
	int rc = CW_OK, skipped = 0;
	for (;;) {
		cw_record *rec = NULL;
		/* counting skipped records too: the record's place in the input */
		uint64_t n = p->stats.records_read + p->stats.records_skipped + 1;
		set_now(p, CW_STAGE_READER, 0, n, 0);
		rc = cw_reader_next(p->reader, &rec);
		/* the record read stays named while the filters and writers have it */
		set_now(p, CW_STAGE_NONE, 0, n, 0);
		if (rc == CW_EOF) {
			rc = CW_OK;
			break;
		}
		if (rc == CW_ERECORD) {
			p->stats.records_skipped++;
			skipped = 1;
			if (cw_context_strict(p->ctx)) {
				rc = CW_ESTRICT;
				break;
			}
			continue;
		}
		if (rc < 0)
			break;
		p->stats.records_read++;
		rc = push(p, 0, rec);
		if (rc == CW_ERECORD) {
			skipped = 1;
			rc = CW_OK;
		}
		if (rc < 0)
			break;
		if (strict_stop(p)) {
			rc = CW_ESTRICT;
			break;
		}
	}
	for (size_t i = 0; i < p->nfilters && rc >= 0; i++) {
		filter_stage *fs = &p->filters[i];
		if (fs->f->finish) {
			cw_emit e = {p, i + 1};
			set_now(p, CW_STAGE_FILTER, i, 0, 0);
			rc = fs->f->finish(fs->state, fs->s, &e);
		}
	}
	for (size_t w = 0; w < p->nwriters && rc >= 0; w++) {
		set_now(p, CW_STAGE_WRITER, w, 0, 0);
		rc = cw_writer_finish(p->writers[w]);
	}
	set_now(p, CW_STAGE_NONE, 0, 0, 0);
	if (rc >= 0 && strict_stop(p))
		rc = CW_ESTRICT;
	if (stats) {
		uint32_t size = stats->struct_size;
		if (size == 0 || size > sizeof p->stats)
			size = sizeof p->stats;
		memcpy(stats, &p->stats, size);
		stats->struct_size = size;
	}
	if (rc == CW_OK && skipped)
		rc = CW_ERECORD;
	return rc;
}

void cw_pipeline_current(const cw_pipeline *p, cw_stage_info *out)
{
	if (!out)
		return;
	/* only plain reads and byte copies below: a signal handler calls this */
	cw_stage_info info = {.struct_size = sizeof info};
	if (p && !p->dying) {
		const cw_reader *r = p->reader;
		stage_now now = p->now;
		info.input = r ? cw_session_file(r->s) : NULL;
		if (now.kind == CW_STAGE_READER && r) {
			info.format = r->fmt;
			info.file = info.input;
			info.line = now.record ? cw__session_line(r->s) : 0;
		} else if (now.kind == CW_STAGE_FILTER && now.index < p->nfilters) {
			info.filter = p->filters[now.index].f;
			info.line = now.line;
		} else if (now.kind == CW_STAGE_WRITER && now.index < p->nwriters &&
		           p->writers[now.index]) {
			const cw_writer *w = p->writers[now.index];
			info.format = w->fmt;
			info.file = cw_session_file(w->s);
			info.line = now.line;
		}
		if (info.format || info.filter) {
			info.kind = (enum cw_stage_kind)now.kind;
			info.name = info.format ? info.format->name : info.filter->name;
		}
		info.record = now.record;
	}
	uint32_t size = out->struct_size;
	if (size == 0 || size > sizeof info)
		size = sizeof info;
	const unsigned char *from = (const unsigned char *)&info;
	unsigned char *to = (unsigned char *)out;
	for (uint32_t i = 0; i < size; i++)
		to[i] = from[i];
	out->struct_size = size;
}
