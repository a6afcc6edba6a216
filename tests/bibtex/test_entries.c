/*
 * How BibTeX/BibLaTeX entries become records (issue 15): entry types of
 * reference managers and biblatex styles, biblatex roles, months as people
 * write them, unparsable dates, URL fields, arXiv eprints, eid, origyear
 * and "and others" — each read, and written back by both writers. The
 * corpus files where these occur are checked too (skipped without corpus).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

typedef struct parsed {
	cw_record **recs;
	size_t n;
	cwt_diags d;
} parsed;

static void parse(parsed *p, const char *in)
{
	memset(p, 0, sizeof *p);
	p->n = cwt_read_records("bibtex", in, strlen(in), &p->recs, &p->d, NULL);
}

static void parse_file(parsed *p, const char *rel)
{
	char path[2048], dir[1024];
	CWT_CORPUS("bibtex", dir);
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	size_t len = 0;
	char *data = cwt_read_file(path, &len);
	cr_assert(data, "cannot read %s", path);
	memset(p, 0, sizeof *p);
	p->n = cwt_read_records("bibtex", data, len, &p->recs, &p->d, NULL);
	free(data);
}

static void done(parsed *p)
{
	cwt_free_records(p->recs, p->n);
	cwt_diags_free(&p->d);
}

static const cw_record *rec_of(const parsed *p, const char *id)
{
	for (size_t i = 0; i < p->n; i++) {
		const char *k = cw_record_text(p->recs[i], CW_FIELD_ID);
		if (k && strcmp(k, id) == 0)
			return p->recs[i];
	}
	cr_assert_fail("no record '%s'\n%s", id, cw_buf_str(&p->d.text));
	return NULL;
}

static const char *text(const cw_record *r, enum cw_field f)
{
	const char *t = cw_record_text(r, f);
	return t ? t : "(null)";
}

static const char *pt(const cw_record *r, const char *name)
{
	const cw_passthrough *x = cw_record_find_passthrough(r, "bibtex", name);
	return x ? x->value : "(null)";
}

static const char *nz(const char *s)
{
	return s ? s : "(null)";
}

/* Writes p's records with writer `to`, reads them back, and expects the same records. */
static char *round_trip(const parsed *p, const char *to, cwt_diags *wd)
{
	char *out = cwt_write_records(to, p->recs, p->n, wd, NULL);
	cr_assert(out, "%s writer failed", to);
	parsed b;
	parse(&b, out);
	cr_assert_eq(b.n, p->n, "%s\n%s", out, cw_buf_str(&b.d.text));
	for (size_t i = 0; i < p->n; i++) {
		cw_buf diff = CW_BUF_INIT;
		cr_expect_eq(cw_record_compare(p->recs[i], b.recs[i], &diff), 0, "%s: %s\n%s", to,
		             cw_buf_str(&diff), out);
		cw_buf_free(&diff);
	}
	done(&b);
	return out;
}

/* --- class 7: entry types ------------------------------------------------ */

static const struct {
	const char *type;
	enum cw_item_type csl;
} types[] = {
    {"web_page", CW_TYPE_WEBPAGE},
    {"book_section", CW_TYPE_CHAPTER},
    {"newspaper_article", CW_TYPE_ARTICLE_NEWSPAPER},
    {"magazine_article", CW_TYPE_ARTICLE_MAGAZINE},
    {"generic", CW_TYPE_DOCUMENT},
    {"online", CW_TYPE_WEBPAGE},
    {"webpage", CW_TYPE_WEBPAGE},
    {"software", CW_TYPE_SOFTWARE},
    {"softwareversion", CW_TYPE_SOFTWARE},
    {"dataset", CW_TYPE_DATASET},
    {"legmaterial", CW_TYPE_BILL},
    {"legadminmaterial", CW_TYPE_REGULATION},
    {"legislation", CW_TYPE_LEGISLATION},
    {"jurisdiction", CW_TYPE_LEGAL_CASE},
    {"constitution", CW_TYPE_LEGISLATION},
    {"legal", CW_TYPE_TREATY},
    {"talk", CW_TYPE_SPEECH},
    {"presentation", CW_TYPE_SPEECH},
    {"video", CW_TYPE_MOTION_PICTURE},
    {"movie", CW_TYPE_MOTION_PICTURE},
    {"audio", CW_TYPE_SONG},
};

Test(bibtex_entries, types_from_the_wild)
{
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		char in[256];
		snprintf(in, sizeof in, "@%s{k, title = {T}, number = {H.R. 1}, year = 2001}",
		         types[i].type);
		parsed p;
		parse(&p, in);
		cr_assert_eq(p.n, 1, "%s", in);
		cr_expect_eq(cw_record_type(p.recs[0]), types[i].csl, "@%s read as %s",
		             types[i].type, cw_item_type_name(cw_record_type(p.recs[0])));
		cr_expect_null(strstr(cw_buf_str(&p.d.text), "unknown entry type"), "@%s: %s",
		               types[i].type, cw_buf_str(&p.d.text));
		cwt_diags wd = {0};
		char *out = round_trip(&p, "biblatex", &wd);
		char head[64];
		snprintf(head, sizeof head, "@%s{", types[i].type);
		cr_expect(strstr(out, head), "BibLaTeX writes @%s back:\n%s", types[i].type, out);
		free(out);
		cwt_diags_free(&wd);
		done(&p);
	}
}

