/*
 * Diagnostics: the printed form, severities, emission through a session,
 * not-carried reports and what --strict makes of them.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cw_test.h"

static void expect_format(const cw_diag *d, const char *want)
{
	cw_buf b = CW_BUF_INIT;
	cr_assert_eq(cw_diag_format(d, &b), CW_OK);
	cr_expect_str_eq(cw_buf_str(&b), want);
	cw_buf_free(&b);
}

Test(diag, format_variants)
{
	cw_diag d = {.struct_size = sizeof d,
	             .severity = CW_SEV_ERROR,
	             .file = "refs.bib",
	             .at = {120, 7},
	             .record_id = "smith2004",
	             .message = "unterminated braced value (opened at 118:12)"};
	expect_format(&d, "refs.bib:120:7: error: [smith2004] unterminated braced value "
	                  "(opened at 118:12)");
	d.record_id = NULL;
	expect_format(
	    &d, "refs.bib:120:7: error: unterminated braced value (opened at 118:12)");
	d.at.column = 0;
	expect_format(
	    &d, "refs.bib:120: error: unterminated braced value (opened at 118:12)");
	d.at.line = 0;
	d.at.column = 9; /* a column without a line means nothing */
	expect_format(&d,
	              "refs.bib: error: unterminated braced value (opened at 118:12)");
	d.file = NULL;
	d.at.line = 3;
	expect_format(&d, "error: unterminated braced value (opened at 118:12)");
	d.record_id = "#17";
	d.severity = CW_SEV_WARNING;
	expect_format(&d, "warning: [#17] unterminated braced value (opened at 118:12)");
	d.severity = CW_SEV_NOTE;
	d.message = NULL;
	expect_format(&d, "note: [#17] ");
	d.severity = CW_SEV_FATAL;
	d.record_id = NULL;
	d.file = "<stdin>";
	d.at.line = 1;
	d.at.column = 1;
	d.message = "input is empty";
	expect_format(&d, "<stdin>:1:1: fatal: input is empty");

	/* it appends */
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, ">> ", CW_NUL);
	cw_diag_format(&d, &b);
	cr_expect_str_eq(cw_buf_str(&b), ">> <stdin>:1:1: fatal: input is empty");
	cw_buf_free(&b);
	cr_expect_eq(cw_diag_format(NULL, &b), CW_EINVAL);
	cr_expect_eq(cw_diag_format(&d, NULL), CW_EINVAL);
}

Test(diag, severity_names)
{
	cr_expect_str_eq(cw_severity_name(CW_SEV_NOTE), "note");
	cr_expect_str_eq(cw_severity_name(CW_SEV_WARNING), "warning");
	cr_expect_str_eq(cw_severity_name(CW_SEV_ERROR), "error");
	cr_expect_str_eq(cw_severity_name(CW_SEV_FATAL), "fatal");
	cr_expect_not_null(cw_severity_name((enum cw_severity)42));
}

Test(diag, status_strings)
{
	static const int codes[] = {CW_OK,           CW_EOF,     CW_DROP,       CW_REPLACED,
	                            CW_ERECORD,      CW_EFORMAT, CW_ELIMIT,     CW_EIO,
	                            CW_ENOMEM,       CW_EINVAL,  CW_ENOTFOUND,  CW_EABI,
	                            CW_EUNSUPPORTED, CW_ESTRICT, CW_EAMBIGUOUS, CW_EUSER};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		const char *s = cw_status_str(codes[i]);
		cr_expect_not_null(s);
		cr_expect_str_neq(s, "unknown status", "status %d has no text", codes[i]);
		for (size_t j = 0; j < i; j++)
			cr_expect_str_neq(s, cw_status_str(codes[j]), "%d and %d share a text",
			                  codes[i], codes[j]);
	}
	cr_expect_str_eq(cw_status_str(-12345), "unknown status");
}

/* A writer stage of a real format gives the session plugins report through. */
typedef struct stage {
	cwt_diags diags;
	cw_context *ctx;
	cw_ostream *out;
	cw_writer *w;
	cw_session *s;
} stage;

static void stage_open(stage *st, int strict)
{
	memset(st, 0, sizeof *st);
	st->ctx = cwt_context(&st->diags);
	cw_context_set_strict(st->ctx, strict);
	cr_assert_eq(cw_ostream_open_memory(&st->out, "out.json"), CW_OK);
	const cw_format *f = cw_registry_find_format(cwt_registry(), "csljson");
	cr_assert_not_null(f);
	cr_assert_eq(cw_writer_open(&st->w, st->ctx, f, st->out, NULL, 0), CW_OK);
	st->s = cw_writer_session(st->w);
	cr_assert_not_null(st->s);
}

