/*
 * Table-driven tests of the DC value parsers: dc:source citations,
 * dc:creator names, dates and identifiers.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "cw_test.h"
#include "dc.h"

/* --- dc:source / bibliographicCitation --- */

struct src_case {
	const char *in;
	int ok;
	const char *container, *volume, *issue, *pages;
	int year;
	const char *issue_title;
};

/* Shapes seen in OJS, DSpace, EPrints, HAL, SciELO, Redalyc and Crossref-fed repositories. */
static const struct src_case src_cases[] = {
    /* PKP/OJS: "Journal; Vol X No Y (YYYY); pages" in its localised variants */
    {"Central Asia and the Caucasus; Vol. 9 No. 1 (2008); 112-124", 1,
     "Central Asia and the Caucasus", "9", "1", "112-124", 2008, ""},
    {"Central Asia and the Caucasus; Vol 9 No 1 (2008); 112-124", 1,
     "Central Asia and the Caucasus", "9", "1", "112-124", 2008, ""},
    {"Journal of Law; Vol. 12 No. 3 (2020)", 1, "Journal of Law", "12", "3", "", 2020, ""},
    {"Revista de Estudios; Vol. 5 Núm. 2 (2019); 45-67", 1, "Revista de Estudios", "5", "2",
     "45-67", 2019, ""},
    {"Revista Brasileira; v. 14 n. 2 (2018); 1-20", 1, "Revista Brasileira", "14", "2", "1-20",
     2018, ""},
    {"Zeitschrift für Didaktik; Bd. 7 Nr. 1 (2015); 3-19", 1, "Zeitschrift für Didaktik", "7", "1",
     "3-19", 2015, ""},
    {"Studia Philosophica; Tom 3 Nr 4 (2011); 55-70", 1, "Studia Philosophica", "3", "4", "55-70",
     2011, ""},
    {"Вестник университета; Том 9 № 1 (2008); 112-124", 1, "Вестник университета", "9", "1",
     "112-124", 2008, ""},
    {"Journal of Education; No. 5 (2010); 12-30", 1, "Journal of Education", "", "5", "12-30", 2010,
     ""},
    {"Journal of Education; Vol. 3 (2012); 7", 1, "Journal of Education", "3", "", "7", 2012, ""},
    {"Journal of Education; 2012; 7-9", 1, "Journal of Education", "", "", "7-9", 2012, ""},
    {"Journal of Education; (2012)", 1, "Journal of Education", "", "", "", 2012, ""},
    {"Acta Medica; Vol. 8 No. 2 (2021): Special Issue on Vaccines; e1234", 1, "Acta Medica", "8",
     "2", "e1234", 2021, "Special Issue on Vaccines"},
    {"Acta Medica; Vol. 8 No. 2 (2021): Special Issue", 1, "Acta Medica", "8", "2", "", 2021,
     "Special Issue"},
    {"Anales; Vol. 10 No. 1-2 (2005); 1-15", 1, "Anales", "10", "1-2", "1-15", 2005, ""},
    {"Journal; Vol. 9 No. 1 (2008); 112–124", 1, "Journal", "9", "1", "112–124", 2008, ""},
    {"Journal; Vol. 9 No. 1 (2008); pp. 112-124", 1, "Journal", "9", "1", "112-124", 2008, ""},
    {"Journal; Vol. 9 No. S1 (2008); S12-S20", 1, "Journal", "9", "S1", "S12-S20", 2008, ""},
    /* APA-like and author-date citation forms */
    {"Journal Title, 9(1), 112-124", 1, "Journal Title", "9", "1", "112-124", 0, ""},
    {"Central Asia and the Caucasus, 9(1), 112-124", 1, "Central Asia and the Caucasus", "9", "1",
     "112-124", 0, ""},
    {"Journal of 3D Printing, 9(1), 112-124", 1, "Journal of 3D Printing", "9", "1", "112-124", 0,
     ""},
    {"Nature 431(7006):931-945", 1, "Nature", "431", "7006", "931-945", 0, ""},
    {"Journal Title 9(1):112-124", 1, "Journal Title", "9", "1", "112-124", 0, ""},
    {"Journal Title, 9, 112-124", 1, "Journal Title", "9", "", "112-124", 0, ""},
    {"Journal Title, vol. 9, no. 1, pp. 112-124, 2008", 1, "Journal Title", "9", "1", "112-124",
     2008, ""},
    {"Journal Title, Vol. 9, Issue 1, p. 112-124", 1, "Journal Title", "9", "1", "112-124", 0, ""},
    {"Journal Title, Vol. 9, No. 1 (2008), pp. 112-124", 1, "Journal Title", "9", "1", "112-124",
     2008, ""},
    /* Vancouver / PubMed */
    {"J Biol Chem. 2008;283(12):7650-7", 1, "J Biol Chem.", "283", "12", "7650-7", 2008, ""},
    {"BMC Oral Health 2008, 8:11", 1, "BMC Oral Health", "8", "", "11", 2008, ""},
    {"Lancet. 2001;357(9263):1191-1194", 1, "Lancet", "357", "9263", "1191-1194", 2001, ""},
    /* HAL / French */
    {"Journal Title, 2008, 9 (1), pp.112-124", 1, "Journal Title", "9", "1", "112-124", 2008, ""},
    {"Revue française, 2015, 12, pp. 33-48", 1, "Revue française", "12", "", "33-48", 2015, ""},
    /* Elsevier-like and ABNT (Brazil) */
    {"Physics Letters B 659 (2008) 1-10", 1, "Physics Letters B", "659", "", "1-10", 2008, ""},
    {"Revista X, v. 9, n. 1, p. 112-124, jan./jun. 2008", 1, "Revista X", "9", "1", "112-124", 2008,
     ""},
    {"Revista X, v. 9, n. 1, p. 112-124, 2008", 1, "Revista X", "9", "1", "112-124", 2008, ""},
    {"Cadernos de Saúde Pública, v. 30, n. 2, 2014", 1, "Cadernos de Saúde Pública", "30", "2", "",
     2014, ""},
    /* Spanish / Redalyc */
    {"Revista Mexicana, vol. 12, núm. 3, 2010, pp. 45-60", 1, "Revista Mexicana", "12", "3",
     "45-60", 2010, ""},
    /* German */
    {"Zeitschrift für Soziologie, Jg. 40, H. 2, S. 101-120", 1, "Zeitschrift für Soziologie", "40",
     "2", "101-120", 0, ""},
    /* EPrints-like */
    {"Journal of Things, 12 (3). pp. 45-67", 1, "Journal of Things", "12", "3", "45-67", 0, ""},
    {"Journal of Things, 12 (3). p. 45", 1, "Journal of Things", "12", "3", "45", 0, ""},
    /* month and year in parentheses */
    {"Journal Title, 9(1) (May 2008), 112-124", 1, "Journal Title", "9", "1", "112-124", 2008, ""},
    /* not citations: kept as text */
    {"Sample Source", 0, NULL, NULL, NULL, NULL, 0, NULL},
    {"onlineIssn", 0, NULL, NULL, NULL, NULL, 0, NULL},
    {"journal-title; issue-identification; 15", 0, NULL, NULL, NULL, NULL, 0, NULL},
    {"Erasmus MC;Diss. 2003:055", 0, NULL, NULL, NULL, NULL, 0, NULL},
    {"http://example.org/journal", 0, NULL, NULL, NULL, NULL, 0, NULL},
    {"2008", 0, NULL, NULL, NULL, NULL, 0, NULL},
    {"", 0, NULL, NULL, NULL, NULL, 0, NULL},
    {"Proceedings of the Workshop on Things", 0, NULL, NULL, NULL, NULL, 0, NULL},
};