Test(bibtex_entries, legal_types_keep_their_number)
{
	parsed p;
	parse(&p, "@legmaterial{a, title = {A bill}, number = {H.R. 3763}, year = 2002}\n"
	          "@legislation{b, title = {An act}, number = {107-204}, year = 2002}\n"
	          "@jurisdiction{c, title = {A case}, number = {02-1}, year = 2003}\n");
	cr_assert_eq(p.n, 3);
	cr_expect_str_eq(text(rec_of(&p, "a"), CW_FIELD_NUMBER), "H.R. 3763");
	cr_expect_str_eq(text(rec_of(&p, "b"), CW_FIELD_NUMBER), "107-204");
	cr_expect_str_eq(text(rec_of(&p, "c"), CW_FIELD_NUMBER), "02-1");
	done(&p);
}

/* --- class 8: roles ------------------------------------------------------ */

static const struct {
	const char *fields;  /* the name fields of a @book */
	enum cw_field field; /* CW_FIELD_NONE: kept as passthrough, type field and all */
	const char *role;    /* the role word kept with the name, or NULL */
} roles[] = {
    {"editor = {X, A}", CW_FIELD_EDITOR, NULL},
    {"editor = {X, A}, editortype = {editor}", CW_FIELD_EDITOR, NULL},
    {"editor = {X, A}, editortype = {compiler}", CW_FIELD_COMPILER, NULL},
    {"editor = {X, A}, editortype = {Director}", CW_FIELD_DIRECTOR, NULL},
    {"editor = {X, A}, editortype = {organizer}", CW_FIELD_ORGANIZER, NULL},
    {"editor = {X, A}, editortype = {collaborator}", CW_FIELD_CONTRIBUTOR, "collaborator"},
    {"editora = {X, A}", CW_FIELD_EDITOR, NULL},
    {"editorb = {X, A}, editorbtype = {compiler}", CW_FIELD_COMPILER, NULL},
    {"editorc = {X, A}, editorctype = {collaborator}", CW_FIELD_CONTRIBUTOR, "collaborator"},
    {"director = {X, A}", CW_FIELD_DIRECTOR, NULL},
    {"translator = {X, A}", CW_FIELD_TRANSLATOR, NULL},
    /* roles CSL has no variable for */
    {"editor = {X, A}, editortype = {founder}", CW_FIELD_NONE, NULL},
    {"editor = {X, A}, editortype = {continuator}", CW_FIELD_NONE, NULL},
    {"editora = {X, A}, editoratype = {redactor}", CW_FIELD_NONE, NULL},
    {"editorc = {X, A}, editorctype = {reviser}", CW_FIELD_NONE, NULL},
    {"editor = {X, A}, editortype = {producer}", CW_FIELD_NONE, NULL},
    {"annotator = {X, A}", CW_FIELD_NONE, NULL},
    {"commentator = {X, A}", CW_FIELD_NONE, NULL},
    {"introduction = {X, A}", CW_FIELD_NONE, NULL},
    {"foreword = {X, A}", CW_FIELD_NONE, NULL},
    {"afterword = {X, A}", CW_FIELD_NONE, NULL},
};

Test(bibtex_entries, roles)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		char in[256];
		snprintf(in, sizeof in, "@book{k, title = {T}, year = 2000, %s}", roles[i].fields);
		parsed p;
		parse(&p, in);
		cr_assert_eq(p.n, 1, "%s", in);
		const cw_record *r = p.recs[0];
		size_t names = 0;
		for (int f = 1; f < CW_FIELD_COUNT_; f++)
			if (cw_field_kind((enum cw_field)f) == CW_KIND_NAMES)
				names += cw_record_name_count(r, (enum cw_field)f);
		if (roles[i].field == CW_FIELD_NONE) {
			/* the name field and its type field both kept, as written */
			cr_expect_eq(names, 0, "%s", in);
			char name[32];
			snprintf(name, sizeof name, "%.*s", (int)strcspn(roles[i].fields, " "),
			         roles[i].fields);
			cr_expect_str_eq(pt(r, name), "X, A", "%s", in);
			if (strchr(roles[i].fields, ',') != strrchr(roles[i].fields, ','))
				cr_expect_eq(cw_record_passthrough_count(r), 2, "%s", in);
		} else {
			cr_expect_eq(names, 1, "%s", in);
			cr_expect_eq(cw_record_name_count(r, roles[i].field), 1, "%s: no %s", in,
			             cw_field_name(roles[i].field));
			const cw_name *n = cw_record_name(r, roles[i].field, 0);
			if (n) {
				cr_expect_str_eq(nz(n->family), "X", "%s", in);
				cr_expect_str_eq(nz(n->role), nz(roles[i].role), "%s", in);
			}
			/* the type field is read with its names, not kept beside them */
			cr_expect_eq(cw_record_passthrough_count(r), 0, "%s", in);
		}
		cwt_diags wd = {0};
		free(round_trip(&p, "biblatex", &wd));
		cr_expect_null(strstr(cw_buf_str(&wd.text), "not carried"), "%s: %s", in,
		               cw_buf_str(&wd.text));
		cwt_diags_free(&wd);
		done(&p);
	}
}

