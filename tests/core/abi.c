/*
 * ABI compatibility: a plugin built against the ABI 1.0 headers
 * (tests/core/abi10, fixtures/fx_abi10.c) loads into this library, its
 * option arrays are read as 1.0 wrote them, and it converts: ids the
 * library hands it stay below its own counts of fields, types and styles,
 * and what it cannot see is reported as not carried. Also the _known forms
 * of those calls with a count smaller than the library's.
 */
#include <stddef.h>
#include <string.h>

#include "cw_test.h"

static const cw_plugin *abi10;

static cw_registry *load_abi10(void)
{
	cw_registry *reg;
	cr_assert_eq(cw_registry_new(&reg), CW_OK);
	cw_buf err = CW_BUF_INIT;
	cr_assert_eq(cw_registry_load_file(reg, CWT_ABI10_PLUGIN, &err), CW_OK, "%s",
	             cw_buf_str(&err));
	cw_buf_free(&err);
	abi10 = cw_registry_plugin(reg, 0, NULL);
	return reg;
}

Test(abi, a_1_0_plugin_loads_with_its_options)
{
	cw_registry *reg = load_abi10();
	cr_expect_eq(abi10->abi_version, (uint32_t)1 << 16, "built for ABI 1.0");
	const cw_format *f = cw_registry_find_format(reg, "abi10");
	cr_assert_not_null(f);
	const char *want[] = {"italic-mark", "verbose"};
	size_t n = 0;
	for (const cw_option_spec *o = f->writer_options; o && o->name;
	     o = cw_option_spec_next(o)) {
		cr_assert_lt(n, 2);
		cr_expect_str_eq(o->name, want[n]);
		n++;
	}
	cr_expect_eq(n, 2);
	cr_expect_str_eq(f->writer_options[0].default_value, "_");
	const cw_filter *fl = cw_registry_find_filter(reg, "abi10-note");
	cr_assert_not_null(fl);
	cr_expect_str_eq(fl->options[0].name, "note");
	cw_registry_free(reg);
}

/* A record with fields of the 1.0 headers and fields added after them. */
static cw_record *newer_record(void)
{
	cw_record *rec;
	cr_assert_eq(cw_record_new(&rec), CW_OK);
	cr_assert_eq(cw_record_set_type(rec, CW_TYPE_ARTICLE_JOURNAL), CW_OK);
	cw_buf t = CW_BUF_INIT;
	cw_buf_append(&t, "On ", CW_NUL);
	cw_rich_open(&t, CW_STYLE_ITALIC);
	cw_buf_append(&t, "Drosophila", CW_NUL);
	cw_rich_close(&t, CW_STYLE_ITALIC);
	cr_assert_eq(cw_record_set_text(rec, CW_FIELD_TITLE, t.data, t.len), CW_OK);
	cw_buf_free(&t);
	cr_assert_eq(cw_record_set_text(rec, CW_FIELD_VOLUME, "12", CW_NUL), CW_OK);
	/* fields the ABI 1.0 headers do not have (ids 129 and 134) */
	cr_assert_eq(cw_record_set_text(rec, CW_FIELD_TITLE_ADDON, "Supplement", CW_NUL), CW_OK);
	cr_assert_eq(cw_record_set_text(rec, CW_FIELD_ARTICLE_TYPE, "research-article", CW_NUL),
	             CW_OK);
	return rec;
}

