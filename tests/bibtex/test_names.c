/*
 * BibTeX name parsing: a table of single names read through the real
 * reader (author field of a @misc entry), and name lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

typedef struct name_case {
	const char *in;
	const char *family, *given, *particle, *dropping, *suffix, *literal;
	int etal;
} name_case;

#define N(in, fam, giv, part, suf)                                                                 \
	{                                                                                          \
		in, fam, giv, part, NULL, suf, NULL, 0                                             \
	}
#define L(in, lit)                                                                                 \
	{                                                                                          \
		in, NULL, NULL, NULL, NULL, NULL, lit, 0                                           \
	}

static const name_case cases[] = {
    /* First von Last */
    N("Donald E. Knuth", "Knuth", "Donald E.", NULL, NULL),
    N("Knuth", "Knuth", NULL, NULL, NULL),
    N("Donald Knuth", "Knuth", "Donald", NULL, NULL),
    N("D. E. Knuth", "Knuth", "D. E.", NULL, NULL),
    N("D.E. Knuth", "Knuth", "D.E.", NULL, NULL),
    N("Ludwig van Beethoven", "Beethoven", "Ludwig", "van", NULL),
    N("Jean de La Fontaine", "La Fontaine", "Jean", "de", NULL),
    N("Charles Louis Xavier Joseph de la Vallee Poussin", "Vallee Poussin",
      "Charles Louis Xavier Joseph", "de la", NULL),
    N("Johannes van der Waals", "Waals", "Johannes", "van der", NULL),
    N("Jean-Pierre Serre", "Serre", "Jean-Pierre", NULL, NULL),
    N("J.-P. Serre", "Serre", "J.-P.", NULL, NULL),
    N("Vincent van Gogh", "Gogh", "Vincent", "van", NULL),
    N("Alfred North Whitehead", "Whitehead", "Alfred North", NULL, NULL),
    N("Maria von Trapp", "Trapp", "Maria", "von", NULL),
    N("Leonardo da Vinci", "Vinci", "Leonardo", "da", NULL),
    N("Miguel de Cervantes Saavedra", "Cervantes Saavedra", "Miguel", "de", NULL),
    N("Kurt G{\\\"o}del", "Gödel", "Kurt", NULL, NULL),
    N("Kurt G\\\"odel", "Gödel", "Kurt", NULL, NULL),
    N("Paul Erd\\H{o}s", "Erdős", "Paul", NULL, NULL),
    N("Emmy Noether", "Noether", "Emmy", NULL, NULL),
    N("{\\'E}mile Borel", "Borel", "Émile", NULL, NULL),
    N("{\\'E}douard Lucas", "Lucas", "Édouard", NULL, NULL),
    N("Jean {de la} Fontaine", "Fontaine", "Jean de la", NULL, NULL),
    N("Pierre {\\'e}mile Martin", "Martin", "Pierre", "émile", NULL),
    N("Ford~Prefect", "Prefect", "Ford", NULL, NULL),
    N("A~B~C", "C", "A B", NULL, NULL),
    N("Per Brinch Hansen", "Hansen", "Per Brinch", NULL, NULL),
    N("Per {Brinch Hansen}", "Brinch Hansen", "Per", NULL, NULL),
    N("Zhang San", "San", "Zhang", NULL, NULL),
    N("Jürgen Habermas", "Habermas", "Jürgen", NULL, NULL),
    N("Ólafur Ragnar Grímsson", "Grímsson", "Ólafur Ragnar", NULL, NULL),
    N("Émile Durkheim", "Durkheim", "Émile", NULL, NULL),
    N("Andrés Iniesta", "Iniesta", "Andrés", NULL, NULL),
    N("Юрий Гагарин", "Гагарин", "Юрий", NULL, NULL),
    N("Jean d'Alembert", "d’Alembert", "Jean", NULL, NULL),
    /* von Last, First */
    N("Knuth, Donald E.", "Knuth", "Donald E.", NULL, NULL),
    N("Knuth, D. E.", "Knuth", "D. E.", NULL, NULL),
    N("van Beethoven, Ludwig", "Beethoven", "Ludwig", "van", NULL),
    N("van der Waals, Johannes", "Waals", "Johannes", "van der", NULL),
    N("de la Vallee Poussin, Charles", "Vallee Poussin", "Charles", "de la", NULL),
    N("Brinch Hansen, Per", "Brinch Hansen", "Per", NULL, NULL),
    N("{van Gogh}, Vincent", "van Gogh", "Vincent", NULL, NULL),
    N("Serre, Jean-Pierre", "Serre", "Jean-Pierre", NULL, NULL),
    N("Serre, J.-P.", "Serre", "J.-P.", NULL, NULL),
    N("G{\\\"o}del, Kurt", "Gödel", "Kurt", NULL, NULL),
    N("Erd{\\H o}s, Paul", "Erdős", "Paul", NULL, NULL),
    N("Nguyễn, Văn An", "Nguyễn", "Văn An", NULL, NULL),
    N("Smith, John Paul", "Smith", "John Paul", NULL, NULL),
    N("O'Brien, Flann", "O’Brien", "Flann", NULL, NULL),
    N("von Neumann, John", "Neumann", "John", "von", NULL),
    N("Lastname,", "Lastname", NULL, NULL, NULL),
    N("Gauss, C.~F.", "Gauss", "C. F.", NULL, NULL),
    N("  Spaced ,  Name  ", "Spaced", "Name", NULL, NULL),
    N("Ma{\\l}ecki, Jan", "Małecki", "Jan", NULL, NULL),
    N("{\\O}rsted, Hans Christian", "Ørsted", "Hans Christian", NULL, NULL),
    /* von Last, Jr, First */
    N("King, Jr., Martin Luther", "King", "Martin Luther", NULL, "Jr."),
    N("Ford, III, Henry", "Ford", "Henry", NULL, "III"),
    N("van der Berg, Jr, Piet", "Berg", "Piet", "van der", "Jr"),
    N("Smith, Sr., John", "Smith", "John", NULL, "Sr."),
    N("Davis, Jr., Sammy", "Davis", "Sammy", NULL, "Jr."),
    /* corporate and literal names */
    L("{World Health Organization}", "World Health Organization"),
    L("{Barnes and Noble}", "Barnes and Noble"),
    L("{The {LaTeX} Project}", "The LaTeX Project"),
    L("{Ministère de la Culture}", "Ministère de la Culture"),
    L("{{\\'E}lectricit{\\'e} de France}", "Électricité de France"),
    /* biblatex extended name format */
    N("family=Gogh, given=Vincent, prefix=van, useprefix=true", "Gogh", "Vincent", "van", NULL),
    N("family={Brinch Hansen}, given=Per", "Brinch Hansen", "Per", NULL, NULL),
    N("given=Martin Luther, family=King, suffix=Jr.", "King", "Martin Luther", NULL, "Jr."),
    N("family=Smith, given={John Paul}, giveni=J.", "Smith", "John Paul", NULL, NULL),
    {"family=Gogh, given=Vincent, prefix=van, useprefix=false", "Gogh", "Vincent", NULL, "van",
     NULL, NULL, 0},
    {"family=Rijn, given=Rembrandt, prefix={van}, useprefix=false", "Rijn", "Rembrandt", NULL,
     "van", NULL, NULL, 0},
    /* an extended name written whole in braces (Better BibTeX), read as biber reads it */
    {"{given={David}, family={Spoel}, prefix={van der}, useprefix=false}", "Spoel", "David", NULL,
     "van der", NULL, NULL, 0},
    N("{given={Rudi}, family={Dronen}, prefix={van}, useprefix=true}", "Dronen", "Rudi", "van",
      NULL),
    N("{family=Nagell, prefix=van, \"given={John R.}\", suffix=Jr.}", "Nagell", "John R.", "van",
      "Jr."),
    L("{Society for A=B}", "Society for A=B"),
    L("{Smith=Jones, Ltd}", "Smith=Jones, Ltd"),
    /* et al. */
    {"others", NULL, NULL, NULL, NULL, NULL, NULL, 1},
};

