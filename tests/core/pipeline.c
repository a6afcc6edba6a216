/*
 * The pipeline: filters that emit several records or none, several writers
 * fed from one reader, recoverable record errors and --strict.
 *
 * Stages are real plugins: the fixture plugin (fixtures/fx_good.c: format
 * cwtest, filters cwt-dup, cwt-drop, cwt-count) and CSL-JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

static cw_registry *registry(void)
{
	static cw_registry *reg;
	if (reg)
		return reg;
	cr_assert_eq(cw_registry_new(&reg), CW_OK);
	cw_buf err = CW_BUF_INIT;
	cr_assert_eq(cw_registry_load_file(reg, CWT_FIXTURE_DIR "/good.so", &err), CW_OK, "%s",
	             cw_buf_str(&err));
	cr_assert_gt(cw_registry_load_path(reg, getenv("CROSSWALK_PLUGIN_PATH"), &err), 0, "%s",
	             cw_buf_str(&err));
	cw_buf_free(&err);
	return reg;
}

static const cw_format *fmt(const char *name)
{
	const cw_format *f = cw_registry_find_format(registry(), name);
	cr_assert_not_null(f, "no format %s", name);
	return f;
}

static const cw_filter *filter(const char *name)
{
	const cw_filter *f = cw_registry_find_filter(registry(), name);
	cr_assert_not_null(f, "no filter %s", name);
	return f;
}

/* One run: input in cwtest syntax, outputs collected per writer. */
typedef struct run {
	cwt_diags diags;
	cw_context *ctx;
	cw_istream *in;
	cw_pipeline *p;
	cw_ostream *out[4];
	size_t nout;
	cw_pipeline_stats stats;
	int status;
} run;

static void run_open(run *r, const char *input, int strict)
{
	memset(r, 0, sizeof *r);
	r->ctx = cwt_context(&r->diags);
	cw_context_set_strict(r->ctx, strict);
	cr_assert_eq(cw_istream_open_memory(&r->in, input, strlen(input), "in.cwt"), CW_OK);
	cr_assert_eq(cw_pipeline_new(&r->p, r->ctx), CW_OK);
	cr_assert_eq(cw_pipeline_set_reader(r->p, fmt("cwtest"), r->in, NULL, 0), CW_OK);
}

/* Like run_open, with limits set before the reader opens (it sets the stream's cap). */
static void run_open_limited(run *r, const char *input, const cw_limits *l)
{
	memset(r, 0, sizeof *r);
	r->ctx = cwt_context(&r->diags);
	cr_assert_eq(cw_context_set_limits(r->ctx, l), CW_OK);
	cr_assert_eq(cw_istream_open_memory(&r->in, input, strlen(input), "in.cwt"), CW_OK);
	cr_assert_eq(cw_pipeline_new(&r->p, r->ctx), CW_OK);
	cr_assert_eq(cw_pipeline_set_reader(r->p, fmt("cwtest"), r->in, NULL, 0), CW_OK);
}

static void add_filter(run *r, const char *name, const char *opt, const char *value)
{
	cw_option o = {opt, value};
	cr_assert_eq(cw_pipeline_add_filter(r->p, filter(name), &o, opt ? 1 : 0), CW_OK, "%s",
	             cw_buf_str(&r->diags.text));
}

static void add_writer(run *r, const char *format, const char *opt, const char *value)
{
	cw_option o = {opt, value};
	cw_ostream **out = &r->out[r->nout++];
	cr_assert_eq(cw_ostream_open_memory(out, format), CW_OK);
	cr_assert_eq(cw_pipeline_add_writer(r->p, fmt(format), *out, &o, opt ? 1 : 0), CW_OK, "%s",
	             cw_buf_str(&r->diags.text));
}

static void run_go(run *r)
{
	r->stats.struct_size = sizeof r->stats;
	r->status = cw_pipeline_run(r->p, &r->stats);
	cw_pipeline_free(r->p);
	r->p = NULL;
}

static const char *output(run *r, size_t i)
{
	return cw_ostream_memory(r->out[i], NULL);
}

