/*
 * Macros a file defines in its @preamble (\newcommand, \providecommand,
 * \renewcommand, \def with parameters, \let, \@ifundefined, \ifx) expanded
 * when the values after it are decoded; bombs, loops and broken
 * definitions are bounded and located.
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

static void done(parsed *p)
{
	cwt_free_records(p->recs, p->n);
	cwt_diags_free(&p->d);
}

static const char *text(const parsed *p, size_t i, enum cw_field f)
{
	cr_assert_lt(i, p->n, "record %zu missing\n%s", i, cw_buf_str(&p->d.text));
	const char *t = cw_record_text(p->recs[i], f);
	return t ? t : "(null)";
}

/* definitions in a preamble, one title to decode, the title expected */
typedef struct macro_case {
	const char *preamble, *title, *want;
} macro_case;

static const macro_case cases[] = {
    /* the forms of definition */
    {"\\newcommand{\\TUB}{TUGboat}", "\\TUB", "TUGboat"},
    /* braces around the call protect what it gives, as BibTeX reads {\TUB} */
    {"\\newcommand\\TUB{TUGboat}", "{\\TUB} News", "\x0eTUGboat\x0f News"},
    {"\\newcommand*{\\TUB}{TUGboat}", "\\TUB{} News", "TUGboat News"},
    {"\\providecommand{\\TUB}{TUGboat}", "\\TUB", "TUGboat"},
    {"\\def\\TUB{TUGboat}", "\\TUB", "TUGboat"},
    {"\\gdef\\TUB{TUGboat}", "\\TUB", "TUGboat"},
    {"\\DeclareRobustCommand{\\TUB}{TUGboat}", "\\TUB", "TUGboat"},
    {"\\newcommand{\\TUB}{X}\\renewcommand{\\TUB}{TUGboat}", "\\TUB", "TUGboat"},
    {"\\newcommand{\\TUB}{TUGboat}\\providecommand{\\TUB}{X}", "\\TUB", "TUGboat"},
    /* TeX skips the blanks after a control word */
    {"\\def\\TUB{TUGboat}", "\\TUB is", "TUGboatis"},
    /* parameters */
    {"\\newcommand{\\two}[2]{#2 and #1}", "\\two{x}{y}", "y and x"},
    {"\\newcommand{\\two}[2]{#2#1}", "\\two ab", "ba"},
    {"\\def\\acro#1{\\textsc{#1}}", "\\acro{NASA}", "\x0bNASA\x0c"},
    {"\\def\\nine#1#2#3#4#5#6#7#8#9{#9#8#7#6#5#4#3#2#1}", "\\nine123456789", "987654321"},
    {"\\newcommand{\\opt}[2][def]{#1-#2}", "\\opt{b} \\opt[a]{b}", "def-b a-b"},
    {"\\newcommand{\\hash}{a##b}", "\\hash", "a#b"},
    {"\\def\\sep#1{#1x}", "\\sep\\TeX", "TeXx"},
    /* macros calling macros and the decoder's commands */
    {"\\def\\ACS{Am.~Chem. Soc.}\\def\\jacs{J. \\ACS}", "\\jacs",
     "J. Am.\xc2\xa0"
     "Chem. Soc."},
    {"\\let\\bold\\textbf", "\\bold{b}",
     "\x03"
     "b\x04"},
    {"\\let\\bold=\\textbf", "\\bold{b}",
     "\x03"
     "b\x04"},
    {"\\def\\x{\\textbf}", "\\x{b}c",
     "\x03"
     "b\x04"
     "c"},
    {"\\def\\ya{Y}\\let\\yb\\ya\\def\\ya{Z}", "\\yb\\ya", "YZ"},
    {"\\makeatletter\\def\\ref@jnl#1{#1}\\newcommand\\jx{\\ref@jnl{JX}}\\makeatother", "\\jx",
     "JX"},
    {"\\newcommand{\\emdashx}{---}", "a\\emdashx{}b", "a—b"},
    /* the file's text symbols win over the decoder's, its commands do not */
    {"\\renewcommand{\\apj}{Astrophys.~J.}", "\\apj", "Astrophys.\xc2\xa0J."},
    {"\\renewcommand{\\emph}[1]{#1!}", "\\emph{e}",
     "\x01"
     "e\x02"},
    {"\\newcommand{\\noopsort}[1]{#1}", "\\noopsort{a}b", "b"},
    /* conditional definitions */
    {"\\@ifundefined{url}{\\def\\url#1{BAD}}{}", "\\url{http://x.org}", "http://x.org"},
    {"\\@ifundefined{foo}{\\def\\foo{Foo}}{}", "\\foo", "Foo"},
    {"\\@ifundefined{TeX}{\\def\\TeX{BAD}}{\\def\\foo{Foo}}", "\\foo", "Foo"},
    {"\\ifx\\undefined\\foo \\def\\foo{Foo}\\fi", "\\foo", "Foo"},
    {"\\ifx\\foo\\undefined \\def\\foo{Foo}\\else \\def\\foo{BAD}\\fi", "\\foo", "Foo"},
    {"\\ifx\\undefined\\TeX \\def\\TeX{BAD}\\else\\def\\foo{Foo}\\fi", "\\TeX\\foo", "TeXFoo"},
    {"\\ifdefined\\TeX \\def\\foo{Foo}\\fi", "\\foo", "Foo"},
    /* what is not a definition we can use is ignored */
    {"\\def\\x#1.{#1}", "\\x a.", "a."},
    {"\\newcommand{\\y}[2]", "\\y", ""},
    {"\\def", "x", "x"},
    {"\\newcommand", "x", "x"},
    {"\\ifx\\undefined\\z \\def\\z{z}", "\\z", ""},
    {"\\newcommand{\\x}[10]{#1}", "\\x{a}", "a"},
};