static void stage_close(stage *st)
{
	cw_writer_close(st->w);
	cw_ostream_close(st->out);
	cw_context_free(st->ctx);
	cwt_diags_free(&st->diags);
}

Test(diag, emit_through_a_session)
{
	stage st;
	stage_open(&st, 0);
	cr_expect_eq(
	    cw_diag_emit(st.s, CW_SEV_ERROR, CW_EFORMAT, 12, 3, "bad %s at %d", "thing", 42),
	    CW_EFORMAT);
	cw_session_set_record(st.s, "doe2020");
	cr_expect_eq(cw_diag_emit(st.s, CW_SEV_WARNING, CW_OK, 0, 0, "just so"), CW_OK);
	cw_session_set_record(st.s, NULL);
	cr_expect_eq(cw_diag_emit(st.s, CW_SEV_NOTE, CW_OK, 0, 0, "%s", "fyi"), CW_OK);
	cr_assert_eq(st.diags.n, 3);
	cr_expect_str_eq(cw_buf_str(&st.diags.text),
	                 "out.json:12:3: error: bad thing at 42\n"
	                 "out.json: warning: [doe2020] just so\n"
	                 "out.json: note: fyi\n");
	cr_expect_eq(st.diags.items[0].code, CW_EFORMAT);
	cr_expect_eq(st.diags.items[0].kind, CW_DIAG_GENERAL);
	cr_expect_eq(st.diags.items[0].field, CW_FIELD_NONE);
	cw_counts c = {.struct_size = sizeof c};
	cw_context_counts(st.ctx, &c);
	cr_expect_eq(c.errors, 1);
	cr_expect_eq(c.warnings, 1);
	cr_expect_eq(c.notes, 1);
	cr_expect_eq(c.not_carried, 0);
	cr_expect_str_eq(cw_context_last_error(st.ctx), "bad thing at 42");

	/* a message longer than any fixed buffer arrives whole */
	char big[3000];
	memset(big, 'm', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cw_diag_emit(st.s, CW_SEV_ERROR, CW_EINVAL, 1, 1, "%s!", big);
	cr_expect_eq(strlen(st.diags.items[3].message), sizeof big);
	/* no session: nothing to report to, the code still comes back */
	cr_expect_eq(cw_diag_emit(NULL, CW_SEV_ERROR, CW_EIO, 0, 0, "lost"), CW_EIO);
	stage_close(&st);
}

/* n copies of s. */
static char *repeat(const char *s, size_t n)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "", 0);
	for (size_t i = 0; i < n; i++)
		cw_buf_append(&b, s, CW_NUL);
	return b.data;
}

#define ELLIPSIS "\xE2\x80\xA6"