Test(abi, a_1_0_writer_sees_only_the_fields_it_knows)
{
	cr_assert_geq((int)CW_FIELD_ARTICLE_TYPE, 129, "the test needs a field after 1.0's");
	cw_registry *reg = load_abi10();
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	cw_ostream *o;
	cr_assert_eq(cw_ostream_open_memory(&o, "out.abi10"), CW_OK);
	cw_option opt = {"italic-mark", "*"};
	cw_writer *w;
	cr_assert_eq(cw_writer_open(&w, ctx, cw_registry_find_format(reg, "abi10"), o, &opt, 1),
	             CW_OK, "%s", cw_buf_str(&d.text));
	cw_record *rec = newer_record();
	cr_expect_eq(cw_writer_write(w, rec), CW_OK, "%s", cw_buf_str(&d.text));
	cr_expect_eq(cw_writer_finish(w), CW_OK);
	cw_writer_close(w);
	cr_expect_str_eq(cw_ostream_memory(o, NULL),
	                 "%abi10\n\ntype: article-journal\ntitle: On *Drosophila*\nvolume: 12\n");
	/* what the writer could not see is reported, as any field it drops */
	cr_expect_str_eq(cw_buf_str(&d.text),
	                 "out.abi10: warning: not carried by abi10: title-addon\n"
	                 "out.abi10: warning: not carried by abi10: article-type\n");
	cw_record_free(rec);
	cw_ostream_close(o);
	cw_context_free(ctx);
	cwt_diags_free(&d);
	cw_registry_free(reg);
}

Test(abi, a_1_0_plugin_reads_filters_and_writes_in_a_pipeline)
{
	static const char in[] = "type: book\ntitle: A \x01"
	                         "Book\x02\nvolume: 3\n\n"
	                         "type: article-journal\ntitle: Paper\npage: 1-2\n";
	cw_registry *reg = load_abi10();
	const cw_format *f = cw_registry_find_format(reg, "abi10");
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	cw_istream *is;
	cr_assert_eq(cw_istream_open_memory(&is, in, sizeof in - 1, "in.abi10"), CW_OK);
	cw_ostream *o;
	cr_assert_eq(cw_ostream_open_memory(&o, "out.abi10"), CW_OK);
	cw_pipeline *p;
	cr_assert_eq(cw_pipeline_new(&p, ctx), CW_OK);
	cw_option skip = {"skip", "volume"}, note = {"note", "checked"};
	cr_assert_eq(cw_pipeline_set_reader(p, f, is, &skip, 1), CW_OK, "%s", cw_buf_str(&d.text));
	cr_assert_eq(
	    cw_pipeline_add_filter(p, cw_registry_find_filter(reg, "abi10-note"), &note, 1), CW_OK,
	    "%s", cw_buf_str(&d.text));
	cr_assert_eq(cw_pipeline_add_writer(p, f, o, NULL, 0), CW_OK, "%s", cw_buf_str(&d.text));
	cr_expect_eq(cw_pipeline_run(p, NULL), CW_OK, "%s", cw_buf_str(&d.text));
	cw_pipeline_free(p);
	cr_expect_str_eq(cw_ostream_memory(o, NULL),
	                 "%abi10\n\ntype: book\ntitle: A _Book_\nnote: checked\n"
	                 "\ntype: article-journal\ntitle: Paper\nnote: checked\npage: 1-2\n");
	cr_expect_str_eq(cw_buf_str(&d.text), "");
	/* an option the 1.0 arrays do not declare is refused, as any */
	cw_pipeline *q;
	cr_assert_eq(cw_pipeline_new(&q, ctx), CW_OK);
	cw_option bad = {"no-such", "x"};
	cr_expect_eq(cw_pipeline_add_writer(q, f, o, &bad, 1), CW_EINVAL);
	cw_pipeline_free(q);
	cw_ostream_close(o);
	cw_istream_close(is);
	cw_context_free(ctx);
	cwt_diags_free(&d);
	cw_registry_free(reg);
}

/* --- the _known forms, with fewer ids than the library knows --- */