/* Criterion runs each case in a new process: pass indices, not pointers */
static size_t src_cases_idx[sizeof src_cases / sizeof src_cases[0]];

ParameterizedTestParameters(dc_source, table)
{
	for (size_t i = 0; i < sizeof src_cases_idx / sizeof src_cases_idx[0]; i++)
		src_cases_idx[i] = i;
	return cr_make_param_array(size_t, src_cases_idx,
	                           sizeof src_cases_idx / sizeof src_cases_idx[0]);
}

ParameterizedTest(size_t *ix, dc_source, table)
{
	const struct src_case *c = &src_cases[*ix];
	dc_citation got;
	int ok = dc_citation_parse(c->in, &got);
	cr_assert_eq(ok, c->ok, "'%s': parsed=%d, expected %d", c->in, ok, c->ok);
	if (!ok)
		return;
	cr_expect_str_eq(got.container, c->container, "'%s': container '%s'", c->in, got.container);
	cr_expect_str_eq(got.volume, c->volume, "'%s': volume '%s'", c->in, got.volume);
	cr_expect_str_eq(got.issue, c->issue, "'%s': issue '%s'", c->in, got.issue);
	cr_expect_str_eq(got.pages, c->pages, "'%s': pages '%s'", c->in, got.pages);
	cr_expect_eq(got.year, c->year, "'%s': year %d", c->in, got.year);
	cr_expect_str_eq(got.issue_title, c->issue_title, "'%s': issue title '%s'", c->in,
	                 got.issue_title);
}

