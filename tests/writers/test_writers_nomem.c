/*
 * Every writer and reader under allocation failure: whichever allocation
 * fails while it writes (reads), the conversion either fails or writes
 * exactly the document (reads exactly the records) it does with all the
 * memory it wants. A writer that lost an append and went on would write a
 * shorter document and call it a success; a reader that lost a setter's
 * failure, a record without a field.
 *
 * This program replaces malloc, calloc and realloc (glibc's own are behind
 * them: __libc_malloc...); the library and the plugins bind to these, and a
 * countdown makes the Nth allocation after arming fail, once. The sweep
 * tries N = 1, 2, ... until a write makes fewer than N allocations. Not
 * built with CW_SANITIZE, whose allocator these would bypass. To see where
 * a failing N allocates: CWT_NOMEM_TRACE=N prints its stack.
 */
#include <errno.h>
#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);

static long countdown; /* 0: off; else the allocations left before the one that fails */
static int fired;
static long nth_now, trace_n; /* the allocation failing, the one to trace */

static int fail_now(void)
{
	if (countdown > 0 && --countdown == 0) {
		fired = 1;
		if (trace_n == nth_now) { /* CWT_NOMEM_TRACE=N: where the Nth allocation is */
			void *bt[32];
			backtrace_symbols_fd(bt, backtrace(bt, 32), 2);
		}
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

CW_API void *malloc(size_t n)
{
	return fail_now() ? NULL : __libc_malloc(n);
}

CW_API void *calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __libc_calloc(n, size);
}

CW_API void *realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __libc_realloc(p, n);
}

static void count_errors(void *ud, const cw_diag *d)
{
	if (d->severity >= CW_SEV_ERROR)
		++*(size_t *)ud;
}

typedef struct outcome {
	int status;
	char *output; /* malloc'd copy of what was written */
	size_t len;
	size_t errors; /* error diagnostics */
} outcome;

/* Writes recs with format to; the nth allocation of the writing fails (0: none). */
static void write_failing(outcome *o, const char *to, cw_record *const *recs, size_t n,
                          long nth)
{
	memset(o, 0, sizeof *o);
	cw_context *ctx = NULL;
	cr_assert_eq(cw_context_new(&ctx), CW_OK);
	cw_context_set_diag_sink(ctx, count_errors, &o->errors);
	cw_ostream *out = NULL;
	cr_assert_eq(cw_ostream_open_memory(&out, "output"), CW_OK);
	const cw_format *f = cw_registry_find_format(cwt_registry(), to);
	cr_assert_not_null(f, "no writer %s", to);
	cw_writer *w = NULL;
	int rc = cw_writer_open(&w, ctx, f, out, NULL, 0);
	cr_assert_eq(rc, CW_OK, "%s: cannot open the writer", to);
	fired = 0;
	nth_now = nth;
	const char *trace = getenv("CWT_NOMEM_TRACE");
	trace_n = trace ? atol(trace) : 0;
	countdown = nth;
	for (size_t i = 0; rc >= 0 && i < n; i++)
		rc = cw_writer_write(w, recs[i]);
	if (rc >= 0)
		rc = cw_writer_finish(w);
	if (rc >= 0)
		rc = cw_ostream_error(out);
	countdown = 0;
	cw_writer_close(w);
	o->status = rc;
	const char *data = cw_ostream_memory(out, &o->len);
	o->output = malloc(o->len + 1);
	cr_assert_not_null(o->output);
	memcpy(o->output, data ? data : "", o->len);
	o->output[o->len] = '\0';
	cw_ostream_close(out);
	cw_context_free(ctx);
}

/* The sweep over every allocation of writing recs as `to`. */
static void sweep(const char *to, cw_record *const *recs, size_t n)
{
	outcome ref;
	write_failing(&ref, to, recs, n, 0);
	cr_assert_eq(ref.status, CW_OK, "%s: fails without a fault", to);
	cr_assert_gt(ref.len, 0);
	long nth = 1;
	for (;; nth++) {
		outcome o;
		write_failing(&o, to, recs, n, nth);
		int hit = fired;
		if (o.status >= 0)
			cr_expect(o.len == ref.len && memcmp(o.output, ref.output, o.len) == 0,
			          "%s, %zu record(s): allocation %ld failed, the writer succeeded "
			          "with %zu bytes instead of %zu",
			          to, n, nth, o.len, ref.len);
		free(o.output);
		if (!hit)
			break;
	}
	cr_expect_gt(nth, 10, "%s: only %ld allocations: is the interposer working?", to, nth);
	free(ref.output);
}

static cw_record **article(size_t *n)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/examples/article.xml", cwt_source_dir());
	size_t len = 0;
	char *xml = cwt_read_file(path, &len);
	cr_assert_not_null(xml, "%s", path);
	cw_record **recs = NULL;
	*n = cwt_read_records("jats", xml, len, &recs, NULL, NULL);
	cr_assert_eq(*n, 1);
	free(xml);
	/* twice: the writers' shapes for several records (ref-list, ListRecords) */
	cw_record **two = realloc(recs, 2 * sizeof *two);
	cr_assert_not_null(two);
	cr_assert_eq(cw_record_clone(&two[1], two[0]), CW_OK);
	return two;
}