Test(abi, known_counts_bound_every_id_handed_out)
{
	cw_record *rec = newer_record();
	enum cw_field last = CW_FIELD_NONE;
	for (enum cw_field f = cw_record_next_field_known(rec, CW_FIELD_NONE, 129); f;
	     f = cw_record_next_field_known(rec, f, 129))
		last = f;
	cr_expect_eq(last, CW_FIELD_VOLUME, "title-addon and article-type are beyond 129");
	cr_expect_eq(cw_record_next_field_known(rec, CW_FIELD_NONE, 0), CW_FIELD_NONE);
	cr_expect_eq(cw_record_next_field(rec, CW_FIELD_VOLUME), CW_FIELD_TITLE_ADDON,
	             "the macro passes this build's count");
	cr_expect_eq(cw_record_type_known(rec, CW_TYPE_ARTICLE_JOURNAL), CW_TYPE_UNSET);
	cr_expect_eq(cw_record_type_known(rec, CW_TYPE_COUNT_), CW_TYPE_ARTICLE_JOURNAL);
	cr_expect_eq(cw_field_from_name_known("article-type", CW_NUL, 129), CW_FIELD_NONE);
	cr_expect_eq(cw_field_from_name_known("volume", CW_NUL, 129), CW_FIELD_VOLUME);
	cr_expect_eq(cw_field_from_name("article-type", CW_NUL), CW_FIELD_ARTICLE_TYPE);
	cr_expect_eq(cw_item_type_from_name_known("book", CW_NUL, CW_TYPE_BOOK), CW_TYPE_UNSET);
	cr_expect_eq(cw_item_type_from_name_known("book", CW_NUL, CW_TYPE_COUNT_), CW_TYPE_BOOK);
	enum cw_style st = CW_STYLE_COUNT_;
	int open = -1;
	cr_expect_eq(
	    cw_rich_marker_known((unsigned char)CW_RICH_MARKER_MONO, &st, &open, CW_STYLE_MONO), 0,
	    "monospace is beyond a count of 6");
	cr_expect_eq(st, CW_STYLE_COUNT_, "untouched");
	cr_expect_eq(
	    cw_rich_marker_known((unsigned char)CW_RICH_MARKER_MONO, &st, &open, CW_STYLE_COUNT_),
	    1);
	cr_expect_eq(st, CW_STYLE_MONO);
	cw_record_free(rec);
}

Test(abi, a_walker_skips_the_styles_its_user_does_not_know)
{
	/* "a<mono>b</mono><i>c</i>" walked by a user who knows six styles */
	char text[] = {'a',
	               CW_RICH_MARKER_MONO,
	               'b',
	               (char)(CW_RICH_MARKER_MONO + 1),
	               CW_RICH_MARKER_ITALIC,
	               'c',
	               (char)(CW_RICH_MARKER_ITALIC + 1),
	               '\0'};
	cw_rich_iter it = CW_RICH_ITER_INIT(text);
	it.styles = CW_STYLE_MONO;
	cw_buf got = CW_BUF_INIT;
	enum cw_rich_event ev;
	while ((ev = cw_rich_iter_next(&it)) != CW_RICH_END) {
		if (ev == CW_RICH_TEXT)
			cw_buf_append(&got, it.text, it.len);
		else
			cw_buf_printf(&got, "[%s%d]", ev == CW_RICH_OPEN ? "+" : "-",
			              (int)it.style);
	}
	cr_expect_str_eq(cw_buf_str(&got), "ab[+0]c[-0]");
	cw_buf_free(&got);
	/* a walker without struct_size (not made with CW_RICH_ITER_INIT) walks nothing */
	cw_rich_iter bare = {.p = text};
	cr_expect_eq(cw_rich_iter_next(&bare), CW_RICH_END);
}

/* ABI 1.4's cw_filter.flags: a 1.0 filter's descriptor ends before it */
Test(abi, a_1_0_filter_takes_nothing_apart)
{
	cw_registry *reg = load_abi10();
	const cw_filter *fl = cw_registry_find_filter(reg, "abi10-note");
	cr_assert_not_null(fl);
	cr_expect_lt(fl->struct_size, offsetof(cw_filter, flags) + sizeof fl->flags);
	cr_expect_eq(cw_filter_flags(fl), 0);
	cw_registry_free(reg);
}