Test(diag, long_labels_and_quoted_text_are_cut)
{
	stage st;
	stage_open(&st, 0);
	char *k300 = repeat("k", 300), *k80 = repeat("k", 80), *x200 = repeat("x", 200),
	     *x80 = repeat("x", 80), *euro = repeat("\xE2\x82\xAC", 50),
	     *euro26 = repeat("\xE2\x82\xAC", 26);
	cw_buf want = CW_BUF_INIT;

	/* a label: 80 bytes and an ellipsis, at a character boundary */
	cw_session_set_record(st.s, k300);
	cw_diag_emit(st.s, CW_SEV_WARNING, CW_OK, 0, 0, "m");
	cw_buf_printf(&want, "%s" ELLIPSIS, k80);
	cr_expect_str_eq(st.diags.items[0].record, want.data);
	cw_session_set_record(st.s, euro); /* 150 bytes of three-byte characters */
	cw_diag_emit(st.s, CW_SEV_WARNING, CW_OK, 0, 0, "m");
	cw_buf_clear(&want);
	cw_buf_printf(&want, "%s" ELLIPSIS, euro26);
	cr_expect_str_eq(st.diags.items[1].record, want.data);
	cw_session_set_record(st.s, "short");
	cw_diag_emit(st.s, CW_SEV_WARNING, CW_OK, 0, 0, "m");
	cr_expect_str_eq(st.diags.items[2].record, "short");
	cw_session_set_record(st.s, NULL);

	/* text quoted from the input is cut; a list or a composed message is not */
	cw_buf cut = CW_BUF_INIT;
	cw_buf_printf(&cut, "%s" ELLIPSIS, x80);
#define EXPECT_CUT(fmt)                                                                     \
	do {                                                                                \
		cw_diag_emit(st.s, CW_SEV_WARNING, CW_OK, 0, 0, fmt, 200, x200);            \
		const char *m_ = st.diags.items[st.diags.n - 1].message;                    \
		cr_expect(strstr(m_, cut.data) && strlen(m_) < 120, "%s: %s", fmt, m_);     \
	} while (0)
	EXPECT_CUT("unknown command \\%.*s dropped");
	EXPECT_CUT("field '%.*s'");
	EXPECT_CUT("id \"%.*s\"");
	EXPECT_CUT("<%.*s>");
	EXPECT_CUT("@%.*s");
	EXPECT_CUT("&%.*s;");
#undef EXPECT_CUT
	cw_buf_free(&cut);
	size_t n = st.diags.n;
	cw_diag_emit(st.s, CW_SEV_WARNING, CW_OK, 0, 0, "known: %s", x200);
	cw_diag_emit(st.s, CW_SEV_WARNING, CW_OK, 0, 0, "%s", x200);
	cw_diag_emit(st.s, CW_SEV_WARNING, CW_OK, 0, 0, "'%s'", "abc");
	cr_expect_eq(strlen(st.diags.items[n].message), 7 + 200);
	cr_expect_str_eq(st.diags.items[n + 1].message, x200);
	cr_expect_str_eq(st.diags.items[n + 2].message, "'abc'");

	/* every other conversion comes out as printf makes it */
	char ref[512];
	int v = 42;
#define ALL_CONVERSIONS                                                                     \
	"%5d|%-4s|%4s|%.2f|%zu|%x|%lld|%c|%%|%*d|%-*s|%+.3e|%hhu|%05.1f|%p|%.*s|%lu|%jd|%Lg|%o|%i", \
	    7, "ab", "cd", 3.14159, (size_t)12, 255u, -9ll, 'q', -6, 5, 4, "l", 1234.5,     \
	    (unsigned char)200, 2.25, (void *)&v, 3, "truncated", 99ul, (intmax_t)-1, 1.5L, 8u, -3
	snprintf(ref, sizeof ref, ALL_CONVERSIONS);
	cw_diag_emit(st.s, CW_SEV_WARNING, CW_OK, 0, 0, ALL_CONVERSIONS);
#undef ALL_CONVERSIONS
	cr_expect_str_eq(st.diags.items[st.diags.n - 1].message, ref);
	/* a format it does not take apart (positional arguments, a POSIX
	 * extension) is formatted whole */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	cw_diag_emit(st.s, CW_SEV_WARNING, CW_OK, 0, 0, "%2$s %1$s", "world", "hello");
#pragma GCC diagnostic pop
	cr_expect_str_eq(st.diags.items[st.diags.n - 1].message, "hello world");

	/* whatever a message holds, it ends after 4096 bytes */
	char *m10k = repeat("m", 10000);
	cw_diag_emit(st.s, CW_SEV_WARNING, CW_OK, 0, 0, "%s", m10k);
	const char *m = st.diags.items[st.diags.n - 1].message;
	cr_expect_eq(strlen(m), 4096 + 3);
	cr_expect_str_eq(m + 4096, ELLIPSIS);

	/* a host's own diagnostic: cw_diag_format cuts its label too */
	cw_diag d = {.struct_size = sizeof d, .severity = CW_SEV_ERROR, .record_id = k300,
	             .message = "m"};
	cw_buf_clear(&want);
	cw_buf_printf(&want, "error: [%s" ELLIPSIS "] m", k80);
	expect_format(&d, want.data);

	free(k300), free(k80), free(x200), free(x80), free(euro), free(euro26), free(m10k);
	cw_buf_free(&want);
	stage_close(&st);
}

static cw_record *record_with(const char *id)
{
	cw_record *r;
	cr_assert_eq(cw_record_new(&r), CW_OK);
	if (id)
		cw_record_set_text(r, CW_FIELD_ID, id, CW_NUL);
	cw_record_set_text(r, CW_FIELD_TITLE, "T", CW_NUL);
	cw_record_set_text(r, CW_FIELD_DOI, "10.1/x", CW_NUL);
	cw_name n = CW_NAME_INIT;
	n.family = "Doe";
	cw_record_add_name(r, CW_FIELD_AUTHOR, &n);
	cw_item k = CW_ITEM_INIT;
	k.value = "kw";
	cw_record_add_item(r, CW_FIELD_KEYWORDS, &k);
	return r;
}