Test(bibtex_entries, several_roles_write_back_to_their_fields)
{
	parsed p;
	parse(&p, "@book{k, title = {T}, year = 2000, editor = {Ed, A}, "
	          "editora = {Red, B and Act, C}, editoratype = {redactor}, editorb = {Com, D}, "
	          "editorbtype = {compiler}, editorc = {Dir, E}, editorctype = {director}, "
	          "annotator = {Ann, F and others}}");
	cr_assert_eq(p.n, 1);
	const cw_record *r = p.recs[0];
	cr_expect_eq(cw_record_name_count(r, CW_FIELD_EDITOR), 1);
	cr_expect_eq(cw_record_name_count(r, CW_FIELD_COMPILER), 1);
	cr_expect_eq(cw_record_name_count(r, CW_FIELD_DIRECTOR), 1);
	cr_expect_str_eq(pt(r, "editora"), "Red, B and Act, C");
	cwt_diags wd = {0};
	char *out = round_trip(&p, "biblatex", &wd);
	cr_expect(strstr(out, "editor = {Ed, A}"), "%s", out);
	/* editora is kept as written: compiler and director take the next free fields */
	cr_expect(strstr(out, "editorb = {Com, D},\n  editorbtype = {compiler}"), "%s", out);
	cr_expect(strstr(out, "editorc = {Dir, E},\n  editorctype = {director}"), "%s", out);
	cr_expect(strstr(out, "editora = {Red, B and Act, C}"), "%s", out);
	cr_expect(strstr(out, "editoratype = {redactor}"), "%s", out);
	cr_expect(strstr(out, "annotator = {Ann, F and others}"), "%s", out);
	cr_expect_null(strstr(cw_buf_str(&wd.text), "not carried"), "%s", cw_buf_str(&wd.text));
	free(out);
	cwt_diags_free(&wd);
	/* BibTeX has no editortype: a director field, and what it cannot say is reported */
	out = cwt_write_records("bibtex", p.recs, p.n, &wd, NULL);
	cr_assert(out);
	cr_expect(strstr(cw_buf_str(&wd.text), "compiler"), "%s", cw_buf_str(&wd.text));
	cr_expect(strstr(out, "director = {Dir, E}"), "%s", out);
	free(out);
	cwt_diags_free(&wd);
	done(&p);
}

Test(bibtex_entries, roles_beyond_the_four_editor_fields_are_reported)
{
	parsed p;
	parse(&p,
	      "@book{k, title = {T}, editor = {A, A}, editora = {B, B}, editoratype = {compiler}, "
	      "editorb = {C, C}, editorbtype = {director}, editorc = {D, D}, "
	      "editorctype = {organizer}}\n");
	cr_assert_eq(p.n, 1);
	/* a fifth role, and one no row knows, as a CSL-JSON record could have them */
	cw_name n = CW_NAME_INIT;
	n.family = "E";
	cr_assert_eq(cw_record_add_name(p.recs[0], CW_FIELD_CONTRIBUTOR, &n), CW_OK);
	n.family = "F";
	n.role = "founder";
	cr_assert_eq(cw_record_add_name(p.recs[0], CW_FIELD_CONTRIBUTOR, &n), CW_OK);
	cwt_diags wd = {0};
	char *out = cwt_write_records("biblatex", p.recs, p.n, &wd, NULL);
	cr_assert(out);
	cr_expect(strstr(cw_buf_str(&wd.text), "'collaborator' (editor, editora"), "%s",
	          cw_buf_str(&wd.text));
	cr_expect(strstr(cw_buf_str(&wd.text), "'founder'"), "%s", cw_buf_str(&wd.text));
	free(out);
	cwt_diags_free(&wd);
	done(&p);
}