static void run_close(run *r)
{
	cw_pipeline_free(r->p);
	for (size_t i = 0; i < r->nout; i++)
		cw_ostream_close(r->out[i]);
	cw_istream_close(r->in);
	cw_context_free(r->ctx);
	cwt_diags_free(&r->diags);
}

/* Number of times needle occurs in hay. */
static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static const char three[] = "id: a\ntitle: Alpha\n\n"
                            "id: b\ntitle: Beta\n\n"
                            "id: c\ntitle: Gamma\n";

Test(pipeline, plain_run)
{
	run r;
	run_open(&r, three, 0);
	add_writer(&r, "cwtest", NULL, NULL);
	run_go(&r);
	cr_expect_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	cr_expect_eq(r.stats.records_read, 3);
	cr_expect_eq(r.stats.records_written, 3);
	cr_expect_eq(r.stats.records_skipped, 0);
	cr_expect_str_eq(output(&r, 0), "%cwtest\nid: a\ntitle: Alpha\n\n"
	                                "id: b\ntitle: Beta\n\nid: c\ntitle: Gamma\n");
	run_close(&r);
}

Test(pipeline, filter_emits_many)
{
	run r;
	run_open(&r, three, 0);
	add_filter(&r, "cwt-dup", "copies", "3");
	add_writer(&r, "cwtest", NULL, NULL);
	run_go(&r);
	cr_expect_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	cr_expect_eq(r.stats.records_read, 3);
	cr_expect_eq(r.stats.records_written, 9);
	const char *o = output(&r, 0);
	cr_expect_eq(count(o, "title: Beta"), 3, "%s", o);
	/* the clones come first, in order, then the record itself */
	cr_expect(strstr(o, "id: a-1\ntitle: Alpha\n\nid: a-2\ntitle: Alpha\n\nid: a\n"), "%s", o);
	run_close(&r);
}

Test(pipeline, filter_drops)
{
	run r;
	run_open(&r, three, 0);
	add_filter(&r, "cwt-drop", "id", "b");
	add_writer(&r, "cwtest", NULL, NULL);
	run_go(&r);
	cr_expect_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	cr_expect_eq(r.stats.records_read, 3);
	cr_expect_eq(r.stats.records_written, 2);
	cr_expect_null(strstr(output(&r, 0), "Beta"));
	cr_expect_not_null(strstr(output(&r, 0), "Gamma"));
	run_close(&r);
}

Test(pipeline, filters_chain_in_order_and_finish)
{
	/* drop b, then double what is left, then count: finish emits a record
	 * through the stages after it */
	run r;
	run_open(&r, three, 0);
	add_filter(&r, "cwt-drop", "id", "b");
	add_filter(&r, "cwt-dup", NULL, NULL); /* default: 2 copies */
	add_filter(&r, "cwt-count", NULL, NULL);
	add_writer(&r, "cwtest", NULL, NULL);
	run_go(&r);
	cr_expect_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	cr_expect_eq(r.stats.records_written, 5);
	const char *o = output(&r, 0);
	cr_expect_eq(count(o, "id: "), 5, "%s", o);
	cr_expect(strstr(o, "id: count\ntitle: 4 records seen\n"), "%s", o);
	/* the counter's record is the last one written */
	size_t n = strlen(o);
	cr_expect_str_eq(o + n - strlen("title: 4 records seen\n"), "title: 4 records seen\n");
	run_close(&r);
}

Test(pipeline, filter_option_refused)
{
	run r;
	run_open(&r, three, 0);
	cw_option o = {"copies", "many"};
	cr_expect_eq(cw_pipeline_add_filter(r.p, filter("cwt-dup"), &o, 1), CW_EINVAL);
	cr_expect(strstr(cw_buf_str(&r.diags.text),
	                 "option copies of cwt-dup takes a number, not \"many\""),
	          "%s", cw_buf_str(&r.diags.text));
	cw_option u = {"colour", "red"};
	cr_expect_eq(cw_pipeline_add_filter(r.p, filter("cwt-dup"), &u, 1), CW_EINVAL);
	cr_expect(strstr(cw_buf_str(&r.diags.text), "cwt-dup has no option \"colour\""), "%s",
	          cw_buf_str(&r.diags.text));
	/* the filter's own open may refuse too */
	cw_option z = {"copies", "0"};
	cr_expect_eq(cw_pipeline_add_filter(r.p, filter("cwt-dup"), &z, 1), CW_EINVAL);
	run_close(&r);
}