Test(diag, uncarried_reports_each_field_once)
{
	stage st;
	stage_open(&st, 0);
	cw_record *r = record_with("r1");
	enum cw_field carried[] = {CW_FIELD_ID, CW_FIELD_TITLE, CW_FIELD_AUTHOR, CW_FIELD_NONE,
	                           (enum cw_field)5000};
	size_t n = cw_diag_uncarried(st.s, r, carried, sizeof carried / sizeof carried[0]);
	cr_expect_eq(n, 2);
	cr_assert_eq(st.diags.n, 2);
	/* in field order: DOI, then keywords */
	cr_expect_eq(st.diags.items[0].field, CW_FIELD_DOI);
	cr_expect_eq(st.diags.items[1].field, CW_FIELD_KEYWORDS);
	for (size_t i = 0; i < 2; i++) {
		cr_expect_eq(st.diags.items[i].kind, CW_DIAG_NOT_CARRIED);
		cr_expect_eq(st.diags.items[i].severity, CW_SEV_WARNING);
		cr_expect_str_eq(st.diags.items[i].record, "r1");
	}
	cr_expect_str_eq(st.diags.items[0].message, "not carried by csljson: DOI");
	cr_expect_str_eq(cw_buf_str(&st.diags.text),
	                 "out.json: warning: [r1] not carried by csljson: DOI\n"
	                 "out.json: warning: [r1] not carried by csljson: keywords\n");
	/* nothing carried: every field; everything carried: none */
	cr_expect_eq(cw_diag_uncarried(st.s, r, NULL, 0), 5);
	enum cw_field all[] = {CW_FIELD_ID, CW_FIELD_TITLE, CW_FIELD_DOI, CW_FIELD_AUTHOR,
	                       CW_FIELD_KEYWORDS};
	cr_expect_eq(cw_diag_uncarried(st.s, r, all, 5), 0);
	cw_counts c = {.struct_size = sizeof c};
	cw_context_counts(st.ctx, &c);
	cr_expect_eq(c.not_carried, 7);
	cr_expect_eq(c.warnings, 7);
	cr_expect_eq(c.errors, 0);
	cw_record_free(r);
	stage_close(&st);
}

Test(diag, not_carried_with_detail_and_label)
{
	stage st;
	stage_open(&st, 0);
	cw_record *r = record_with(NULL); /* no id: the DOI labels it */
	cw_diag_not_carried(st.s, r, CW_FIELD_TITLE, "markup %s (%d)", "lost", 2);
	cr_assert_eq(st.diags.n, 1);
	cr_expect_str_eq(st.diags.items[0].message,
	                 "not carried by csljson: title (markup lost (2))");
	cr_expect_str_eq(st.diags.items[0].record, "10.1/x");
	/* a child's report names the child, and the parent's label comes back after it */
	cw_session_set_record(st.s, "parent");
	cw_record *kid = record_with("child");
	cw_diag_not_carried(st.s, kid, CW_FIELD_KEYWORDS, NULL);
	cw_diag_emit(st.s, CW_SEV_WARNING, CW_OK, 0, 0, "about the parent");
	cr_assert_eq(st.diags.n, 3);
	cr_expect_str_eq(st.diags.items[1].record, "child");
	cr_expect_str_eq(st.diags.items[1].message, "not carried by csljson: keywords");
	cr_expect_str_eq(st.diags.items[2].record, "parent");
	cw_record_free(kid);
	cw_record_free(r);
	stage_close(&st);
}