Test(bibtex_entries, csl_roles_are_written_as_editortype)
{
	/* records of other formats: a director and a contributor without a role */
	cw_record *r = NULL;
	cr_assert_eq(cw_record_new(&r), CW_OK);
	cw_record_set_type(r, CW_TYPE_BOOK);
	cw_record_set_text(r, CW_FIELD_TITLE, "Film", CW_NUL);
	cw_name n = CW_NAME_INIT;
	n.family = "Forman";
	n.given = "Miloš";
	cw_record_add_name(r, CW_FIELD_DIRECTOR, &n);
	n.family = "Helper";
	n.given = "Hal";
	cw_record_add_name(r, CW_FIELD_CONTRIBUTOR, &n);
	cwt_diags wd = {0};
	char *out = cwt_write_records("biblatex", &r, 1, &wd, NULL);
	cr_assert(out);
	cr_expect(strstr(out, "editor = {Forman, Miloš},\n  editortype = {director}"), "%s", out);
	cr_expect(strstr(out, "editora = {Helper, Hal},\n  editoratype = {collaborator}"), "%s",
	          out);
	free(out);
	cwt_diags_free(&wd);
	cw_record_free(r);
}

/* --- class 12: months ---------------------------------------------------- */

static const struct {
	const char *month; /* the month field as written, with year = 2008 */
	int m1, d1, m2, d2, y2;
} months[] = {
    {"aug", 8, 0, 0, 0, 0},
    {"{8}", 8, 0, 0, 0, 0},
    {"{08}", 8, 0, 0, 0, 0},
    {"{Sept.}", 9, 0, 0, 0, 0},
    {"aug # \"~13\"", 8, 13, 0, 0, 0},
    {"{OCT 1}", 10, 1, 0, 0, 0},
    {"{2 sep}", 9, 2, 0, 0, 0},
    {"{July 30th}", 7, 30, 0, 0, 0},
    {"\"10~\" # jan", 1, 10, 0, 0, 0},
    {"{September/October}", 9, 0, 10, 0, 2008},
    {"apr # \"-\" # may", 4, 0, 5, 0, 2008},
    {"{Nov, Dec}", 11, 0, 12, 0, 2008},
    {"{September 22 - 26}", 9, 22, 9, 26, 2008},
    {"{Sep 30 -- Oct 2}", 9, 30, 10, 2, 2008},
    {"{Dec/Jan}", 12, 0, 1, 0, 2009},
    {"{Spring}", 21, 0, 0, 0, 0},
    {"{Fall}", 23, 0, 0, 0, 0},
};

Test(bibtex_entries, months_as_people_write_them)
{
	for (size_t i = 0; i < sizeof months / sizeof months[0]; i++) {
		char in[256];
		snprintf(in, sizeof in,
		         "@article{k, author = {Doe, Jo}, title = {T}, journal = {J}, year = 2008, "
		         "month = %s}",
		         months[i].month);
		parsed p;
		parse(&p, in);
		cr_assert_eq(p.n, 1, "%s", in);
		const cw_date *d = cw_record_date(p.recs[0], CW_FIELD_ISSUED);
		cr_assert(d, "%s", in);
		cr_expect_eq(d->year, 2008, "%s", in);
		cr_expect_eq(d->month, months[i].m1, "%s: month %d", in, d->month);
		cr_expect_eq(d->day, months[i].d1, "%s: day %d", in, d->day);
		cr_expect_eq(d->parts, months[i].d1 ? 3 : 2, "%s", in);
		cr_expect_eq(d->end_month, months[i].m2, "%s: end month %d", in, d->end_month);
		cr_expect_eq(d->end_day, months[i].d2, "%s: end day %d", in, d->end_day);
		if (months[i].m2)
			cr_expect_eq(d->end_year, months[i].y2, "%s", in);
		cr_expect_str_eq(pt(p.recs[0], "month"), "(null)", "%s", in);
		cr_expect_eq(cwt_diags_count(&p.d, CW_SEV_WARNING), 0, "%s: %s", in,
		             cw_buf_str(&p.d.text));
		cwt_diags wd = {0};
		free(round_trip(&p, "biblatex", &wd));
		free(round_trip(&p, "bibtex", &wd));
		cwt_diags_free(&wd);
		done(&p);
	}
}

static const char *const not_months[] = {"{14}",     "{WRONG FORMAT}", "{unknown}",  "{Sep 26-22}",
                                         "{Feb 30}", "{May 2001}",     "{Spring 3}", "{-}"};

Test(bibtex_entries, what_is_not_a_month_is_kept_and_reported)
{
	for (size_t i = 0; i < sizeof not_months / sizeof not_months[0]; i++) {
		char in[256];
		snprintf(in, sizeof in,
		         "@article{k, title = {T}, journal = {J}, year = 2008, month = %s}",
		         not_months[i]);
		parsed p;
		parse(&p, in);
		cr_assert_eq(p.n, 1, "%s", in);
		const cw_date *d = cw_record_date(p.recs[0], CW_FIELD_ISSUED);
		cr_assert(d, "%s", in);
		cr_expect_eq(d->parts, 1, "%s", in);
		cr_expect_neq(strcmp(pt(p.recs[0], "month"), "(null)"), 0, "%s", in);
		cr_expect(strstr(cw_buf_str(&p.d.text), "month"), "%s: not reported", in);
		done(&p);
	}
	/* a month with no year, or with a range of years, is also reported */
	parsed p;
	parse(&p, "@misc{a, month = aug}\n@misc{b, year = {1990--1992}, month = aug}\n");
	cr_assert_eq(p.n, 2);
	cr_expect_str_eq(pt(rec_of(&p, "a"), "month"), "August");
	cr_expect_str_eq(pt(rec_of(&p, "b"), "month"), "August");
	cr_expect_eq(cwt_diags_count(&p.d, CW_SEV_WARNING), 2, "%s", cw_buf_str(&p.d.text));
	done(&p);
}