Test(dc_source, table_size)
{
	cr_assert_geq(sizeof src_cases / sizeof src_cases[0], 40);
}

Test(dc_source, pkp_form_round_trips)
{
	dc_citation c;
	const char *s = "Central Asia and the Caucasus; Vol. 9 No. 1 (2008); 112-124";
	cr_assert(dc_citation_parse(s, &c));
	cw_buf b = CW_BUF_INIT;
	dc_citation_format(&c, &b);
	cr_expect_str_eq(cw_buf_str(&b), s);
	cw_buf_free(&b);
}

/* --- dc:creator names --- */

struct name_case {
	const char *in;
	const char *family, *given, *ndp, *suffix, *literal, *aff;
};

static const struct name_case name_cases[] = {
    {"Doe, John", "Doe", "John", NULL, NULL, NULL, NULL},
    {"John Doe", "Doe", "John", NULL, NULL, NULL, NULL},
    {"author-lastname, author-firstname", "author-lastname", "author-firstname", NULL, NULL, NULL,
     NULL},
    {"Bovenkamp van de, J.H.B.", "Bovenkamp", "J.H.B.", "van de", NULL, NULL, NULL},
    {"van de Bovenkamp, J.H.B.", "Bovenkamp", "J.H.B.", "van de", NULL, NULL, NULL},
    {"Ludwig van Beethoven", "Beethoven", "Ludwig", "van", NULL, NULL, NULL},
    {"Laumulin, Murat", "Laumulin", "Murat", NULL, NULL, NULL, NULL},
    {"Murat LAUMULIN", "LAUMULIN", "Murat", NULL, NULL, NULL, NULL},
    {"Smith, John, Jr.", "Smith", "John", NULL, "Jr.", NULL, NULL},
    {"Smith, Jr., John", "Smith", "John", NULL, "Jr.", NULL, NULL},
    {"John Smith Jr.", "Smith", "John", NULL, "Jr.", NULL, NULL},
    {"Plato", "Plato", NULL, NULL, NULL, NULL, NULL},
    {"García Márquez, Gabriel", "García Márquez", "Gabriel", NULL, NULL, NULL, NULL},
    {"Erasmus MC", NULL, NULL, NULL, NULL, "Erasmus MC", NULL},
    {"World Health Organization", NULL, NULL, NULL, NULL, "World Health Organization", NULL},
    {"Erasmus University Rotterdam", NULL, NULL, NULL, NULL, "Erasmus University Rotterdam", NULL},
    {"Doe, John; University of Somewhere", "Doe", "John", NULL, NULL, NULL,
     "University of Somewhere"},
    {"  Doe ,  John  ", "Doe", "John", NULL, NULL, NULL, NULL},
    {"山田, 太郎", "山田", "太郎", NULL, NULL, NULL, NULL},
    {"Jean de La Fontaine", "Fontaine", "Jean", "de La", NULL, NULL, NULL},
    {"de La Fontaine, Jean", "Fontaine", "Jean", "de La", NULL, NULL, NULL},
    {"da Silva, Maria", "Silva", "Maria", "da", NULL, NULL, NULL},
    {"Mary  Ann\tSmith", "Smith", "Mary Ann", NULL, NULL, NULL, NULL},
    {"Smith,   Mary   Ann", "Smith", "Mary Ann", NULL, NULL, NULL, NULL},
    /* organisations, with commas too: one literal name */
    {"Universität Wien, Institut für Geschichte", NULL, NULL, NULL, NULL,
     "Universität Wien, Institut für Geschichte", NULL},
    {"Department of Physics, University of Oxford, UK", NULL, NULL, NULL, NULL,
     "Department of Physics, University of Oxford, UK", NULL},
    {"World Bank, Washington, DC", NULL, NULL, NULL, NULL, "World Bank, Washington, DC", NULL},
    {"Max-Planck-Gesellschaft, München", NULL, NULL, NULL, NULL,
     "Max-Planck-Gesellschaft, München", NULL},
    {"Acme Widgets, Inc.", NULL, NULL, NULL, NULL, "Acme Widgets, Inc.", NULL},
    {"Institut Pasteur", NULL, NULL, NULL, NULL, "Institut Pasteur", NULL},
    {"Fachhochschule Potsdam", NULL, NULL, NULL, NULL, "Fachhochschule Potsdam", NULL},
    {"The PLOS ONE Staff", NULL, NULL, NULL, NULL, "The PLOS ONE Staff", NULL},
    {"on Behalf of the Interviewees", NULL, NULL, NULL, NULL, "on Behalf of the Interviewees",
     NULL},
    {"NISC Comparative Sequencing Program", NULL, NULL, NULL, NULL,
     "NISC Comparative Sequencing Program", NULL},
    {"ALS Investigators", NULL, NULL, NULL, NULL, "ALS Investigators", NULL},
    /* surnames that are also institution words, and words that only contain one */
    {"Press, Frank", "Press", "Frank", NULL, NULL, NULL, NULL},
    {"Council, John", "Council", "John", NULL, NULL, NULL, NULL},
    {"John Pressman", "Pressman", "John", NULL, NULL, NULL, NULL},
    {"Joseph Banks", "Banks", "Joseph", NULL, NULL, NULL, NULL},
    {"Vincent Lincoln", "Lincoln", "Vincent", NULL, NULL, NULL, NULL},
    /* a person, then an affiliation after a comma */
    {"Smith, John, University of Oxford", "Smith", "John", NULL, NULL, NULL,
     "University of Oxford"},
};