Test(diag, uncarried_passthrough)
{
	stage st;
	stage_open(&st, 0);
	cw_record *r = record_with("p1");
	cw_record_add_passthrough(r, "csljson", "x-mine", "1", CW_NUL);
	cw_record_add_passthrough(r, "bibtex", "owner", "{me}", CW_NUL);
	cw_record_add_passthrough(r, "jats", "custom-meta", "<x/>", CW_NUL);
	/* a hint for bibtex's own writer is nobody else's loss */
	cw_record_add_passthrough(r, "bibtex", ".sourcefields", "publisher=school", CW_NUL);
	/* NULL: the session's own format keeps its own passthrough */
	cr_expect_eq(cw_diag_uncarried_passthrough(st.s, r, NULL), 2);
	cr_assert_eq(st.diags.n, 2);
	cr_expect_str_eq(st.diags.items[0].message,
	                 "not carried by csljson: bibtex field \"owner\"");
	cr_expect_str_eq(st.diags.items[1].message,
	                 "not carried by csljson: jats field \"custom-meta\"");
	cr_expect_eq(st.diags.items[0].kind, CW_DIAG_NOT_CARRIED);
	cr_expect_eq(st.diags.items[0].field, CW_FIELD_NONE);
	cr_expect_str_eq(st.diags.items[0].record, "p1");
	/* another own format: the others are reported, bibtex's is not */
	cr_expect_eq(cw_diag_uncarried_passthrough(st.s, r, "bibtex"), 2);
	cr_assert_eq(st.diags.n, 4);
	cr_expect(strstr(st.diags.items[2].message, "csljson field \"x-mine\""));
	cr_expect(strstr(st.diags.items[3].message, "jats field"));
	cw_record_free(r);
	stage_close(&st);
}

/* The detail member of a passthrough report is "format:name". */
static char *last_detail;
static void detail_sink(void *ud, const cw_diag *d)
{
	(void)ud;
	free(last_detail);
	last_detail = d->detail ? strdup(d->detail) : NULL;
}

Test(diag, passthrough_detail)
{
	cw_context *ctx;
	cr_assert_eq(cw_context_new(&ctx), CW_OK);
	cw_context_set_diag_sink(ctx, detail_sink, NULL);
	cw_ostream *o;
	cw_ostream_open_memory(&o, NULL);
	cw_writer *w;
	cr_assert_eq(
	    cw_writer_open(&w, ctx, cw_registry_find_format(cwt_registry(), "csljson"), o, NULL, 0),
	    CW_OK);
	cw_record *r;
	cw_record_new(&r);
	cw_record_add_passthrough(r, "bibtex", "owner", "{me}", CW_NUL);
	cr_expect_eq(cw_diag_uncarried_passthrough(cw_writer_session(w), r, NULL), 1);
	cr_assert_not_null(last_detail);
	cr_expect_str_eq(last_detail, "bibtex:owner");
	free(last_detail);
	last_detail = NULL;
	cw_record_free(r);
	cw_writer_close(w);
	cw_ostream_close(o);
	cw_context_free(ctx);
}

Test(diag, strict_turns_not_carried_into_errors)
{
	stage st;
	stage_open(&st, 1);
	cr_expect(cw_session_strict(st.s));
	cw_record *r = record_with("s1");
	enum cw_field carried[] = {CW_FIELD_ID, CW_FIELD_TITLE, CW_FIELD_AUTHOR, CW_FIELD_KEYWORDS};
	cr_expect_eq(cw_diag_uncarried(st.s, r, carried, 4), 1);
	cr_assert_eq(st.diags.n, 1);
	cr_expect_eq(st.diags.items[0].severity, CW_SEV_ERROR);
	cr_expect_eq(st.diags.items[0].code, CW_ESTRICT);
	cr_expect_eq(st.diags.items[0].kind, CW_DIAG_NOT_CARRIED);
	cr_expect_str_eq(cw_buf_str(&st.diags.text),
	                 "out.json: error: [s1] not carried by csljson: DOI\n");
	cw_counts c = {.struct_size = sizeof c};
	cw_context_counts(st.ctx, &c);
	cr_expect_eq(c.errors, 1);
	cr_expect_eq(c.not_carried, 1);
	cr_expect_str_eq(cw_context_last_error(st.ctx), "not carried by csljson: DOI");
	/* strict can be switched off again */
	cw_context_set_strict(st.ctx, 0);
	cr_expect_not(cw_session_strict(st.s));
	cw_diag_not_carried(st.s, r, CW_FIELD_DOI, NULL);
	cr_expect_eq(st.diags.items[1].severity, CW_SEV_WARNING);
	cw_record_free(r);
	stage_close(&st);
}