Test(bibtex_entries, day_field_and_date_field)
{
	parsed p;
	parse(&p, "@misc{a, year = 2001, month = mar, day = 5}\n"
	          "@misc{b, date = {2001-03-05}, year = 2001, month = mar}\n"
	          "@misc{c, date = {2001-03-05}, month = apr}\n");
	cr_assert_eq(p.n, 3);
	const cw_date *d = cw_record_date(rec_of(&p, "a"), CW_FIELD_ISSUED);
	cr_expect_eq(d->parts, 3);
	cr_expect_eq(d->day, 5);
	/* year and month agreeing with date say nothing more */
	cr_expect_eq(cw_record_passthrough_count(rec_of(&p, "b")), 0);
	/* a month that does not agree is kept, and said */
	cr_expect_str_eq(pt(rec_of(&p, "c"), "month"), "April");
	cr_expect(strstr(cw_buf_str(&p.d.text), "does not agree with date"), "%s",
	          cw_buf_str(&p.d.text));
	done(&p);
}

/* --- class 15: dates, URLs, arXiv, origyear, and others ------------------ */

Test(bibtex_entries, unparsable_date_falls_back_to_year_and_month)
{
	parsed p;
	parse(
	    &p,
	    "@article{a, author = {Doe, Jo}, title = {T}, journal = {J}, date = {Summer of 99}, "
	    "year = 1999, "
	    "month = jul}\n"
	    "@article{b, author = {Doe, Jo}, title = {T}, journal = {J}, date = {Summer of 99}}\n");
	cr_assert_eq(p.n, 2);
	const cw_date *d = cw_record_date(rec_of(&p, "a"), CW_FIELD_ISSUED);
	cr_expect_eq(d->parts, 2);
	cr_expect_eq(d->year, 1999);
	cr_expect_eq(d->month, 7);
	cr_expect_null(d->literal);
	cr_expect_str_eq(pt(rec_of(&p, "a"), "date"), "Summer of 99");
	cr_expect(strstr(cw_buf_str(&p.d.text), "taken from year and month"), "%s",
	          cw_buf_str(&p.d.text));
	/* without a year there is only the text */
	d = cw_record_date(rec_of(&p, "b"), CW_FIELD_ISSUED);
	cr_expect_str_eq(nz(d->literal), "Summer of 99");
	cwt_diags wd = {0};
	free(round_trip(&p, "bibtex", &wd));
	cwt_diags_free(&wd);
	done(&p);
}

Test(bibtex_entries, url_fields_hold_one_url)
{
	parsed p;
	parse(&p,
	      "@misc{a, url = {https://example.org/a/very/long/\n     path/file.pdf}}\n"
	      "@misc{b, url = {https://example.org/one https://mirror.example.org/two}, "
	      "note = {A note}}\n"
	      "@misc{c, url = {\\url{https://example.org/x_y}}}\n"
	      "@misc{d, url = {https://example.org/my file.pdf}}\n"
	      "@misc{e, url = {https://example.org/one\n  https://example.org/two}}\n"
	      "@misc{f, url = {https://example.org/f}, howpublished = {https://example.org/f}}\n");
	cr_assert_eq(p.n, 6);
	/* a URL in howpublished beside url is no publisher */
	cr_expect_str_eq(text(rec_of(&p, "f"), CW_FIELD_PUBLISHER), "(null)");
	cr_expect_str_eq(pt(rec_of(&p, "f"), "howpublished"), "https://example.org/f");
	cr_expect_str_eq(text(rec_of(&p, "a"), CW_FIELD_URL),
	                 "https://example.org/a/very/long/path/file.pdf");
	cr_expect_str_eq(text(rec_of(&p, "a"), CW_FIELD_NOTE), "(null)");
	cr_expect_str_eq(text(rec_of(&p, "b"), CW_FIELD_URL), "https://example.org/one");
	cr_expect_str_eq(text(rec_of(&p, "b"), CW_FIELD_NOTE),
	                 "A note; https://mirror.example.org/two");
	cr_expect_str_eq(text(rec_of(&p, "c"), CW_FIELD_URL), "https://example.org/x_y");
	cr_expect_str_eq(text(rec_of(&p, "d"), CW_FIELD_URL), "https://example.org/my");
	cr_expect_str_eq(text(rec_of(&p, "d"), CW_FIELD_NOTE), "file.pdf");
	cr_expect_str_eq(text(rec_of(&p, "e"), CW_FIELD_URL), "https://example.org/one");
	cr_expect_str_eq(text(rec_of(&p, "e"), CW_FIELD_NOTE), "https://example.org/two");
	for (size_t i = 0; i < p.n; i++) {
		const char *u = cw_record_text(p.recs[i], CW_FIELD_URL);
		cr_expect_null(strpbrk(u, " \t\r\n"), "'%s'", u);
	}
	cwt_diags wd = {0};
	free(round_trip(&p, "biblatex", &wd));
	cwt_diags_free(&wd);
	done(&p);
}