static cwt_diags dg_;

static const char *nz(const char *s)
{
	return s ? s : "(null)";
}

static void check_name(const name_case *c)
{
	char input[512];
	snprintf(input, sizeof input, "@misc{k, author = {%s}}", c->in);
	cw_record **recs = NULL;
	cwt_diags d = {0};
	size_t n = cwt_read_records("bibtex", input, strlen(input), &recs, &d, NULL);
	cr_assert_eq(n, 1, "%s: %zu records\n%s", c->in, n, cw_buf_str(&d.text));
	cr_assert_eq(cw_record_name_count(recs[0], CW_FIELD_AUTHOR), 1, "%s: %zu names", c->in,
	             cw_record_name_count(recs[0], CW_FIELD_AUTHOR));
	const cw_name *nm = cw_record_name(recs[0], CW_FIELD_AUTHOR, 0);
	cr_expect_str_eq(nz(nm->family), nz(c->family), "%s: family", c->in);
	cr_expect_str_eq(nz(nm->given), nz(c->given), "%s: given", c->in);
	cr_expect_str_eq(nz(nm->non_dropping_particle), nz(c->particle), "%s: particle", c->in);
	cr_expect_str_eq(nz(nm->dropping_particle), nz(c->dropping), "%s: dropping", c->in);
	cr_expect_str_eq(nz(nm->suffix), nz(c->suffix), "%s: suffix", c->in);
	cr_expect_str_eq(nz(nm->literal), nz(c->literal), "%s: literal", c->in);
	cr_expect_eq(!!(nm->flags & CW_NAME_ETAL), c->etal, "%s: et al.", c->in);
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(bibtex_names, table_has_enough_cases)
{
	cr_assert_geq(sizeof cases / sizeof cases[0], 60);
}

Test(bibtex_names, table)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_name(&cases[i]);
}