Test(diag, counts_from_older_struct)
{
	cw_context *ctx;
	cr_assert_eq(cw_context_new(&ctx), CW_OK);
	cr_expect_null(cw_context_last_error(ctx));
	cr_expect_eq(cw_context_add_crosswalk(ctx, "- not a table", CW_NUL, "x.yaml"), CW_EFORMAT);
	/* a caller whose cw_counts ends after notes gets only that much */
	struct {
		cw_counts c;
		uint64_t canary;
	} small = {{.struct_size = (uint32_t)offsetof(cw_counts, warnings)}, 0xABCD};
	small.c.errors = 77;
	cw_context_counts(ctx, &small.c);
	cr_expect_eq(small.c.struct_size, offsetof(cw_counts, warnings));
	cr_expect_eq(small.c.errors, 77, "a member beyond struct_size was written");
	cr_expect_eq(small.canary, 0xABCD);
	cw_counts full = {.struct_size = sizeof full};
	cw_context_counts(ctx, &full);
	cr_expect_eq(full.errors, 1);
	cr_expect_not_null(cw_context_last_error(ctx));
	cw_context_free(ctx);
}

/* Every loss has a name cw_context_accept_loss takes: a field, a passthrough field, "type". */
Test(diag, losses_are_named)
{
	stage st;
	stage_open(&st, 0);
	cw_record *r = record_with("n1");
	cw_record_add_passthrough(r, "jats", "custom-meta", "<x/>", CW_NUL);
	cw_diag_not_carried(st.s, r, CW_FIELD_AUTHOR, "names of role '%s'", "editor");
	cw_diag_uncarried_passthrough(st.s, r, NULL);
	cw_diag_not_carried(st.s, r, CW_FIELD_NONE, "jats:pub-date:epub (%s)", "no day");
	cw_diag_not_carried(st.s, r, CW_FIELD_NONE, "type thesis (written as @%s)", "misc");
	cw_diag_not_carried(st.s, r, CW_FIELD_NONE, ": odd (no format before the colon)");
	cw_diag_emit(st.s, CW_SEV_WARNING, CW_OK, 0, 0, "a value written in another form");
	cw_diag_emit(st.s, CW_SEV_NOTE, CW_OK, 0, 0, "just so");
	cw_diag_emit(st.s, CW_SEV_ERROR, CW_EIO, 0, 0, "disk full");
	cw_diag_emit(st.s, CW_SEV_ERROR, CW_ELIMIT, 0, 0, "too deep");
	cr_assert_eq(st.diags.n, 9);
	static const char *const loss[] = {"author", "jats:custom-meta", "jats:pub-date:epub",
	                                   "type", "type"};
	for (size_t i = 0; i < 5; i++) {
		cr_expect_str_eq(st.diags.items[i].loss, loss[i], "report %zu", i);
		cr_expect_eq(st.diags.items[i].diag_code, CW_DIAG_CODE_NOT_CARRIED);
		cr_expect_not(st.diags.items[i].accepted);
	}
	cr_expect_str_eq(st.diags.items[2].message,
	                 "not carried by csljson: jats:pub-date:epub (no day)");
	/* the stage is a writer: its warning is a degraded value, its I/O error an output's */
	cr_expect_null(st.diags.items[5].loss);
	cr_expect_eq(st.diags.items[5].diag_code, CW_DIAG_CODE_DEGRADED);
	cr_expect_eq(st.diags.items[6].diag_code, CW_DIAG_CODE_NOTE);
	cr_expect_eq(st.diags.items[7].diag_code, CW_DIAG_CODE_OUTPUT_ERROR);
	cr_expect_eq(st.diags.items[8].diag_code, CW_DIAG_CODE_LIMIT);
	cw_record_free(r);
	stage_close(&st);
}