Test(bibtex_entries, arxiv_eprints)
{
	parsed p;
	parse(&p,
	      "@online{a, title = {P}, date = 2021, eprint = {2101.00001}, eprinttype = {arxiv}}\n"
	      "@misc{b, title = {P}, year = 2021, eprint = {hep-th/9603067}, "
	      "archiveprefix = {arXiv}, url = {https://example.org/b}}\n"
	      "@article{c, title = {P}, journal = {J}, year = 2004, number = 3, "
	      "eprint = {math/0307200v3}, eprinttype = {arxiv}}\n"
	      "@report{d, title = {P}, year = 2021, number = {TR-1}, eprint = {2101.00002}, "
	      "eprinttype = {arxiv}}\n"
	      "@online{e, title = {P}, date = 2019, eprint = {arXiv:1902.07120}, "
	      "eprinttype = {arxiv}}\n");
	cr_assert_eq(p.n, 5);
	/* the id is the bare id, whatever prefix the file wrote */
	cr_expect_str_eq(text(rec_of(&p, "e"), CW_FIELD_ARXIV), "1902.07120");
	cr_expect_str_eq(text(rec_of(&p, "e"), CW_FIELD_NUMBER), "arXiv:1902.07120");
	const cw_record *a = rec_of(&p, "a");
	cr_expect_str_eq(text(a, CW_FIELD_ARXIV), "2101.00001");
	cr_expect_str_eq(text(a, CW_FIELD_NUMBER), "arXiv:2101.00001");
	cr_expect_str_eq(text(a, CW_FIELD_ARCHIVE), "arXiv");
	cr_expect_str_eq(text(a, CW_FIELD_URL), "https://arxiv.org/abs/2101.00001");
	const cw_record *b = rec_of(&p, "b");
	cr_expect_str_eq(text(b, CW_FIELD_NUMBER), "arXiv:hep-th/9603067");
	cr_expect_str_eq(text(b, CW_FIELD_URL), "https://example.org/b");
	/* a journal article: the link only (no "Article arXiv:..." in APA) */
	const cw_record *c = rec_of(&p, "c");
	cr_expect_str_eq(text(c, CW_FIELD_ISSUE), "3");
	cr_expect_str_eq(text(c, CW_FIELD_NUMBER), "(null)");
	cr_expect_str_eq(text(c, CW_FIELD_ARCHIVE), "(null)");
	cr_expect_str_eq(text(c, CW_FIELD_URL), "https://arxiv.org/abs/math/0307200v3");
	/* a number of its own stays */
	cr_expect_str_eq(text(rec_of(&p, "d"), CW_FIELD_NUMBER), "TR-1");
	/* the writers give back the eprint, not what was derived from it */
	const char *const writers[] = {"biblatex", "bibtex"};
	for (size_t w = 0; w < 2; w++) {
		cwt_diags wd = {0};
		/* BibTeX has no @online or @report: only BibLaTeX gives the same records back */
		char *out = w == 0 ? round_trip(&p, writers[w], &wd)
		                   : cwt_write_records(writers[w], p.recs, p.n, &wd, NULL);
		cr_assert(out);
		cr_expect(strstr(out, "eprint = {2101.00001}"), "%s", out);
		cr_expect_null(strstr(out, "arXiv:"), "%s", out);
		cr_expect_null(strstr(out, "arxiv.org"), "%s", out);
		cr_expect_null(strstr(cw_buf_str(&wd.text), "archive"), "%s", cw_buf_str(&wd.text));
		free(out);
		cwt_diags_free(&wd);
	}
	done(&p);
}

Test(bibtex_entries, eid_is_the_article_number)
{
	parsed p;
	parse(&p, "@article{a, author = {Doe, Jo}, title = {T}, journaltitle = {J}, date = 2010, "
	          "eid = {e1234}}");
	cr_assert_eq(p.n, 1);
	cr_expect_str_eq(text(p.recs[0], CW_FIELD_ARTICLE_NUMBER), "e1234");
	cr_expect_str_eq(pt(p.recs[0], "eid"), "(null)");
	const char *const writers[] = {"biblatex", "bibtex"};
	for (size_t w = 0; w < 2; w++) {
		cwt_diags wd = {0};
		char *out = round_trip(&p, writers[w], &wd);
		cr_expect(strstr(out, "eid = {e1234}"), "%s", out);
		free(out);
		cwt_diags_free(&wd);
	}
	done(&p);
}