/* Criterion runs each case in a new process: pass indices, not pointers */
static size_t name_cases_idx[sizeof name_cases / sizeof name_cases[0]];

ParameterizedTestParameters(dc_name, table)
{
	for (size_t i = 0; i < sizeof name_cases_idx / sizeof name_cases_idx[0]; i++)
		name_cases_idx[i] = i;
	return cr_make_param_array(size_t, name_cases_idx,
	                           sizeof name_cases_idx / sizeof name_cases_idx[0]);
}

static void expect_part(const char *in, const char *what, const char *got, const char *want)
{
	if (!want)
		cr_expect_null(got, "'%s': %s should be unset, is '%s'", in, what, got ? got : "");
	else
		cr_expect(got && !strcmp(got, want), "'%s': %s is '%s', expected '%s'", in, what,
		          got ? got : "(null)", want);
}

ParameterizedTest(size_t *ix, dc_name, table)
{
	const struct name_case *c = &name_cases[*ix];
	char buf[256];
	cw_name n = CW_NAME_INIT;
	const char *aff;
	cr_assert(dc_name_parse(c->in, &n, buf, &aff), "'%s' not parsed", c->in);
	expect_part(c->in, "family", n.family, c->family);
	expect_part(c->in, "given", n.given, c->given);
	expect_part(c->in, "particle", n.non_dropping_particle, c->ndp);
	expect_part(c->in, "suffix", n.suffix, c->suffix);
	expect_part(c->in, "literal", n.literal, c->literal);
	expect_part(c->in, "affiliation", aff, c->aff);
}