Test(diag, code_names)
{
	cr_expect_str_eq(cw_diag_code_name(CW_DIAG_CODE_NOT_CARRIED), "not-carried");
	cr_expect_str_eq(cw_diag_code_name(CW_DIAG_CODE_ACCEPTED_LOSS), "accepted-loss");
	cr_expect_str_eq(cw_diag_code_name(CW_DIAG_CODE_NONE), "");
	cr_expect_str_eq(cw_diag_code_name((enum cw_diag_code)9999), "");
	for (int i = 1; i < CW_DIAG_CODE_COUNT_; i++) {
		const char *n = cw_diag_code_name((enum cw_diag_code)i);
		cr_expect_gt(strlen(n), 0);
		cr_expect_eq((int)cw_diag_code_from_name(n, CW_NUL), i, "%s", n);
	}
	cr_expect_eq(cw_diag_code_from_name("success", CW_NUL), CW_DIAG_CODE_NONE);
	cr_expect_eq(cw_diag_code_from_name("usage-x", 5), CW_DIAG_CODE_USAGE);
	/* a diagnostic of a host built before 1.2 ends before the code: derived */
	cw_diag d = {.struct_size = (uint32_t)offsetof(cw_diag, loss),
	             .severity = CW_SEV_WARNING,
	             .kind = CW_DIAG_NOT_CARRIED,
	             .diag_code = CW_DIAG_CODE_USAGE};
	cr_expect_eq(cw_diag_code_of(&d), CW_DIAG_CODE_NOT_CARRIED);
	d.kind = CW_DIAG_GENERAL;
	cr_expect_eq(cw_diag_code_of(&d), CW_DIAG_CODE_WARNING);
	d.severity = CW_SEV_ERROR;
	d.code = CW_ERECORD;
	cr_expect_eq(cw_diag_code_of(&d), CW_DIAG_CODE_SKIPPED_RECORD);
	d.struct_size = sizeof d;
	cr_expect_eq(cw_diag_code_of(&d), CW_DIAG_CODE_USAGE, "a code set is the code");
}

Test(diag, accepted_losses_stay_warnings_under_strict)
{
	stage st;
	stage_open(&st, 1);
	cr_expect_eq(cw_context_accept_loss(st.ctx, "csljson", "DOI"), CW_OK);
	cr_expect_eq(cw_context_accept_loss(st.ctx, "csljson", "DOI"), CW_OK);
	cr_expect_eq(cw_context_accept_loss(st.ctx, NULL, "jats:*"), CW_OK);
	cr_expect_eq(cw_context_accept_loss(st.ctx, "bibtex", "keywords"), CW_OK);
	cr_expect_eq(cw_context_accept_loss(st.ctx, "*", "type"), CW_OK);
	/* a typo would accept nothing: refused */
	cr_expect_eq(cw_context_accept_loss(st.ctx, NULL, "affiliation"), CW_ENOTFOUND);
	cr_expect_eq(cw_context_accept_loss(st.ctx, NULL, "jats:"), CW_ENOTFOUND);
	cr_expect_eq(cw_context_accept_loss(st.ctx, NULL, NULL), CW_EINVAL);
	cr_expect_eq(cw_context_accept_loss(NULL, NULL, "DOI"), CW_EINVAL);
	cr_expect(cw_context_loss_accepted(st.ctx, "csljson", "DOI"));
	cr_expect_not(cw_context_loss_accepted(st.ctx, "bibtex", "DOI"));
	cr_expect(cw_context_loss_accepted(st.ctx, "dc", "jats:custom-meta"));
	cr_expect_not(cw_context_loss_accepted(st.ctx, "dc", "bibtex:owner"));

	cw_record *r = record_with("a1");
	cw_record_add_passthrough(r, "jats", "custom-meta", "<x/>", CW_NUL);
	cw_record_add_passthrough(r, "bibtex", "owner", "{me}", CW_NUL);
	/* DOI: accepted for this writer; keywords: only for bibtex's */
	enum cw_field carried[] = {CW_FIELD_ID, CW_FIELD_TITLE, CW_FIELD_AUTHOR};
	cr_expect_eq(cw_diag_uncarried(st.s, r, carried, 3), 2);
	cr_expect_eq(cw_diag_uncarried_passthrough(st.s, r, NULL), 2);
	cw_diag_not_carried(st.s, r, CW_FIELD_NONE, "type %s (written as %s)", "thesis", "x");
	cr_assert_eq(st.diags.n, 5);
	struct {
		const char *loss;
		int accepted;
	} want[] = {
	    {"DOI", 1}, {"keywords", 0}, {"jats:custom-meta", 1}, {"bibtex:owner", 0}, {"type", 1}};
	for (size_t i = 0; i < 5; i++) {
		cwt_diag *d = &st.diags.items[i];
		cr_expect_str_eq(d->loss, want[i].loss);
		cr_expect_eq(d->accepted, want[i].accepted, "%s", d->loss);
		cr_expect_eq(d->severity, want[i].accepted ? CW_SEV_WARNING : CW_SEV_ERROR, "%s",
		             d->loss);
		cr_expect_eq(d->code, want[i].accepted ? CW_OK : CW_ESTRICT);
		cr_expect_eq(d->diag_code, want[i].accepted ? CW_DIAG_CODE_ACCEPTED_LOSS
		                                            : CW_DIAG_CODE_NOT_CARRIED);
	}
	cw_counts c = {.struct_size = sizeof c};
	cw_context_counts(st.ctx, &c);
	cr_expect_eq(c.accepted_losses, 3);
	cr_expect_eq(c.not_carried, 2);
	cr_expect_eq(c.errors, 2);
	cr_expect_eq(c.warnings, 3);
	cw_record_free(r);
	stage_close(&st);
}