/* biblatex prints a type, series or pubstate that is a localisation key as its words */
Test(bibtex_entries, localisation_keys_are_words)
{
	parsed p;
	parse(&p, "@report{a, title = {T}, type = {resreport}, series = {newseries}, "
	          "pubstate = {inpress}, institution = {I}, date = 2000}\n"
	          "@patent{b, title = {T}, type = {patentus}, date = 2001}\n"
	          "@report{c, title = {T}, type = {Internal memo}, series = {Working papers}, "
	          "institution = {I}, date = 2000}\n"
	          "@article{d, title = {T}, journaltitle = {J}, series = 3, date = 2000}\n"
	          "@article{e, title = {T}, journaltitle = {J}, series = {12}, date = 2000}");
	cr_assert_eq(p.n, 5, "%s", cw_buf_str(&p.d.text));
	/* a journal's numbered series, as biblatex prints it */
	cr_expect_str_eq(text(p.recs[3], CW_FIELD_COLLECTION_TITLE), "3rd series");
	cr_expect_str_eq(text(p.recs[4], CW_FIELD_COLLECTION_TITLE), "12th series");
	cr_expect_str_eq(text(p.recs[0], CW_FIELD_GENRE), "research report");
	cr_expect_str_eq(text(p.recs[0], CW_FIELD_COLLECTION_TITLE), "New series");
	cr_expect_str_eq(text(p.recs[0], CW_FIELD_STATUS), "in press");
	cr_expect_str_eq(text(p.recs[1], CW_FIELD_GENRE), "U.S. patent");
	/* anything else is the entry's own words */
	cr_expect_str_eq(text(p.recs[2], CW_FIELD_GENRE), "Internal memo");
	cr_expect_str_eq(text(p.recs[2], CW_FIELD_COLLECTION_TITLE), "Working papers");
	/* written back as the keys, which biblatex prints the same and which read back the same */
	cwt_diags wd = {0};
	char *out = round_trip(&p, "biblatex", &wd);
	cr_expect(strstr(out, "type = {resreport}"), "%s", out);
	cr_expect(strstr(out, "series = {newseries}"), "%s", out);
	cr_expect(strstr(out, "pubstate = {inpress}"), "%s", out);
	cr_expect(strstr(out, "type = {Internal memo}"), "%s", out);
	cr_expect(strstr(out, "series = {3}"), "%s", out);
	free(out);
	cwt_diags_free(&wd);
	done(&p);
}

Test(bibtex_entries, origyear_and_origdate_are_the_original_date)
{
	parsed p;
	parse(&p, "@book{a, title = {T}, year = 1997, origyear = 1959}\n"
	          "@book{b, title = {T}, date = 1997, origdate = {1959-04}}\n");
	cr_assert_eq(p.n, 2);
	const cw_date *d = cw_record_date(rec_of(&p, "a"), CW_FIELD_ORIGINAL_DATE);
	cr_assert(d);
	cr_expect_eq(d->year, 1959);
	d = cw_record_date(rec_of(&p, "b"), CW_FIELD_ORIGINAL_DATE);
	cr_assert(d);
	cr_expect_eq(d->month, 4);
	cwt_diags wd = {0};
	char *out = round_trip(&p, "biblatex", &wd);
	cr_expect(strstr(out, "origdate = {1959}"), "%s", out);
	free(out);
	cwt_diags_free(&wd);
	done(&p);
}

Test(bibtex_entries, and_others_ends_the_name_list)
{
	parsed p;
	parse(&p, "@article{a, title = {T}, journal = {J}, year = 2000, "
	          "author = {Smith, John and Doe, Jane and others}}");
	cr_assert_eq(p.n, 1);
	cr_assert_eq(cw_record_name_count(p.recs[0], CW_FIELD_AUTHOR), 3);
	const cw_name *n = cw_record_name(p.recs[0], CW_FIELD_AUTHOR, 2);
	cr_expect(n->flags & CW_NAME_ETAL);
	cr_expect_null(n->family);
	cr_expect_null(n->literal);
	const char *const writers[] = {"biblatex", "bibtex"};
	for (size_t w = 0; w < 2; w++) {
		cwt_diags wd = {0};
		char *out = round_trip(&p, writers[w], &wd);
		cr_expect(strstr(out, "Doe, Jane and others}"), "%s", out);
		free(out);
		cwt_diags_free(&wd);
	}
	done(&p);
}

/* --- the corpus files where these occur ------------------------------------ */

