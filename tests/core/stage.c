/*
 * cw_pipeline_current: what a crash handler learns about the stage that
 * runs. Stages defined here note what cw_pipeline_current says each time
 * they are called; the notes are compared with the calls they came from.
 */
#include <string.h>

#include "cw_test.h"

static const cw_pipeline *spied;
static cw_buf notes = CW_BUF_INIT;

static void note(const char *call)
{
	static const char *const kinds[] = {"none", "reader", "filter", "writer"};
	cw_stage_info info = CW_STAGE_INFO_INIT;
	cw_pipeline_current(spied, &info);
	cw_buf_printf(&notes, "%s: %s %s file=%s input=%s record=%llu line=%u\n", call,
	              kinds[info.kind], info.name ? info.name : "-", info.file ? info.file : "-",
	              info.input ? info.input : "-", (unsigned long long)info.record,
	              (unsigned)info.line);
}

/* --- a reader of one record per line --- */

typedef struct spy_reader {
	cw_istream *in;
	uint32_t line;
} spy_reader;

static int spy_open(void *state, cw_session *s, cw_istream *in)
{
	(void)s;
	((spy_reader *)state)->in = in;
	note("reader open");
	return CW_OK;
}

static int spy_next(void *state, cw_session *s, cw_record **out)
{
	spy_reader *r = state;
	note("reader next");
	const char *d;
	size_t n;
	int rc = cw_istream_peek(r->in, 64, &d, &n);
	if (rc || n == 0)
		return rc ? rc : CW_EOF;
	const char *nl = memchr(d, '\n', n);
	size_t len = nl ? (size_t)(nl - d) : n;
	cw_session_set_line(s, ++r->line);
	note("reader next, line known");
	if (len == 4 && memcmp(d, "skip", 4) == 0) {
		cw_istream_consume(r->in, nl ? len + 1 : len);
		return cw_diag_emit(s, CW_SEV_ERROR, CW_ERECORD, r->line, 0, "skipped");
	}
	cw_record *rec;
	cr_assert_eq(cw_record_new(&rec), CW_OK);
	cw_record_set_text(rec, CW_FIELD_TITLE, d, len);
	cw_record_set_origin(rec, r->line, 1);
	cw_istream_consume(r->in, nl ? len + 1 : len);
	*out = rec;
	return CW_OK;
}

static void spy_close(void *state, cw_session *s)
{
	(void)state, (void)s;
	note("reader close");
}

static const cw_reader_ops spy_reader_ops = {
    .struct_size = sizeof(cw_reader_ops),
    .state_size = sizeof(spy_reader),
    .open = spy_open,
    .next = spy_next,
    .close = spy_close,
};

/* --- a writer that writes nothing --- */

static int spy_begin(void *state, cw_session *s, cw_ostream *out)
{
	(void)state, (void)s, (void)out;
	note("writer begin");
	return CW_OK;
}

static int spy_write(void *state, cw_session *s, const cw_record *rec)
{
	(void)state, (void)s, (void)rec;
	note("writer write");
	return CW_OK;
}

static int spy_end(void *state, cw_session *s)
{
	(void)state, (void)s;
	note("writer end");
	return CW_OK;
}

static void spy_wclose(void *state, cw_session *s)
{
	(void)state, (void)s;
	note("writer close");
}

static const cw_writer_ops spy_writer_ops = {
    .struct_size = sizeof(cw_writer_ops),
    .begin = spy_begin,
    .write = spy_write,
    .end = spy_end,
    .close = spy_wclose,
};

static const cw_format spy_format = {
    .struct_size = sizeof(cw_format),
    .name = "spy",
    .caps = CW_CAN_READ | CW_CAN_WRITE,
    .reader = &spy_reader_ops,
    .writer = &spy_writer_ops,
};

/* --- a filter that adds a record at line 40 after each, and one at the end --- */

static int spy_apply(void *state, cw_session *s, cw_record *rec, cw_emit *out)
{
	(void)state, (void)s;
	note("filter apply");
	cw_record *extra;
	cr_assert_eq(cw_record_clone(&extra, rec), CW_OK);
	cw_record_set_origin(extra, 40, 1);
	int rc = cw_emit_record(out, rec);
	note("filter apply, after the writers");
	return rc ? rc : cw_emit_record(out, extra);
}

static int spy_finish(void *state, cw_session *s, cw_emit *out)
{
	(void)state, (void)s;
	note("filter finish");
	cw_record *rec;
	cr_assert_eq(cw_record_new(&rec), CW_OK);
	return cw_emit_record(out, rec);
}

static void spy_fclose(void *state, cw_session *s)
{
	(void)state, (void)s;
	note("filter close");
}