/* max: the most records the format's document holds (html-meta: one page, one record) */
#define WRITER_TEST(name, format, max)                                                             \
	Test(nomem, name, .timeout = 300)                                                          \
	{                                                                                          \
		size_t n;                                                                          \
		cw_record **recs = article(&n);                                                    \
		for (size_t k = 1; k <= (max); k++)                                                \
			sweep(format, recs, k);                                                    \
		cwt_free_records(recs, 2);                                                         \
	}

WRITER_TEST(jats, "jats", 2)
WRITER_TEST(dc, "dc", 2)
WRITER_TEST(dcterms, "dcterms", 2)
WRITER_TEST(html_meta, "html-meta", 1)
WRITER_TEST(bibtex, "bibtex", 2)
WRITER_TEST(biblatex, "biblatex", 2)
WRITER_TEST(csljson, "csljson", 2)
WRITER_TEST(csljsonl, "csljsonl", 2)

/* --- readers --- */

#define MAX_RECORDS 8

typedef struct read_outcome {
	int failed; /* a record or the stream failed, or an error was reported */
	cw_record *recs[MAX_RECORDS];
	size_t n;
} read_outcome;

/* Reads input with format from; the nth allocation of the reading fails (0: none). */
static void read_failing(read_outcome *o, const char *from, const char *input, size_t len,
                         long nth)
{
	memset(o, 0, sizeof *o);
	size_t errors = 0;
	cw_context *ctx = NULL;
	cr_assert_eq(cw_context_new(&ctx), CW_OK);
	cw_context_set_diag_sink(ctx, count_errors, &errors);
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_memory(&in, input, len, "input"), CW_OK);
	const cw_format *f = cw_registry_find_format(cwt_registry(), from);
	cr_assert_not_null(f, "no reader %s", from);
	cw_reader *r = NULL;
	int rc = cw_reader_open(&r, ctx, f, in, NULL, 0);
	cr_assert_eq(rc, CW_OK, "%s: cannot open the reader", from);
	fired = 0;
	nth_now = nth;
	const char *trace = getenv("CWT_NOMEM_TRACE");
	trace_n = trace ? atol(trace) : 0;
	countdown = nth;
	while (rc == CW_OK || rc == CW_ERECORD) {
		cw_record *rec = NULL;
		rc = cw_reader_next(r, &rec);
		if (rc == CW_ERECORD)
			o->failed = 1;
		if (rc == CW_OK && o->n < MAX_RECORDS)
			o->recs[o->n++] = rec;
		else
			cw_record_free(rec);
	}
	countdown = 0;
	o->failed |= rc != CW_EOF || errors > 0;
	cw_reader_close(r);
	cw_istream_close(in);
	cw_context_free(ctx);
}

static void read_free(read_outcome *o)
{
	for (size_t i = 0; i < o->n; i++)
		cw_record_free(o->recs[i]);
}

/* The sweep over every allocation of reading examples/<file> as `from`. */
static void read_sweep(const char *from, const char *file)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/examples/%s", cwt_source_dir(), file);
	size_t len = 0;
	char *input = cwt_read_file(path, &len);
	cr_assert_not_null(input, "%s", path);
	read_outcome ref;
	read_failing(&ref, from, input, len, 0);
	cr_assert(!ref.failed && ref.n > 0, "%s: fails without a fault", file);
	long nth = 1;
	for (;; nth++) {
		read_outcome o;
		read_failing(&o, from, input, len, nth);
		int hit = fired;
		if (!o.failed) {
			int same = o.n == ref.n;
			for (size_t i = 0; same && i < o.n; i++)
				same = cw_record_compare(o.recs[i], ref.recs[i], NULL) == 0;
			cr_expect(same,
			          "%s: allocation %ld failed, the reader succeeded with other "
			          "records",
			          file, nth);
		}
		read_free(&o);
		if (!hit)
			break;
	}
	cr_expect_gt(nth, 10, "%s: only %ld allocations: is the interposer working?", file, nth);
	read_free(&ref);
	free(input);
}

Test(nomem_read, jats, .timeout = 300)
{
	read_sweep("jats", "article.xml");
}

/*
 * Not the Dublin Core readers: libxml2 2.9 hides some failures of its own
 * allocations from its caller (xmlSAX2StartElementNs drops a namespace
 * that xmlNewNs could not make, so a dc:title reads as no DC element), and
 * its HTML parser loops for ever after one (htmlParseDocument, seen at the
 * 35th allocation of examples/article.html).
 */

Test(nomem_read, bibtex, .timeout = 300)
{
	read_sweep("bibtex", "article.bib");
}

Test(nomem_read, biblatex, .timeout = 300)
{
	read_sweep("biblatex", "article.biblatex.bib");
}

Test(nomem_read, csljson, .timeout = 300)
{
	read_sweep("csljson", "article.json");
}