Test(bibtex_entries_corpus, types)
{
	static const struct {
		const char *file, *id;
		enum cw_item_type type;
	} cases[] = {
	    {"better-bibtex/import-software-related-biblatex-entries-1544.bib",
	     "delebecque:hal-02090402v1", CW_TYPE_SOFTWARE},
	    {"better-bibtex/accessDate-must-be-ISO-date-2376.bib", "r42", CW_TYPE_WEBPAGE},
	    {"better-bibtex/Import-Jabref-fileDirectory-unexpected-reference-type-1058.bib",
	     "Afonso2011", CW_TYPE_SPEECH},
	    {"better-bibtex/Improve-import-of-films-1837.bib", "Marka.S:2011movie",
	     CW_TYPE_MOTION_PICTURE},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		parsed p;
		parse_file(&p, cases[i].file);
		cr_expect_eq(cw_record_type(rec_of(&p, cases[i].id)), cases[i].type, "%s %s",
		             cases[i].file, cases[i].id);
		done(&p);
	}
}

Test(bibtex_entries_corpus, roles)
{
	static const struct {
		const char *file, *id;
		enum cw_field field; /* CW_FIELD_NONE: the field stays passthrough */
		const char *kept;
	} cases[] = {
	    {"better-bibtex/Film-references-do-not-export-properly-for-APA-formating-2494.bib",
	     "formanOneFlewCuckoo1975", CW_FIELD_DIRECTOR, NULL},
	    {"better-bibtex/Improve-import-of-films-1837.bib", "Marka.S:2011video",
	     CW_FIELD_DIRECTOR, NULL},
	    {"pandoc/biblatex-jaffe.bib", "jaffe", CW_FIELD_NONE, "editora"},
	    {"pandoc/biblatex-iliad.bib", "iliad", CW_FIELD_NONE, "introduction"},
	    {"pandoc/biblatex-cicero.bib", "cicero", CW_FIELD_NONE, "afterword"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		parsed p;
		parse_file(&p, cases[i].file);
		const cw_record *r = rec_of(&p, cases[i].id);
		if (cases[i].field != CW_FIELD_NONE) {
			cr_expect_eq(cw_record_name_count(r, cases[i].field), 1, "%s", cases[i].id);
			cr_expect_eq(cw_record_name_count(r, CW_FIELD_EDITOR), 0, "%s",
			             cases[i].id);
			cr_expect_str_eq(pt(r, "editortype"), "(null)", "%s", cases[i].id);
		} else {
			cr_expect_neq(strcmp(pt(r, cases[i].kept), "(null)"), 0, "%s", cases[i].id);
			cr_expect_eq(cw_record_name_count(r, CW_FIELD_CONTRIBUTOR), 0, "%s",
			             cases[i].id);
		}
		done(&p);
	}
}

Test(bibtex_entries_corpus, dates_and_identifiers)
{
	parsed p;
	parse_file(&p, "citation-js/mapping-biblatex-input.bib");
	const cw_date *d = cw_record_date(rec_of(&p, "sarbanes:act"), CW_FIELD_ISSUED);
	cr_expect(d && d->parts == 3 && d->month == 7 && d->day == 30);
	d = cw_record_date(rec_of(&p, "radboud:manual"), CW_FIELD_ISSUED);
	cr_expect(d && d->parts == 3 && d->month == 9 && d->day == 2);
	done(&p);
	parse_file(&p, "bibtex-tidy/others/example.bib");
	d = cw_record_date(rec_of(&p, "manual-full"), CW_FIELD_ISSUED);
	cr_expect(d && d->month == 4 && d->end_month == 5, "April-May");
	d = cw_record_date(rec_of(&p, "inbook-full"), CW_FIELD_ISSUED);
	cr_expect(d && d->month == 1 && d->day == 10, "10~jan");
	d = cw_record_date(rec_of(&p, "unpublished-full"), CW_FIELD_ISSUED);
	cr_expect(d && d->month == 11 && d->end_month == 12, "nov, dec");
	done(&p);
	parse_file(&p, "pandoc/biblatex-kullback-reprint.bib");
	d = cw_record_date(rec_of(&p, "kullback:reprint"), CW_FIELD_ORIGINAL_DATE);
	cr_expect(d && d->year == 1959);
	done(&p);
	parse_file(&p, "pandoc/biblatex-kastenholz.bib");
	cr_expect_neq(strcmp(text(rec_of(&p, "kastenholz"), CW_FIELD_ARTICLE_NUMBER), "(null)"), 0);
	done(&p);
	parse_file(&p, "pandoc/biblatex-itzhaki.bib");
	cr_expect_str_eq(text(rec_of(&p, "itzhaki"), CW_FIELD_NUMBER), "arXiv:hep-th/9603067");
	cr_expect_str_eq(text(rec_of(&p, "itzhaki"), CW_FIELD_URL),
	                 "https://arxiv.org/abs/hep-th/9603067");
	done(&p);
}