static const cw_filter spy_filter = {
    .struct_size = sizeof(cw_filter),
    .name = "spy-filter",
    .apply = spy_apply,
    .finish = spy_finish,
    .close = spy_fclose,
};

Test(stage, each_call_into_a_plugin_is_named_with_its_record)
{
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	static const char input[] = "a\nskip\nb\n";
	cw_istream *in;
	cw_istream_open_memory(&in, input, sizeof input - 1, "in.spy");
	cw_ostream *o;
	cw_ostream_open_memory(&o, "out.spy");
	cw_pipeline *p;
	cr_assert_eq(cw_pipeline_new(&p, ctx), CW_OK);
	spied = p;
	note("before");
	cr_assert_eq(cw_pipeline_set_reader(p, &spy_format, in, NULL, 0), CW_OK);
	note("reader set");
	cr_assert_eq(cw_pipeline_add_filter(p, &spy_filter, NULL, 0), CW_OK);
	cr_assert_eq(cw_pipeline_add_writer(p, &spy_format, o, NULL, 0), CW_OK);
	cr_expect_eq(cw_pipeline_run(p, NULL), CW_ERECORD);
	note("after the run");
	cw_pipeline_free(p);
	spied = NULL;
	note("freed");
	cr_expect_str_eq(
	    cw_buf_str(&notes),
	    "before: none - file=- input=- record=0 line=0\n"
	    "reader open: reader spy file=in.spy input=in.spy record=0 line=0\n"
	    "reader set: none - file=- input=in.spy record=0 line=0\n"
	    "writer begin: writer spy file=out.spy input=in.spy record=0 line=0\n"
	    /* record 1: the reader, the filter, the writer, the filter again */
	    "reader next: reader spy file=in.spy input=in.spy record=1 line=0\n"
	    "reader next, line known: reader spy file=in.spy input=in.spy record=1 line=1\n"
	    "filter apply: filter spy-filter file=- input=in.spy record=1 line=1\n"
	    "writer write: writer spy file=out.spy input=in.spy record=1 line=1\n"
	    "filter apply, after the writers: filter spy-filter file=- input=in.spy record=1 "
	    "line=1\n"
	    "writer write: writer spy file=out.spy input=in.spy record=1 line=40\n"
	    /* record 2 is skipped: record 3 keeps its place in the input */
	    "reader next: reader spy file=in.spy input=in.spy record=2 line=0\n"
	    "reader next, line known: reader spy file=in.spy input=in.spy record=2 line=2\n"
	    "reader next: reader spy file=in.spy input=in.spy record=3 line=0\n"
	    "reader next, line known: reader spy file=in.spy input=in.spy record=3 line=3\n"
	    "filter apply: filter spy-filter file=- input=in.spy record=3 line=3\n"
	    "writer write: writer spy file=out.spy input=in.spy record=3 line=3\n"
	    "filter apply, after the writers: filter spy-filter file=- input=in.spy record=3 "
	    "line=3\n"
	    "writer write: writer spy file=out.spy input=in.spy record=3 line=40\n"
	    "reader next: reader spy file=in.spy input=in.spy record=4 line=0\n"
	    /* after the last record: no record is named */
	    "filter finish: filter spy-filter file=- input=in.spy record=0 line=0\n"
	    "writer write: writer spy file=out.spy input=in.spy record=0 line=0\n"
	    "writer end: writer spy file=out.spy input=in.spy record=0 line=0\n"
	    "after the run: none - file=- input=in.spy record=0 line=0\n"
	    "reader close: reader spy file=in.spy input=in.spy record=0 line=0\n"
	    "filter close: filter spy-filter file=- input=in.spy record=0 line=0\n"
	    "writer close: writer spy file=out.spy input=in.spy record=0 line=0\n"
	    "freed: none - file=- input=- record=0 line=0\n");
	cw_ostream_close(o);
	cw_istream_close(in);
	cw_context_free(ctx);
	cwt_diags_free(&d);
	cw_buf_free(&notes);
}

Test(stage, a_smaller_struct_is_filled_only_as_far_as_it_goes)
{
	cw_stage_info info[2];
	memset(info, 0xAB, sizeof info);
	info[0].struct_size = offsetof(cw_stage_info, name);
	cw_pipeline_current(NULL, &info[0]);
	cr_expect_eq(info[0].struct_size, offsetof(cw_stage_info, name));
	cr_expect_eq(info[0].kind, CW_STAGE_NONE);
	cr_expect_null(info[0].filter);
	const unsigned char *rest = (const unsigned char *)&info[0] + offsetof(cw_stage_info, name);
	for (size_t i = 0; i < sizeof info[0] - offsetof(cw_stage_info, name); i++)
		cr_assert_eq(rest[i], 0xAB, "byte %zu past struct_size was written", i);
	cw_pipeline_current(NULL, NULL); /* no-op */
}