Test(bibtex_macros, table)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const macro_case *c = &cases[i];
		char in[1024];
		snprintf(in, sizeof in, "@preamble{{%s}}\n@misc{k, title = {%s}}", c->preamble,
		         c->title);
		parsed p;
		parse(&p, in);
		cr_assert_eq(p.n, 1, "%s\n%s", in, cw_buf_str(&p.d.text));
		const char *t = cw_record_text(p.recs[0], CW_FIELD_TITLE);
		cr_expect_str_eq(t ? t : "", c->want, "%s", in);
		cr_expect_eq(cwt_diags_count(&p.d, CW_SEV_ERROR), 0, "%s\n%s", in,
		             cw_buf_str(&p.d.text));
		done(&p);
	}
}

Test(bibtex_macros, concatenated_preamble_and_every_field_kind)
{
	parsed p;
	parse(&p, "@string{pre = \"\\newcommand\"}\n"
	          "@preamble{pre # \"{\\jx}{J. X}\" # { \\def\\NN{N. N.}}}\n"
	          "@article{a, author = {\\NN{} Smith}, journal = {\\jx}, "
	          "title = {On \\jx}, note = {see \\jx}, publisher = {\\jx\\ Press}}");
	cr_assert_eq(p.n, 1, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(text(&p, 0, CW_FIELD_CONTAINER_TITLE), "J. X");
	cr_expect_str_eq(text(&p, 0, CW_FIELD_TITLE), "On J. X");
	cr_expect_str_eq(text(&p, 0, CW_FIELD_NOTE), "see J. X");
	cr_expect_str_eq(text(&p, 0, CW_FIELD_PUBLISHER), "J. X Press");
	const cw_name *n = cw_record_name(p.recs[0], CW_FIELD_AUTHOR, 0);
	cr_assert(n);
	cr_expect_str_eq(n->family, "Smith");
	cr_expect_str_eq(n->given, "N. N.");
	/* one note says how many definitions the preamble gave */
	cr_expect(strstr(cw_buf_str(&p.d.text), "2 macro definitions"), "%s",
	          cw_buf_str(&p.d.text));
	done(&p);
}

Test(bibtex_macros, a_definition_applies_to_the_values_after_it)
{
	parsed p;
	parse(&p, "@misc{a, title = {\\TUB}}\n@preamble{\"\\def\\TUB{TUGboat}\"}\n"
	          "@misc{b, title = {\\TUB}}");
	cr_assert_eq(p.n, 2, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(text(&p, 0, CW_FIELD_TITLE), "(null)");
	cr_expect_str_eq(text(&p, 1, CW_FIELD_TITLE), "TUGboat");
	cr_expect(strstr(cw_buf_str(&p.d.text), "unknown LaTeX command \\TUB"), "%s",
	          cw_buf_str(&p.d.text));
	done(&p);
}

/* counts the diagnostics of a severity whose text has needle */
static size_t count_with(const cwt_diags *d, enum cw_severity sev, const char *needle)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].severity == sev && strstr(d->items[i].message, needle))
			n++;
	return n;
}