Test(dc_name, empty)
{
	char buf[16];
	cw_name n = CW_NAME_INIT;
	const char *aff;
	cr_expect_not(dc_name_parse("   ", &n, buf, &aff));
}

Test(dc_name, format_is_pkp_inverted)
{
	cw_name n = CW_NAME_INIT;
	n.family = "Bovenkamp";
	n.given = "J.H.B.";
	n.non_dropping_particle = "van de";
	cw_buf b = CW_BUF_INIT;
	dc_name_format(&n, &b);
	cr_expect_str_eq(cw_buf_str(&b), "van de Bovenkamp, J.H.B.");
	cw_buf_free(&b);
}

/* --- dates --- */

struct date_case {
	const char *in;
	int ok, parts, y, m, d;
	unsigned flags;
};

static const struct date_case date_cases[] = {
    {"2010-11-05", 1, 3, 2010, 11, 5, 0},
    {"2004-01-09T10:18:49Z", 1, 3, 2004, 1, 9, 0},
    {"2010", 1, 1, 2010, 0, 0, 0},
    {"2010-11", 1, 2, 2010, 11, 0, 0},
    {"2008/01/05", 1, 3, 2008, 1, 5, 0},
    {"2008.01.05", 1, 3, 2008, 1, 5, 0},
    {"2008-1-5", 1, 3, 2008, 1, 5, 0},
    {"25/12/2008", 1, 3, 2008, 12, 25, 0},
    {"12/25/2008", 1, 3, 2008, 12, 25, 0},
    {"05/11/2010", 0, 0, 0, 0, 0, 0},
    {"5 January 2008", 1, 3, 2008, 1, 5, 0},
    {"January 5, 2008", 1, 3, 2008, 1, 5, 0},
    {"January 2008", 1, 2, 2008, 1, 0, 0},
    {"Jan. 2008", 1, 2, 2008, 1, 0, 0},
    {"Sept 2008", 1, 2, 2008, 9, 0, 0},
    {"Spring 2008", 1, 2, 2008, 21, 0, 0}, /* EDTF season */
    {"[2008]", 1, 1, 2008, 0, 0, 0},
    {"c2008", 1, 1, 2008, 0, 0, CW_DATE_CIRCA},
    {"ca. 1850", 1, 1, 1850, 0, 0, CW_DATE_CIRCA},
    {"2008-02-30", 0, 0, 0, 0, 0, 0},
    {"2008-2010", 1, 1, 2008, 0, 0, 0}, /* a range: its end is checked in core/date.c */
    {"not a date", 0, 0, 0, 0, 0, 0},
    {"", 0, 0, 0, 0, 0, 0},
};

/* Criterion runs each case in a new process: pass indices, not pointers */
static size_t date_cases_idx[sizeof date_cases / sizeof date_cases[0]];

ParameterizedTestParameters(dc_date, table)
{
	for (size_t i = 0; i < sizeof date_cases_idx / sizeof date_cases_idx[0]; i++)
		date_cases_idx[i] = i;
	return cr_make_param_array(size_t, date_cases_idx,
	                           sizeof date_cases_idx / sizeof date_cases_idx[0]);
}