Test(pipeline, fan_out_to_several_writers)
{
	run r;
	run_open(&r, three, 0);
	add_filter(&r, "cwt-drop", "id", "c");
	add_writer(&r, "cwtest", NULL, NULL);
	add_writer(&r, "csljson", NULL, NULL);
	add_writer(&r, "csljsonl", NULL, NULL);
	run_go(&r);
	cr_expect_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	cr_expect_eq(r.stats.records_read, 3, "one parse");
	cr_expect_eq(r.stats.records_written, 2);
	cr_expect_eq(count(output(&r, 0), "id: "), 2);
	cr_expect_eq(count(output(&r, 1), "\"id\""), 2, "%s", output(&r, 1));
	cr_expect_eq(count(output(&r, 2), "\"id\""), 2, "%s", output(&r, 2));
	cr_expect_eq(count(output(&r, 2), "\n"), 2, "JSON Lines: one line per record");
	cr_expect(strstr(output(&r, 1), "\"title\": \"Beta\""), "%s", output(&r, 1));
	run_close(&r);
}

Test(pipeline, one_writer_refusing_a_record_does_not_starve_the_others)
{
	run r;
	run_open(&r, three, 0);
	add_writer(&r, "cwtest", "reject", "Beta");
	add_writer(&r, "csljson", NULL, NULL);
	run_go(&r);
	/* the record was lost for one output only: the run completes, partially */
	cr_expect_eq(r.status, CW_ERECORD, "%s", cw_buf_str(&r.diags.text));
	cr_expect_null(strstr(output(&r, 0), "Beta"));
	cr_expect_not_null(strstr(output(&r, 0), "Gamma"));
	cr_expect_not_null(strstr(output(&r, 1), "\"title\": \"Beta\""), "%s", output(&r, 1));
	cr_expect(strstr(cw_buf_str(&r.diags.text),
	                 "cwtest: error: [b] record rejected by option reject"),
	          "%s", cw_buf_str(&r.diags.text));
	run_close(&r);
}

static const char with_bad[] = "id: a\ntitle: Alpha\n\n"
                               "id: b\ntitle: Beta\n!error\n\n"
                               "id: c\ntitle: Gamma\n";

Test(pipeline, bad_record_skipped_and_reported)
{
	run r;
	run_open(&r, with_bad, 0);
	add_writer(&r, "cwtest", NULL, NULL);
	run_go(&r);
	cr_expect_eq(r.status, CW_ERECORD);
	cr_expect_eq(r.stats.records_read, 2);
	cr_expect_eq(r.stats.records_skipped, 1);
	cr_expect_eq(r.stats.records_written, 2);
	cr_expect_not_null(strstr(output(&r, 0), "Gamma"), "the run went on after the bad record");
	cr_expect_null(strstr(output(&r, 0), "Beta"));
	cr_expect_str_eq(cw_buf_str(&r.diags.text),
	                 "in.cwt:6:1: error: [b] unreadable entry skipped\n");
	run_close(&r);
}

Test(pipeline, strict_stops_at_a_bad_record)
{
	run r;
	run_open(&r, with_bad, 1);
	add_writer(&r, "cwtest", NULL, NULL);
	run_go(&r);
	cr_expect_eq(r.status, CW_ESTRICT);
	cr_expect_eq(r.stats.records_read, 1);
	cr_expect_eq(r.stats.records_skipped, 1);
	cr_expect_null(strstr(output(&r, 0), "Gamma"), "strict must stop at the bad record");
	run_close(&r);
}