Test(bibtex_macros, bombs_and_loops_are_located_errors)
{
	/* 10^7 bytes from 8: over the value limit of 1 MiB */
	parsed p;
	parse(&p, "@preamble{\"\\def\\ba{\\bb\\bb\\bb\\bb\\bb\\bb\\bb\\bb\\bb\\bb}"
	          "\\def\\bb{\\bc\\bc\\bc\\bc\\bc\\bc\\bc\\bc\\bc\\bc}"
	          "\\def\\bc{\\bd\\bd\\bd\\bd\\bd\\bd\\bd\\bd\\bd\\bd}"
	          "\\def\\bd{\\bx\\bx\\bx\\bx\\bx\\bx\\bx\\bx\\bx\\bx}"
	          "\\def\\bx{\\by\\by\\by\\by\\by\\by\\by\\by\\by\\by}"
	          "\\def\\by{\\bz\\bz\\bz\\bz\\bz\\bz\\bz\\bz\\bz\\bz}"
	          "\\def\\bz{xxxxxxxxxx}"
	          "\\def\\loop{\\loop}\\def\\grow{x\\grow}\\def\\dbl#1{\\dbl{#1#1}}\"}\n"
	          "@misc{a, title = {Bomb \\ba}}\n"
	          "@misc{b, title = {Loop \\loop}}\n"
	          "@misc{c, title = {Grow \\grow}}\n"
	          "@misc{d, title = {Double \\dbl{x}}}\n"
	          "@misc{e, title = {Fine}}");
	/* each broken record is reported where its value starts, and skipped */
	cr_expect_eq(cwt_diags_count(&p.d, CW_SEV_ERROR), 4, "%s", cw_buf_str(&p.d.text));
	cr_expect_eq(count_with(&p.d, CW_SEV_ERROR, "\\ba (at \\by) gives more than"), 1, "%s",
	             cw_buf_str(&p.d.text));
	cr_expect_eq(count_with(&p.d, CW_SEV_ERROR, "\\loop still expands"), 1, "%s",
	             cw_buf_str(&p.d.text));
	cr_expect_eq(count_with(&p.d, CW_SEV_ERROR, "\\grow still expands"), 1, "%s",
	             cw_buf_str(&p.d.text));
	cr_expect_eq(count_with(&p.d, CW_SEV_ERROR, "\\dbl (at \\dbl) gives more than"), 1, "%s",
	             cw_buf_str(&p.d.text));
	cr_expect(strstr(cw_buf_str(&p.d.text), ":2:18:"), "located: %s", cw_buf_str(&p.d.text));
	cr_expect(strstr(cw_buf_str(&p.d.text), ":3:18:"), "located: %s", cw_buf_str(&p.d.text));
	/* no unknown-command warnings for the file's own macros on top */
	cr_expect_eq(count_with(&p.d, CW_SEV_WARNING, "unknown LaTeX command"), 0, "%s",
	             cw_buf_str(&p.d.text));
	cr_assert_eq(p.n, 1, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(text(&p, 0, CW_FIELD_TITLE), "Fine");
	done(&p);
}

/*
 * \let copies a definition out of the table's own text: found by fuzzing,
 * the copy read freed memory when the table grew during it. Many copies of
 * a long body make the table grow on one of them.
 */
Test(bibtex_macros, let_copies_while_the_table_grows)
{
	cw_buf in = CW_BUF_INIT;
	cw_buf_append(&in, "@preamble{\"\\def\\a{", CW_NUL);
	for (int i = 0; i < 300; i++)
		cw_buf_append(&in, "long body ", CW_NUL);
	cw_buf_append(&in, "}", 1);
	for (int i = 0; i < 64; i++)
		cw_buf_printf(&in, "\\let\\c%c%c\\a", 'a' + i / 26, 'a' + i % 26);
	cw_buf_append(&in, "\"}\n@misc{k, title = {\\ccl}}\n", CW_NUL);
	parsed p;
	parse(&p, in.data);
	cr_assert_eq(p.n, 1, "%s", cw_buf_str(&p.d.text));
	const char *t = text(&p, 0, CW_FIELD_TITLE);
	cr_expect(strncmp(t, "long body long body", 19) == 0, "%s", t);
	cr_expect_eq(strlen(t), 300 * 10 - 1);
	done(&p);
	cw_buf_free(&in);
}

Test(bibtex_macros, expansion_stays_within_a_file_budget)
{
	/* every value expands to 512 KiB: the file's budget ends it, each time an error */
	cw_buf in = CW_BUF_INIT;
	cw_buf_append(&in,
	              "@preamble{\"\\def\\ka{\\kb\\kb\\kb\\kb\\kb\\kb\\kb\\kb}"
	              "\\def\\kb{\\kc\\kc\\kc\\kc\\kc\\kc\\kc\\kc}"
	              "\\def\\kc{\\kd\\kd\\kd\\kd\\kd\\kd\\kd\\kd}"
	              "\\def\\kd{\\ke\\ke\\ke\\ke\\ke\\ke\\ke\\ke}"
	              "\\def\\ke{\\kf\\kf\\kf\\kf\\kf\\kf\\kf\\kf}"
	              "\\def\\kf{\\kg\\kg\\kg\\kg\\kg\\kg\\kg\\kg}"
	              "\\def\\kg{xx}\"}\n",
	              CW_NUL);
	for (int i = 0; i < 400; i++)
		cw_buf_printf(&in, "@misc{k%d, note = {\\ka}}\n", i);
	parsed p;
	memset(&p, 0, sizeof p);
	p.n = cwt_read_records("bibtex", in.data, in.len, &p.recs, &p.d, NULL);
	/* 64 MiB of expansions at most, a little more for the bytes read */
	size_t expanded = 0;
	for (size_t i = 0; i < p.n; i++) {
		const char *t = cw_record_text(p.recs[i], CW_FIELD_NOTE);
		expanded += t ? strlen(t) : 0;
	}
	cr_expect_leq(expanded, (size_t)65 << 20);
	cr_expect_gt(p.n, 40, "%zu records\n%.2000s", p.n, cw_buf_str(&p.d.text));
	cr_expect_eq(p.n + count_with(&p.d, CW_SEV_ERROR, "budget"), 400, "%s",
	             cw_buf_str(&p.d.text));
	done(&p);
	cw_buf_free(&in);
}

/* The corpus file that defines \printfirst, \singleletter and \switchargs. */
Test(bibtex_macros_corpus, preamble_definitions)
{
	char dir[1024], path[1200];
	CWT_CORPUS("bibtex", dir);
	snprintf(path, sizeof path, "%s/bibtex-tidy/others/example.bib", dir);
	size_t len = 0;
	char *data = cwt_read_file(path, &len);
	cr_assert(data, "%s", path);
	parsed p;
	memset(&p, 0, sizeof p);
	p.n = cwt_read_records("bibtex", data, len, &p.recs, &p.d, NULL);
	free(data);
	cr_assert_gt(p.n, 10);
	int seen = 0;
	for (size_t i = 0; i < p.n; i++) {
		const char *id = cw_record_text(p.recs[i], CW_FIELD_ID);
		if (id && strcmp(id, "whole-set") == 0) {
			/* year = "{\noopsort{1973a}}{\switchargs{--90}{1968}}" */
			const cw_date *d = cw_record_date(p.recs[i], CW_FIELD_ISSUED);
			cr_assert(d);
			cr_expect(d->literal ? strstr(d->literal, "1968") != NULL : d->year == 1968,
			          "%s", d->literal ? d->literal : "(parts)");
			seen = 1;
		}
	}
	cr_expect(seen);
	cr_expect_eq(count_with(&p.d, CW_SEV_WARNING, "\\switchargs"), 0, "%s",
	             cw_buf_str(&p.d.text));
	cr_expect(strstr(cw_buf_str(&p.d.text), "3 macro definitions"), "%s",
	          cw_buf_str(&p.d.text));
	done(&p);
}