/* --- loss kinds (ABI 1.3) --- */

typedef struct kinds_seen {
	enum cw_loss_kind kind[4];
	char msg[4][160];
	int strict_error[4];
	size_t n;
} kinds_seen;

static void kind_sink(void *ud, const cw_diag *d)
{
	kinds_seen *k = ud;
	if (k->n < 4) {
		k->kind[k->n] = cw_diag_loss_kind(d);
		snprintf(k->msg[k->n], sizeof k->msg[0], "%s", d->message);
		k->strict_error[k->n] = d->severity == CW_SEV_ERROR;
	}
	k->n++;
}

Test(diag, a_loss_is_dropped_or_degraded)
{
	for (int strict = 0; strict <= 1; strict++) {
		kinds_seen k = {0};
		cw_context *ctx;
		cr_assert_eq(cw_context_new(&ctx), CW_OK);
		cw_context_set_strict(ctx, strict);
		cw_context_set_diag_sink(ctx, kind_sink, &k);
		cw_ostream *o;
		cw_ostream_open_memory(&o, NULL);
		cw_writer *w;
		cr_assert_eq(cw_writer_open(&w, ctx, cw_registry_find_format(cwt_registry(), "csljson"),
		                            o, NULL, 0),
		             CW_OK);
		cw_record *r = record_with("k1");
		cw_session *s = cw_writer_session(w);
		cw_diag_not_carried(s, r, CW_FIELD_AUTHOR, NULL);
		cw_diag_loss(s, r, CW_FIELD_ISSUED, CW_LOSS_DEGRADED, "range end %s", "lost");
		cw_diag_loss(s, r, CW_FIELD_NONE, CW_LOSS_DEGRADED, "type thesis (written as @misc)");
		cw_diag_loss(s, r, CW_FIELD_TITLE, CW_LOSS_DROPPED, NULL);
		cr_assert_eq(k.n, 4);
		cr_expect_eq(k.kind[0], CW_LOSS_DROPPED);
		cr_expect_str_eq(k.msg[0], "not carried by csljson: author");
		cr_expect_eq(k.kind[1], CW_LOSS_DEGRADED);
		cr_expect_str_eq(k.msg[1], "degraded by csljson: issued (range end lost)");
		cr_expect_eq(k.kind[2], CW_LOSS_DEGRADED);
		cr_expect_str_eq(k.msg[2], "degraded by csljson: type thesis (written as @misc)");
		cr_expect_eq(k.kind[3], CW_LOSS_DROPPED);
		/* a degraded value is a loss like any other: --strict fails on it */
		for (size_t i = 0; i < 4; i++)
			cr_expect_eq(k.strict_error[i], strict, "report %zu", i);
		cw_record_free(r);
		cw_writer_close(w);
		cw_ostream_close(o);
		cw_context_free(ctx);
	}
}

Test(diag, loss_kind_of_an_older_diagnostic_is_dropped)
{
	cw_diag d = {.struct_size = (uint32_t)offsetof(cw_diag, loss_kind),
	             .kind = CW_DIAG_NOT_CARRIED,
	             .loss_kind = CW_LOSS_DEGRADED};
	cr_expect_eq(cw_diag_loss_kind(&d), CW_LOSS_DROPPED);
	d.struct_size = sizeof d;
	cr_expect_eq(cw_diag_loss_kind(&d), CW_LOSS_DEGRADED);
	d.kind = CW_DIAG_GENERAL;
	cr_expect_eq(cw_diag_loss_kind(&d), CW_LOSS_DROPPED);
	cr_expect_eq(cw_diag_loss_kind(NULL), CW_LOSS_DROPPED);
	cr_expect_str_eq(cw_loss_kind_name(CW_LOSS_DROPPED), "dropped");
	cr_expect_str_eq(cw_loss_kind_name(CW_LOSS_DEGRADED), "degraded");
	cr_expect_str_eq(cw_loss_kind_name((enum cw_loss_kind)7), "");
}