Test(pipeline, fatal_error_stops)
{
	run r;
	run_open(&r, "id: a\ntitle: A\n\nid: b\n!fatal\n\nid: c\ntitle: C\n", 0);
	add_writer(&r, "cwtest", NULL, NULL);
	run_go(&r);
	cr_expect_eq(r.status, CW_EFORMAT);
	cr_expect_eq(r.stats.records_read, 1);
	cr_expect_null(strstr(output(&r, 0), "id: c"));
	cr_expect(strstr(cw_buf_str(&r.diags.text), "in.cwt:5:1: error: [b] fatal marker"), "%s",
	          cw_buf_str(&r.diags.text));
	run_close(&r);
}

/*
 * A reader that passes the stream's input-bytes failure on without a word
 * (the fixture does, as BibTeX did) still fails the run with a message that
 * names the limit and its key.
 */
Test(pipeline, input_bytes_limit_is_named_when_the_reader_is_silent)
{
	cw_limits l = CW_LIMITS_INIT;
	l.max_input_bytes = 20;
	run r;
	run_open_limited(&r, three, &l);
	add_writer(&r, "cwtest", NULL, NULL);
	run_go(&r);
	cr_expect_eq(r.status, CW_ELIMIT);
	cr_expect_eq(cwt_diags_count(&r.diags, CW_SEV_ERROR), 1, "%s", cw_buf_str(&r.diags.text));
	cr_expect(strstr(cw_buf_str(&r.diags.text),
	                 "in.cwt: error: input larger than the input-bytes limit (20 bytes)"),
	          "%s", cw_buf_str(&r.diags.text));
	run_close(&r);
	/* with the defaults there is no input cap: the same input is read */
	run_open(&r, three, 0);
	add_writer(&r, "cwtest", NULL, NULL);
	run_go(&r);
	cr_expect_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	cr_expect_eq(r.stats.records_read, 3);
	run_close(&r);
}

/* Any other failure a reader does not report is reported by the host. */
Test(pipeline, a_reader_failing_silently_is_reported)
{
	run r;
	run_open(&r, "id: a\ntitle: A\n\nid: b\n!silent\n", 0);
	add_writer(&r, "cwtest", NULL, NULL);
	run_go(&r);
	cr_expect_eq(r.status, CW_EFORMAT);
	cr_expect_eq(r.stats.records_read, 1);
	cr_expect(strstr(cw_buf_str(&r.diags.text),
	                 "in.cwt: error: [b] cannot read the input: invalid input (the "
	                 "cwtest reader did not say why)"),
	          "%s", cw_buf_str(&r.diags.text));
	run_close(&r);
}

Test(pipeline, not_carried_is_a_warning)
{
	/* a field the cwtest writer cannot write: CSL categories (a list) */
	static const char json[] = "[{\"id\": \"k\", \"type\": \"book\", \"title\": \"T\", "
	                           "\"categories\": [\"x\", \"y\"]}]";
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	cw_istream *in;
	cw_istream_open_memory(&in, json, sizeof json - 1, "in.json");
	cw_ostream *o;
	cw_ostream_open_memory(&o, "out.cwt");
	cw_pipeline *p;
	cw_pipeline_new(&p, ctx);
	cr_assert_eq(cw_pipeline_set_reader(p, fmt("csljson"), in, NULL, 0), CW_OK);
	cr_assert_eq(cw_pipeline_add_writer(p, fmt("cwtest"), o, NULL, 0), CW_OK);
	cr_expect_eq(cw_pipeline_run(p, NULL), CW_OK, "%s", cw_buf_str(&d.text));
	cr_expect_str_eq(cw_buf_str(&d.text),
	                 "out.cwt: warning: [k] not carried by cwtest: categories\n");
	cw_pipeline_free(p);
	cw_ostream_close(o);
	cw_istream_close(in);
	cw_context_free(ctx);
	cwt_diags_free(&d);
}