static size_t author_count(const char *field)
{
	char input[512];
	snprintf(input, sizeof input, "@misc{k, author = {%s}}", field);
	cw_record **recs = NULL;
	size_t n = cwt_read_records("bibtex", input, strlen(input), &recs, &dg_, NULL);
	cr_assert_eq(n, 1);
	size_t c = cw_record_name_count(recs[0], CW_FIELD_AUTHOR);
	cwt_free_records(recs, n);
	cwt_diags_free(&dg_);
	return c;
}

Test(bibtex_names, and_splits_only_at_brace_level_zero)
{
	cr_expect_eq(author_count("A and B"), 2);
	cr_expect_eq(author_count("A AND B and C"), 3);
	cr_expect_eq(author_count("{A and B}"), 1);
	cr_expect_eq(author_count("Alexander Anderson"), 1);
	cr_expect_eq(author_count("Sand, Rand"), 1);
	cr_expect_eq(author_count("Smith, J. and Jones, K. and others"), 3);
	cr_expect_eq(author_count("A and\nB"), 2);
	cr_expect_eq(author_count("A~and~B"), 1);
	cr_expect_eq(author_count("Smith, John and and Terry Brown"), 2);
	cr_expect_eq(author_count("A and B and"), 2);
	cr_expect_eq(author_count("Hess, B. and {given={David}, family={Spoel}} and Lindahl, E."),
	             3);
}

Test(bibtex_names, round_trip_through_the_writer)
{
	const char *in =
	    "@misc{k, author = {van der Waals, J. D. and King, Jr., Martin Luther and "
	    "{World Health Organization} and family=Gogh, given=Vincent, prefix=van, "
	    "useprefix=false and {de la Cruz}, Juan and {given={David}, family={Spoel}, "
	    "prefix={van der}, useprefix=false} and others}}";
	cw_record **a = NULL, **b = NULL;
	size_t na = cwt_read_records("bibtex", in, strlen(in), &a, &dg_, NULL);
	cr_assert_eq(na, 1);
	char *out = cwt_write_records("biblatex", a, na, &dg_, NULL);
	cr_assert(out);
	size_t nb = cwt_read_records("bibtex", out, strlen(out), &b, &dg_, NULL);
	cr_assert_eq(nb, 1, "%s", out);
	cw_buf diff = CW_BUF_INIT;
	cr_expect_eq(cw_record_compare(a[0], b[0], &diff), 0, "%s\n%s", cw_buf_str(&diff), out);
	cr_expect(strstr(out, "{World Health Organization}"), "%s", out);
	cr_expect(strstr(out, "and others"), "%s", out);
	cw_buf_free(&diff);
	free(out);
	cwt_free_records(a, na);
	cwt_free_records(b, nb);
	cwt_diags_free(&dg_);
}