ParameterizedTest(size_t *ix, dc_date, table)
{
	const struct date_case *c = &date_cases[*ix];
	cw_date d = CW_DATE_INIT;
	int rc = dc_date_parse(&d, c->in, NULL);
	cr_assert_eq(rc == CW_OK, c->ok, "'%s': rc %d", c->in, rc);
	if (!c->ok)
		return;
	cr_expect_eq(d.parts, c->parts, "'%s': parts %d", c->in, d.parts);
	cr_expect_eq(d.year, c->y, "'%s'", c->in);
	if (c->parts > 1)
		cr_expect_eq(d.month, c->m, "'%s': month %d", c->in, d.month);
	if (c->parts > 2)
		cr_expect_eq(d.day, c->d, "'%s': day %d", c->in, d.day);
	cr_expect_eq(d.flags, c->flags, "'%s': flags %u", c->in, d.flags);
}

/* --- identifiers --- */

struct id_case {
	const char *in;
	enum dc_id_kind kind;
	const char *value;
};

static const struct id_case id_cases[] = {
    {"10.1000/xyz123", DC_ID_DOI, "10.1000/xyz123"},
    {"https://doi.org/10.1000/xyz123", DC_ID_DOI, "10.1000/xyz123"},
    {"http://dx.doi.org/10.1000/xyz123", DC_ID_DOI, "10.1000/xyz123"},
    {"doi:10.1000/xyz123", DC_ID_DOI, "10.1000/xyz123"},
    {"info:doi/10.1000/xyz123", DC_ID_DOI, "10.1000/xyz123"},
    {"http://hdl.handle.net/1765/1094", DC_ID_URL, "http://hdl.handle.net/1765/1094"},
    {"hdl:1765/1094", DC_ID_HANDLE, "1765/1094"},
    {"urn:nbn:de:0111-opus-12345", DC_ID_URN, "urn:nbn:de:0111-opus-12345"},
    {"90-6734-256-4", DC_ID_ISBN, "90-6734-256-4"},
    {"978-3-16-148410-0", DC_ID_ISBN, "978-3-16-148410-0"},
    {"urn:isbn:978-3-16-148410-0", DC_ID_ISBN, "978-3-16-148410-0"},
    {"978-3-16-148410-1", DC_ID_OTHER, "978-3-16-148410-1"},
    {"0028-0836", DC_ID_ISSN, "0028-0836"},
    {"ISSN 1234-5679", DC_ID_ISSN, "1234-5679"},
    {"urn:ISSN:1234-5679", DC_ID_ISSN, "1234-5679"},
    {"1234-5678", DC_ID_OTHER, "1234-5678"},
    {"info:pmid/12345678", DC_ID_PMID, "12345678"},
    {"arXiv:2101.00001", DC_ID_ARXIV, "2101.00001"},
    {"https://example.org/article/view/9", DC_ID_URL, "https://example.org/article/view/9"},
    {"article-view-9", DC_ID_OTHER, "article-view-9"},
};

/* Criterion runs each case in a new process: pass indices, not pointers */
static size_t id_cases_idx[sizeof id_cases / sizeof id_cases[0]];

ParameterizedTestParameters(dc_ident, table)
{
	for (size_t i = 0; i < sizeof id_cases_idx / sizeof id_cases_idx[0]; i++)
		id_cases_idx[i] = i;
	return cr_make_param_array(size_t, id_cases_idx,
	                           sizeof id_cases_idx / sizeof id_cases_idx[0]);
}

ParameterizedTest(size_t *ix, dc_ident, table)
{
	const struct id_case *c = &id_cases[*ix];
	dc_ident id;
	dc_ident_classify(c->in, &id);
	cr_expect_eq(id.kind, c->kind, "'%s': kind %s", c->in, dc_ident_kind_name(id.kind));
	cr_expect_str_eq(id.value, c->value, "'%s': value '%s'", c->in, id.value);
}

Test(dc_ident, handle_url_names_the_handle)
{
	dc_ident id;
	dc_ident_classify("http://hdl.handle.net/1765/1094", &id);
	cr_expect_str_eq(id.handle, "1765/1094");
}