Test(pipeline, strict_stops_at_not_carried)
{
	static const char json[] = "[{\"id\": \"k1\", \"type\": \"book\", \"title\": \"T\"},"
	                           " {\"id\": \"k2\", \"type\": \"book\", \"categories\": [\"x\"]},"
	                           " {\"id\": \"k3\", \"type\": \"book\", \"title\": \"U\"}]";
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	cw_context_set_strict(ctx, 1);
	cw_istream *in;
	cw_istream_open_memory(&in, json, sizeof json - 1, "in.json");
	cw_ostream *o;
	cw_ostream_open_memory(&o, "out.cwt");
	cw_pipeline *p;
	cw_pipeline_new(&p, ctx);
	cr_assert_eq(cw_pipeline_set_reader(p, fmt("csljson"), in, NULL, 0), CW_OK);
	cr_assert_eq(cw_pipeline_add_writer(p, fmt("cwtest"), o, NULL, 0), CW_OK);
	cw_pipeline_stats st = {sizeof st, 0, 0, 0};
	cr_expect_eq(cw_pipeline_run(p, &st), CW_ESTRICT);
	cr_expect_eq(st.records_read, 2, "the run stops after the record that lost a field");
	cr_expect_str_eq(cw_buf_str(&d.text),
	                 "out.cwt: error: [k2] not carried by cwtest: categories\n");
	cw_pipeline_free(p);
	cw_ostream_close(o);
	cw_istream_close(in);
	cw_context_free(ctx);
	cwt_diags_free(&d);
}

/* One strict run of CSL-JSON into the fixture writer on ctx; returns its status. */
static int strict_run(cw_context *ctx, const char *json)
{
	cw_istream *in;
	cr_assert_eq(cw_istream_open_memory(&in, json, strlen(json), "in.json"), CW_OK);
	cw_ostream *o;
	cr_assert_eq(cw_ostream_open_memory(&o, "out.cwt"), CW_OK);
	cw_pipeline *p;
	cr_assert_eq(cw_pipeline_new(&p, ctx), CW_OK);
	cr_assert_eq(cw_pipeline_set_reader(p, fmt("csljson"), in, NULL, 0), CW_OK);
	cr_assert_eq(cw_pipeline_add_writer(p, fmt("cwtest"), o, NULL, 0), CW_OK);
	int rc = cw_pipeline_run(p, NULL);
	cw_pipeline_free(p);
	cw_ostream_close(o);
	cw_istream_close(in);
	return rc;
}

Test(pipeline, strict_counts_each_run_alone)
{
	static const char lossy[] =
	    "[{\"id\": \"k1\", \"type\": \"book\", \"categories\": [\"x\"]}]";
	static const char clean[] = "[{\"id\": \"k2\", \"type\": \"book\", \"title\": \"T\"}]";
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	cw_context_set_strict(ctx, 1);
	/* the first run loses a field and stops; the second, on the same
	 * context, loses nothing and must not pay for the first; a third that
	 * loses again is stopped again */
	cr_expect_eq(strict_run(ctx, lossy), CW_ESTRICT);
	cr_expect_eq(strict_run(ctx, clean), CW_OK, "%s", cw_buf_str(&d.text));
	cr_expect_eq(strict_run(ctx, lossy), CW_ESTRICT);
	cw_context_free(ctx);
	cwt_diags_free(&d);
}

Test(pipeline, strict_goes_on_past_accepted_losses)
{
	static const char json[] = "[{\"id\": \"k1\", \"type\": \"book\", \"title\": \"T\"},"
	                           " {\"id\": \"k2\", \"type\": \"book\", \"categories\": [\"x\"]},"
	                           " {\"id\": \"k3\", \"type\": \"book\", \"title\": \"U\"}]";
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	cw_context_set_strict(ctx, 1);
	cr_assert_eq(cw_context_accept_loss(ctx, "cwtest", "categories"), CW_OK);
	cw_istream *in;
	cw_istream_open_memory(&in, json, sizeof json - 1, "in.json");
	cw_ostream *o;
	cw_ostream_open_memory(&o, "out.cwt");
	cw_pipeline *p;
	cw_pipeline_new(&p, ctx);
	cr_assert_eq(cw_pipeline_set_reader(p, fmt("csljson"), in, NULL, 0), CW_OK);
	cr_assert_eq(cw_pipeline_add_writer(p, fmt("cwtest"), o, NULL, 0), CW_OK);
	cw_pipeline_stats st = {sizeof st, 0, 0, 0};
	cr_expect_eq(cw_pipeline_run(p, &st), CW_OK, "%s", cw_buf_str(&d.text));
	cr_expect_eq(st.records_read, 3, "an accepted loss does not stop a strict run");
	cr_expect_str_eq(cw_buf_str(&d.text),
	                 "out.cwt: warning: [k2] not carried by cwtest: categories\n");
	cr_assert_eq(d.n, 1);
	cr_expect(d.items[0].accepted);
	cw_pipeline_free(p);
	cw_ostream_close(o);
	cw_istream_close(in);
	cw_context_free(ctx);
	cwt_diags_free(&d);
}

Test(pipeline, misuse)
{
	cw_pipeline *p = NULL;
	cr_expect_eq(cw_pipeline_new(&p, NULL), CW_EINVAL);
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	cr_assert_eq(cw_pipeline_new(&p, ctx), CW_OK);
	/* no reader yet */
	cr_expect_eq(cw_pipeline_run(p, NULL), CW_EINVAL);
	cw_istream *in;
	cw_istream_open_memory(&in, "id: a\n", 6, "in.cwt");
	cr_assert_eq(cw_pipeline_set_reader(p, fmt("cwtest"), in, NULL, 0), CW_OK);
	cr_expect_eq(cw_pipeline_set_reader(p, fmt("cwtest"), in, NULL, 0), CW_EINVAL,
	             "one reader");
	cr_expect_eq(cw_pipeline_add_filter(p, NULL, NULL, 0), CW_EINVAL);
	cw_ostream *o;
	cw_ostream_open_memory(&o, NULL);
	cr_assert_eq(cw_pipeline_add_writer(p, fmt("cwtest"), o, NULL, 0), CW_OK);
	cr_expect_eq(cw_pipeline_run(p, NULL), CW_OK);
	cr_expect_eq(cw_pipeline_run(p, NULL), CW_EINVAL, "a pipeline runs once");
	cr_expect_eq(cw_pipeline_add_writer(p, fmt("cwtest"), o, NULL, 0), CW_EINVAL);
	cw_pipeline_free(p);
	cw_pipeline_free(NULL);
	/* an emit with nothing to emit */
	cr_expect_eq(cw_emit_record(NULL, NULL), CW_EINVAL);
	cw_ostream_close(o);
	cw_istream_close(in);
	cw_context_free(ctx);
	cwt_diags_free(&d);
}

Test(pipeline, reader_diagnostics_do_not_inherit_the_last_label)
{
	/* JSON Lines: line 2 is broken; the message must not name record "a",
	 * which the reader finished before it */
	static const char lines[] = "{\"id\": \"a\", \"type\": \"book\", \"title\": \"A\"}\n"
	                            "{\"id\": \"b\" \"type\"}\n"
	                            "{\"id\": \"c\", \"type\": \"book\", \"title\": \"C\"}\n";
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	cw_istream *in;
	cw_istream_open_memory(&in, lines, sizeof lines - 1, "in.jsonl");
	cw_ostream *o;
	cw_ostream_open_memory(&o, "out.cwt");
	cw_pipeline *p;
	cw_pipeline_new(&p, ctx);
	cr_assert_eq(cw_pipeline_set_reader(p, fmt("csljsonl"), in, NULL, 0), CW_OK);
	cr_assert_eq(cw_pipeline_add_writer(p, fmt("cwtest"), o, NULL, 0), CW_OK);
	cw_pipeline_stats st = {sizeof st, 0, 0, 0};
	cr_expect_eq(cw_pipeline_run(p, &st), CW_ERECORD);
	cr_expect_eq(st.records_read, 2);
	cr_expect_eq(st.records_skipped, 1);
	cr_assert_eq(d.n, 1, "%s", cw_buf_str(&d.text));
	cr_expect_eq(d.items[0].line, 2);
	cr_expect(d.items[0].record == NULL || strcmp(d.items[0].record, "a") != 0, "%s",
	          cw_buf_str(&d.text));
	cw_pipeline_free(p);
	cw_ostream_close(o);
	cw_istream_close(in);
	cw_context_free(ctx);
	cwt_diags_free(&d);
}
