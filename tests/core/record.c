/*
 * The canonical record: setters keep the text invariants, getters give back
 * what was stored, clone is deep, compare finds every kind of difference,
 * and one cw_record_free releases everything (the sanitizer build checks
 * that no test here leaks).
 */
#include <string.h>

#include "cw_test.h"

#include "cwt_cases.h"

static cw_record *new_record(void)
{
	cw_record *r = NULL;
	cr_assert_eq(cw_record_new(&r), CW_OK);
	cr_assert_not_null(r);
	return r;
}

/* --- text fields --- */

struct text_case {
	enum cw_field field;
	const char *in;
	size_t len;       /* 0: strlen */
	const char *want; /* NULL: unset */
	int status;
};

/* clang-format off */
static struct text_case text_cases[] = {
	{CW_FIELD_PUBLISHER, "Elsevier", 0, "Elsevier", CW_OK},
	{CW_FIELD_PUBLISHER, "  Elsevier \t\n", 0, "Elsevier", CW_OK},
	{CW_FIELD_PUBLISHER, "\r\n Wiley\r\n", 0, "Wiley", CW_OK},
	{CW_FIELD_PUBLISHER, "", 0, NULL, CW_OK},
	{CW_FIELD_PUBLISHER, "   \t\n ", 0, NULL, CW_OK},
	{CW_FIELD_VOLUME, "12", 0, "12", CW_OK},
	{CW_FIELD_PAGE, " 3-4 ", 0, "3-4", CW_OK},
	{CW_FIELD_PUBLISHER, "Caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80", 0,
	 "Caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80", CW_OK},
	/* invalid UTF-8: lone continuation, truncated sequence, overlong, surrogate */
	{CW_FIELD_PUBLISHER, "a\x80z", 0, "a\xef\xbf\xbdz", CW_REPLACED},
	{CW_FIELD_PUBLISHER, "a\xc3", 0, "a\xef\xbf\xbd", CW_REPLACED},
	{CW_FIELD_PUBLISHER, "\xc0\xafx", 0, "\xef\xbf\xbd\xef\xbf\xbdx", CW_REPLACED},
	{CW_FIELD_PUBLISHER, "\xed\xa0\x80", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", CW_REPLACED},
	{CW_FIELD_PUBLISHER, "\xef\xbf\xbe!", 0, "\xef\xbf\xbd!", CW_REPLACED},
	/* control bytes other than tab and newline are stripped */
	{CW_FIELD_PUBLISHER, "A\x01" "B\x1b" "C\x7f", 0, "ABC\x7f", CW_REPLACED},
	{CW_FIELD_PUBLISHER, "tab\there\nline", 0, "tab\there\nline", CW_OK},
	{CW_FIELD_PUBLISHER, "cr\rlf", 0, "cr\nlf", CW_OK},
	/* an explicit length stops at it; a NUL inside it is a control byte */
	{CW_FIELD_PUBLISHER, "abcdef", 3, "abc", CW_OK},
	{CW_FIELD_PUBLISHER, "ab\0cd", 5, "abcd", CW_REPLACED},
	/* markers are not allowed in plain text fields */
	{CW_FIELD_PUBLISHER, "\x01" "x\x02", 0, "x", CW_REPLACED},
	/* rich fields keep balanced markers */
	{CW_FIELD_TITLE, "The \x01" "E. coli\x02 genome", 0, "The \x01" "E. coli\x02 genome", CW_OK},
	{CW_FIELD_TITLE, "H\x07" "2\x08O", 0, "H\x07" "2\x08O", CW_OK},
	/* unclosed, stray closer, crossed, empty span */
	{CW_FIELD_TITLE, "a \x01" "b", 0, "a \x01" "b\x02", CW_REPLACED},
	{CW_FIELD_TITLE, "a\x04 b", 0, "a b", CW_REPLACED},
	{CW_FIELD_TITLE, "\x01" "a\x03" "b\x02" "c\x04", 0, "\x01" "a\x03" "b\x04\x02\x03" "c\x04",
	 CW_REPLACED},
	{CW_FIELD_TITLE, "x\x01\x02y", 0, "xy", CW_OK},
	{CW_FIELD_TITLE, "\x01 \x02", 0, NULL, CW_OK},
	{CW_FIELD_TITLE, "x \x01\x02", 0, "x", CW_OK},
	/* white space inside spans at the edges is trimmed too */
	{CW_FIELD_TITLE, "\x01 Title \x02", 0, "\x01Title\x02", CW_OK},
	{CW_FIELD_TITLE, "\x01\x03 \x04\x02", 0, NULL, CW_OK},
};
/* clang-format on */

CWT_CASES(record, text, text_cases)

ParameterizedTest(size_t *i, record, text)
{
	const struct text_case *tc = &text_cases[*i];
	cw_record *r = new_record();
	/* an earlier value is replaced, or unset by an empty one */
	cr_assert_eq(cw_record_set_text(r, tc->field, "old value", CW_NUL), CW_OK);
	int rc = cw_record_set_text(r, tc->field, tc->in, tc->len ? tc->len : strlen(tc->in));
	cr_expect_eq(rc, tc->status, "set_text(%s) returned %d, want %d", cw_field_name(tc->field),
	             rc, tc->status);
	const char *got = cw_record_text(r, tc->field);
	if (tc->want) {
		cr_assert_not_null(got);
		cr_expect_str_eq(got, tc->want);
		cr_expect(cw_record_has(r, tc->field));
	} else {
		cr_expect_null(got, "expected unset, got \"%s\"", got ? got : "");
		cr_expect_not(cw_record_has(r, tc->field));
	}
	cw_record_free(r);
}

Test(record, text_nul_terminated_and_wrong_kind)
{
	cw_record *r = new_record();
	cr_expect_eq(cw_record_set_text(r, CW_FIELD_TITLE, "  T  ", CW_NUL), CW_OK);
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_TITLE), "T");
	/* the setter copies: the caller's buffer may change afterwards */
	char buf[] = "Springer";
	cw_record_set_text(r, CW_FIELD_PUBLISHER, buf, CW_NUL);
	buf[0] = 'X';
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_PUBLISHER), "Springer");
	/* wrong kinds and bad ids are refused without crashing */
	cr_expect_eq(cw_record_set_text(r, CW_FIELD_AUTHOR, "x", CW_NUL), CW_EINVAL);
	cr_expect_eq(cw_record_set_text(r, CW_FIELD_ISSUED, "2004", CW_NUL), CW_EINVAL);
	cr_expect_eq(cw_record_set_text(r, CW_FIELD_NONE, "x", CW_NUL), CW_EINVAL);
	cr_expect_eq(cw_record_set_text(r, (enum cw_field)9999, "x", CW_NUL), CW_EINVAL);
	cr_expect_eq(cw_record_set_text(NULL, CW_FIELD_TITLE, "x", CW_NUL), CW_EINVAL);
	cr_expect_null(cw_record_text(r, CW_FIELD_AUTHOR));
	cr_expect_null(cw_record_text(NULL, CW_FIELD_TITLE));
	/* NULL text unsets */
	cr_expect_eq(cw_record_set_text(r, CW_FIELD_TITLE, NULL, 0), CW_OK);
	cr_expect_null(cw_record_text(r, CW_FIELD_TITLE));
	cw_record_free(r);
}

Test(record, type_source_origin)
{
	cw_record *r = new_record();
	cr_expect_eq(cw_record_type(r), CW_TYPE_UNSET);
	enum cw_item_type t = cw_item_type_from_name("article-journal", CW_NUL);
	cr_assert_neq(t, CW_TYPE_UNSET);
	cr_expect_eq(cw_record_set_type(r, t), CW_OK);
	cr_expect_eq(cw_record_type(r), t);
	cr_expect_eq(cw_record_set_type(r, CW_TYPE_COUNT_), CW_EINVAL);
	cr_expect_eq(cw_record_set_type(r, (enum cw_item_type)(-1)), CW_EINVAL);
	cr_expect_eq(cw_record_type(r), t);

	cr_expect_null(cw_record_source_format(r));
	cr_expect_eq(cw_record_set_source_format(r, "bibtex"), CW_OK);
	cr_expect_str_eq(cw_record_source_format(r), "bibtex");
	cr_expect_eq(cw_record_set_source_format(r, NULL), CW_OK);
	cr_expect_null(cw_record_source_format(r));

	uint32_t line = 9, col = 9;
	cw_record_origin(r, &line, &col);
	cr_expect_eq(line, 0);
	cr_expect_eq(col, 0);
	cw_record_set_origin(r, 120, 7);
	cw_record_origin(r, &line, NULL);
	cw_record_origin(r, NULL, &col);
	cr_expect_eq(line, 120);
	cr_expect_eq(col, 7);
	cw_record_free(r);
}

/* --- names --- */

Test(record, names_every_part_and_flag)
{
	cw_record *r = new_record();
	const char *affs[] = {"aff1", "", "aff2"};
	cw_name n = CW_NAME_INIT;
	n.family = " Beethoven ";
	n.given = "Ludwig";
	n.dropping_particle = "de";
	n.non_dropping_particle = "van";
	n.suffix = "Jr.";
	n.flags = CW_NAME_COMMA_SUFFIX | CW_NAME_STATIC_ORDERING | CW_NAME_PARSE_NAMES |
	          CW_NAME_CORRESPONDING | CW_NAME_EQUAL_CONTRIB;
	n.orcid = "https://orcid.org/0000-0002-1825-0097";
	n.email = "lvb@example.org";
	n.affiliation_ids = affs;
	n.affiliation_count = 3;
	n.degrees = "PhD";
	n.role = "Conceptualization";
	n.extra_format = "csljson";
	n.extra = "{\"x\": 1}";
	cr_assert_eq(cw_record_add_name(r, CW_FIELD_AUTHOR, &n), CW_OK);
	cw_name org = CW_NAME_INIT;
	org.literal = "World Health Organization";
	cr_assert_eq(cw_record_add_name(r, CW_FIELD_AUTHOR, &org), CW_OK);
	cw_name etal = CW_NAME_INIT;
	etal.flags = CW_NAME_ETAL;
	cr_assert_eq(cw_record_add_name(r, CW_FIELD_AUTHOR, &etal), CW_OK);
	cw_name ed = CW_NAME_INIT;
	ed.family = "Knuth";
	ed.flags = CW_NAME_NO_PARSE_NAMES;
	cr_assert_eq(cw_record_add_name(r, CW_FIELD_EDITOR, &ed), CW_OK);

	cr_assert_eq(cw_record_name_count(r, CW_FIELD_AUTHOR), 3);
	cr_assert_eq(cw_record_name_count(r, CW_FIELD_EDITOR), 1);
	cr_expect_eq(cw_record_name_count(r, CW_FIELD_TRANSLATOR), 0);
	const cw_name *g = cw_record_name(r, CW_FIELD_AUTHOR, 0);
	cr_assert_not_null(g);
	cr_expect_geq(g->struct_size, sizeof(cw_name));
	cr_expect_str_eq(g->family, "Beethoven");
	cr_expect_str_eq(g->given, "Ludwig");
	cr_expect_str_eq(g->dropping_particle, "de");
	cr_expect_str_eq(g->non_dropping_particle, "van");
	cr_expect_str_eq(g->suffix, "Jr.");
	cr_expect_null(g->literal);
	cr_expect_eq(g->flags, n.flags);
	cr_expect_str_eq(g->orcid, n.orcid);
	cr_expect_str_eq(g->email, n.email);
	cr_expect_str_eq(g->degrees, "PhD");
	cr_expect_str_eq(g->role, "Conceptualization");
	cr_expect_str_eq(g->extra_format, "csljson");
	cr_expect_str_eq(g->extra, "{\"x\": 1}");
	/* the empty id is dropped, the others kept in order */
	cr_assert_eq(g->affiliation_count, 2);
	cr_expect_str_eq(g->affiliation_ids[0], "aff1");
	cr_expect_str_eq(g->affiliation_ids[1], "aff2");
	cr_expect_neq((const void *)g->family, (const void *)n.family, "the name must be copied");

	g = cw_record_name(r, CW_FIELD_AUTHOR, 1);
	cr_expect_str_eq(g->literal, "World Health Organization");
	cr_expect_null(g->family);
	g = cw_record_name(r, CW_FIELD_AUTHOR, 2);
	cr_expect_eq(g->flags, CW_NAME_ETAL);
	cr_expect_eq(cw_record_name(r, CW_FIELD_EDITOR, 0)->flags, CW_NAME_NO_PARSE_NAMES);
	cr_expect_null(cw_record_name(r, CW_FIELD_AUTHOR, 3));
	cr_expect_null(cw_record_name(r, CW_FIELD_TITLE, 0));
	cw_record_free(r);
}

Test(record, names_refused)
{
	cw_record *r = new_record();
	cw_name empty = CW_NAME_INIT;
	cr_expect_eq(cw_record_add_name(r, CW_FIELD_AUTHOR, &empty), CW_EINVAL);
	cw_name blank = CW_NAME_INIT;
	blank.family = "  ";
	blank.given = "";
	blank.flags = CW_NAME_CORRESPONDING;
	cr_expect_eq(cw_record_add_name(r, CW_FIELD_AUTHOR, &blank), CW_EINVAL);
	cw_name ok = CW_NAME_INIT;
	ok.family = "Smith";
	cr_expect_eq(cw_record_add_name(r, CW_FIELD_TITLE, &ok), CW_EINVAL);
	cr_expect_eq(cw_record_add_name(r, CW_FIELD_AUTHOR, NULL), CW_EINVAL);
	cw_name tiny = ok;
	tiny.struct_size = 4;
	cr_expect_eq(cw_record_add_name(r, CW_FIELD_AUTHOR, &tiny), CW_EINVAL);
	cr_expect_eq(cw_record_name_count(r, CW_FIELD_AUTHOR), 0);
	cr_expect_not(cw_record_has(r, CW_FIELD_AUTHOR));
	/* bad UTF-8 in a name part is repaired and reported */
	cw_name bad = CW_NAME_INIT;
	bad.family = "M\xfcller";
	cr_expect_eq(cw_record_add_name(r, CW_FIELD_AUTHOR, &bad), CW_REPLACED);
	cr_expect_str_eq(cw_record_name(r, CW_FIELD_AUTHOR, 0)->family, "M\xef\xbf\xbdller");
	cw_record_free(r);
}

/*
 * Every value struct has been its whole size since ABI 1.0: a struct_size
 * short of that was never a real caller's and is refused, whatever part of
 * the struct it covers. Before ABI 1.3 a cw_name ending at flags, a cw_date
 * ending at raw and the others missing their last member were taken.
 */
Test(record, value_structs_smaller_than_abi_1_0_are_refused)
{
	cw_record *r = new_record();
	cw_name n = CW_NAME_INIT;
	n.family = "Old";
	n.struct_size = (uint32_t)offsetof(cw_name, orcid);
	cr_expect_eq(cw_record_add_name(r, CW_FIELD_AUTHOR, &n), CW_EINVAL);
	n.struct_size = (uint32_t)(offsetof(cw_name, extra) + sizeof n.extra - 1);
	cr_expect_eq(cw_record_add_name(r, CW_FIELD_AUTHOR, &n), CW_EINVAL);
	cw_date d = CW_DATE_INIT;
	d.year = 2004;
	d.parts = 1;
	d.struct_size = (uint32_t)offsetof(cw_date, extra_format);
	cr_expect_eq(cw_record_set_date(r, CW_FIELD_ISSUED, &d), CW_EINVAL);
	cw_item it = CW_ITEM_INIT;
	it.value = "x";
	it.struct_size = (uint32_t)offsetof(cw_item, scheme);
	cr_expect_eq(cw_record_add_item(r, CW_FIELD_KEYWORDS, &it), CW_EINVAL);
	cw_affiliation a = CW_AFFILIATION_INIT;
	a.text = "Somewhere";
	a.struct_size = (uint32_t)offsetof(cw_affiliation, other_id_type);
	cr_expect_eq(cw_record_add_affiliation(r, &a), CW_EINVAL);
	cw_funding fu = CW_FUNDING_INIT;
	fu.funder = "Someone";
	fu.struct_size = (uint32_t)offsetof(cw_funding, award_title);
	cr_expect_eq(cw_record_add_funding(r, &fu), CW_EINVAL);
	cr_expect_eq(cw_record_next_field(r, CW_FIELD_NONE), CW_FIELD_NONE, "nothing stored");

	/* the whole 1.0 struct is taken, its last member included */
	n.struct_size = sizeof n;
	n.extra_format = "x";
	n.extra = "kept";
	cr_expect_eq(cw_record_add_name(r, CW_FIELD_AUTHOR, &n), CW_OK);
	cr_expect_str_eq(cw_record_name(r, CW_FIELD_AUTHOR, 0)->extra, "kept");
	d.struct_size = sizeof d;
	cr_expect_eq(cw_record_set_date(r, CW_FIELD_ISSUED, &d), CW_OK);
	it.struct_size = sizeof it;
	it.scheme = "s";
	cr_expect_eq(cw_record_add_item(r, CW_FIELD_KEYWORDS, &it), CW_OK);
	cr_expect_str_eq(cw_record_item(r, CW_FIELD_KEYWORDS, 0)->scheme, "s");
	a.struct_size = sizeof a;
	cr_expect_eq(cw_record_add_affiliation(r, &a), CW_OK);
	fu.struct_size = sizeof fu;
	cr_expect_eq(cw_record_add_funding(r, &fu), CW_OK);
	cw_record_free(r);
}

/* --- dates --- */

Test(record, dates)
{
	cw_record *r = new_record();
	cw_date d = CW_DATE_INIT;
	d.year = 2004;
	d.month = 5;
	d.day = 99; /* beyond parts: not stored */
	d.parts = 2;
	d.end_year = 2005;
	d.end_parts = 1;
	d.flags = CW_DATE_CIRCA;
	d.season = " Spring ";
	d.raw = "spring 2004 - 2005";
	d.extra_format = "bibtex";
	d.extra = "{x}";
	cr_assert_eq(cw_record_set_date(r, CW_FIELD_ISSUED, &d), CW_OK);
	const cw_date *g = cw_record_date(r, CW_FIELD_ISSUED);
	cr_assert_not_null(g);
	cr_expect_eq(g->year, 2004);
	cr_expect_eq(g->month, 5);
	cr_expect_eq(g->day, 0);
	cr_expect_eq(g->parts, 2);
	cr_expect_eq(g->end_year, 2005);
	cr_expect_eq(g->end_month, 0);
	cr_expect_eq(g->end_parts, 1);
	cr_expect_eq(g->flags, CW_DATE_CIRCA);
	cr_expect_str_eq(g->season, "Spring");
	cr_expect_str_eq(g->raw, "spring 2004 - 2005");
	cr_expect_null(g->literal);
	cr_expect_str_eq(g->extra_format, "bibtex");
	cr_expect_str_eq(g->extra, "{x}");

	/* a literal alone is a date; nothing at all is not */
	cw_date lit = CW_DATE_INIT;
	lit.literal = "Michaelmas term 1850";
	cr_expect_eq(cw_record_set_date(r, CW_FIELD_ACCESSED, &lit), CW_OK);
	cr_expect_str_eq(cw_record_date(r, CW_FIELD_ACCESSED)->literal, "Michaelmas term 1850");
	cw_date none = CW_DATE_INIT;
	cr_expect_eq(cw_record_set_date(r, CW_FIELD_SUBMITTED, &none), CW_EINVAL);
	none.literal = "   ";
	cr_expect_eq(cw_record_set_date(r, CW_FIELD_SUBMITTED, &none), CW_EINVAL);
	cr_expect_null(cw_record_date(r, CW_FIELD_SUBMITTED));
	/* an open-ended range with no known start is still a date */
	cw_date open = CW_DATE_INIT;
	open.flags = CW_DATE_OPEN_START;
	cr_expect_eq(cw_record_set_date(r, CW_FIELD_SUBMITTED, &open), CW_OK);
	/* impossible part counts and wrong kinds */
	cw_date bad = CW_DATE_INIT;
	bad.year = 1;
	bad.parts = 4;
	cr_expect_eq(cw_record_set_date(r, CW_FIELD_EVENT_DATE, &bad), CW_EINVAL);
	cr_expect_eq(cw_record_set_date(r, CW_FIELD_TITLE, &d), CW_EINVAL);
	cr_expect_null(cw_record_date(r, CW_FIELD_TITLE));
	/* replacing a date */
	cw_date d2 = CW_DATE_INIT;
	d2.year = 1999;
	d2.parts = 1;
	cr_expect_eq(cw_record_set_date(r, CW_FIELD_ISSUED, &d2), CW_OK);
	cr_expect_eq(cw_record_date(r, CW_FIELD_ISSUED)->year, 1999);
	cr_expect_null(cw_record_date(r, CW_FIELD_ISSUED)->season);
	cw_record_free(r);
}

/* --- lists, affiliations, funding --- */

Test(record, list_items)
{
	cw_record *r = new_record();
	cw_item k = CW_ITEM_INIT;
	k.value = " genomics ";
	k.lang = "en";
	k.type = "author";
	k.scheme = "MeSH";
	cr_assert_eq(cw_record_add_item(r, CW_FIELD_KEYWORDS, &k), CW_OK);
	k.value = "g\xc3\xa9nomique";
	k.lang = "fr";
	k.type = NULL;
	k.scheme = NULL;
	cr_assert_eq(cw_record_add_item(r, CW_FIELD_KEYWORDS, &k), CW_OK);
	cr_assert_eq(cw_record_item_count(r, CW_FIELD_KEYWORDS), 2);
	const cw_item *g = cw_record_item(r, CW_FIELD_KEYWORDS, 0);
	cr_expect_str_eq(g->value, "genomics");
	cr_expect_str_eq(g->lang, "en");
	cr_expect_str_eq(g->type, "author");
	cr_expect_str_eq(g->scheme, "MeSH");
	g = cw_record_item(r, CW_FIELD_KEYWORDS, 1);
	cr_expect_str_eq(g->value, "g\xc3\xa9nomique");
	cr_expect_null(g->type);
	cr_expect_null(cw_record_item(r, CW_FIELD_KEYWORDS, 2));

	/* plain lists drop markers, rich lists keep them balanced */
	cw_item m = CW_ITEM_INIT;
	m.value = "\001in vivo";
	cr_expect_eq(cw_record_add_item(r, CW_FIELD_SUBJECTS, &m), CW_REPLACED);
	cr_expect_str_eq(cw_record_item(r, CW_FIELD_SUBJECTS, 0)->value, "in vivo");
	cr_expect_eq(cw_record_add_item(r, CW_FIELD_ABSTRACTS, &m), CW_REPLACED);
	cr_expect_str_eq(cw_record_item(r, CW_FIELD_ABSTRACTS, 0)->value, "\001in vivo\002");

	/* an item needs a value */
	cw_item e = CW_ITEM_INIT;
	cr_expect_eq(cw_record_add_item(r, CW_FIELD_KEYWORDS, &e), CW_EINVAL);
	e.value = "  ";
	cr_expect_eq(cw_record_add_item(r, CW_FIELD_KEYWORDS, &e), CW_EINVAL);
	cr_expect_eq(cw_record_add_item(r, CW_FIELD_TITLE, &k), CW_EINVAL);
	cr_expect_eq(cw_record_item_count(r, CW_FIELD_KEYWORDS), 2);
	cr_expect_eq(cw_record_item_count(r, CW_FIELD_LINKS), 0);
	cw_record_free(r);
}

Test(record, words_and_the_keyword_alias)
{
	cw_record *r = new_record();
	/* ';' wins over ',' so a keyword may hold a comma */
	cr_assert_eq(
	    cw_record_add_words(r, CW_FIELD_KEYWORDS, "Diabetes, Type 2; ; Obesity ", CW_NUL),
	    CW_OK);
	/* the CSL keyword string lands in the same list */
	cr_assert_eq(cw_record_set_text(r, CW_FIELD_KEYWORD, "a, b,,c", CW_NUL), CW_OK);
	cr_expect_not(cw_record_has(r, CW_FIELD_KEYWORD));
	cr_expect_null(cw_record_text(r, CW_FIELD_KEYWORD));
	cr_assert_eq(cw_record_item_count(r, CW_FIELD_KEYWORDS), 5);
	cr_expect_str_eq(cw_record_item(r, CW_FIELD_KEYWORDS, 0)->value, "Diabetes, Type 2");
	cr_expect_str_eq(cw_record_item(r, CW_FIELD_KEYWORDS, 1)->value, "Obesity");
	cr_expect_str_eq(cw_record_item(r, CW_FIELD_KEYWORDS, 4)->value, "c");
	cw_buf b = CW_BUF_INIT;
	cr_assert_eq(cw_record_join_items(r, CW_FIELD_KEYWORDS, &b), CW_OK);
	cr_expect_str_eq(cw_buf_str(&b), "Diabetes, Type 2; Obesity; a; b; c");
	/* joined and split again: the same items */
	cw_record *r2 = new_record();
	cr_assert_eq(cw_record_add_words(r2, CW_FIELD_KEYWORDS, cw_buf_str(&b), CW_NUL), CW_OK);
	cr_expect_eq(cw_record_compare(r, r2, NULL), 0);
	cw_buf_clear(&b);
	cw_record_clear(r2, CW_FIELD_KEYWORDS);
	cw_record_add_words(r2, CW_FIELD_KEYWORDS, "x;y", CW_NUL);
	cr_assert_eq(cw_record_join_items(r2, CW_FIELD_KEYWORDS, &b), CW_OK);
	cr_expect_str_eq(cw_buf_str(&b), "x, y");
	cr_expect_eq(cw_record_add_words(r2, CW_FIELD_TITLE, "x", CW_NUL), CW_EINVAL);
	cw_buf_free(&b);
	cw_record_free(r2);
	cw_record_free(r);
}

Test(record, joined_titles)
{
	static const struct {
		const char *title, *sub, *addon, *want;
	} cases[] = {
	    {"Title", "Subtitle", NULL, "Title: Subtitle"},
	    {"Why?", "An answer", NULL, "Why? An answer"},
	    {"Title:", "Sub", NULL, "Title: Sub"},
	    {"Title", NULL, "Addon", "Title. Addon"},
	    {"Title", "Sub", "Addon", "Title: Sub. Addon"},
	    {"Title", "Sub.", "Addon", "Title: Sub. Addon"},
	    {"\001Title\002", "Sub", NULL, "\001Title\002: Sub"},
	    {"\342\200\234Quoted?\342\200\235", "Sub", NULL, "\342\200\234Quoted?\342\200\235 Sub"},
	    {NULL, "Sub", NULL, "Sub"},
	    {"Title", NULL, NULL, "Title"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cw_record *r = new_record();
		cw_record_set_text(r, CW_FIELD_CONTAINER_TITLE, cases[i].title, CW_NUL);
		cw_record_set_text(r, CW_FIELD_CONTAINER_SUBTITLE, cases[i].sub, CW_NUL);
		cw_record_set_text(r, CW_FIELD_CONTAINER_TITLE_ADDON, cases[i].addon, CW_NUL);
		cw_buf b = CW_BUF_INIT;
		cw_buf_append(&b, "x", 1); /* appends after what is there */
		cr_assert_eq(cw_record_joined_title(r, CW_FIELD_CONTAINER_TITLE, &b), CW_OK);
		cr_expect_str_eq(cw_buf_str(&b) + 1, cases[i].want, "case %zu", i);
		cr_expect_eq(cw_record_title_has_parts(r, CW_FIELD_CONTAINER_TITLE),
		             cases[i].sub || cases[i].addon);
		cw_buf_free(&b);
		cw_record_free(r);
	}
	cw_buf b = CW_BUF_INIT;
	cw_record *r = new_record();
	cr_expect_eq(cw_record_joined_title(r, CW_FIELD_NOTE, &b), CW_EINVAL);
	cr_expect_eq(cw_record_joined_title(r, CW_FIELD_TITLE, &b), CW_OK);
	cr_expect_eq(b.len, 0);
	cw_record_free(r);
	cw_buf_free(&b);
}

Test(record, generated_keys)
{
	static const struct {
		const char *family, *literal, *title;
		int year;
		const char *want, *want_short;
	} cases[] = {
	    {"M\xc3\xbcller-Sch\xc3\xb6n", NULL,
	     "The \001Effect\002 of Stra\xc3\x9f"
	     "e",
	     2008, "mullerschon2008effect", "mullerschon2008"},
	    {"van der Berg", NULL, "On a theory", 1999, "vanderberg1999theory", "vanderberg1999"},
	    {"O\xe2\x80\x99"
	     "Brien",
	     NULL,
	     "L\xe2\x80\x99"
	     "Amour",
	     0, "obrienlamour", "obrien"},
	    {NULL, "World Health Organization", "Report", 2020, "world2020report", "world2020"},
	    {NULL, NULL, "A the of", 2001, "anon2001", "anon2001"},
	    {"\xc5\x81ukasiewicz", NULL, "\xc3\x86sthetik", 1930, "lukasiewicz1930aesthetik",
	     "lukasiewicz1930"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cw_record *r = new_record();
		cw_name n = CW_NAME_INIT;
		n.family = cases[i].family;
		n.literal = cases[i].literal;
		if (n.family || n.literal)
			cw_record_add_name(r, CW_FIELD_EDITOR, &n);
		cw_record_set_text(r, CW_FIELD_TITLE, cases[i].title, CW_NUL);
		if (cases[i].year) {
			cw_date d = CW_DATE_INIT;
			d.year = cases[i].year;
			d.parts = 1;
			cw_record_set_date(r, CW_FIELD_ISSUED, &d);
		}
		cw_buf b = CW_BUF_INIT;
		cr_assert_eq(cw_record_make_key(r, CW_KEY_AUTH_YEAR_TITLE, &b), CW_OK);
		cr_expect_str_eq(cw_buf_str(&b), cases[i].want, "case %zu", i);
		cw_buf_clear(&b);
		cr_assert_eq(cw_record_make_key(r, CW_KEY_AUTH_YEAR, &b), CW_OK);
		cr_expect_str_eq(cw_buf_str(&b), cases[i].want_short, "case %zu", i);
		cw_buf_free(&b);
		cw_record_free(r);
	}
}

Test(record, affiliations)
{
	cw_record *r = new_record();
	cw_affiliation a = CW_AFFILIATION_INIT;
	a.id = "aff1";
	a.text = "Dept. of Biology, Univ. of Somewhere, Paris, France";
	a.institution = "University of Somewhere";
	a.department = "Department of Biology";
	a.address = "1 rue de la Paix";
	a.city = "Paris";
	a.region = "Ile-de-France";
	a.postal_code = "75002";
	a.country = "France";
	a.country_code = "FR";
	a.ror = "https://ror.org/02feahw73";
	a.other_id = "0000 0001 2112 9282";
	a.other_id_type = "ISNI";
	cr_assert_eq(cw_record_add_affiliation(r, &a), CW_OK);
	cw_affiliation b = CW_AFFILIATION_INIT;
	b.id = "aff2";
	b.institution = "CERN";
	cr_assert_eq(cw_record_add_affiliation(r, &b), CW_OK);
	cw_affiliation none = CW_AFFILIATION_INIT;
	none.id = "aff3"; /* an id alone says nothing */
	cr_expect_eq(cw_record_add_affiliation(r, &none), CW_EINVAL);
	cr_expect_eq(cw_record_add_affiliation(r, NULL), CW_EINVAL);

	cr_assert_eq(cw_record_affiliation_count(r), 2);
	cr_expect(cw_record_has(r, CW_FIELD_AFFILIATIONS));
	const cw_affiliation *g = cw_record_affiliation(r, 0);
	cr_expect_str_eq(g->id, "aff1");
	cr_expect_str_eq(g->text, a.text);
	cr_expect_str_eq(g->institution, a.institution);
	cr_expect_str_eq(g->department, a.department);
	cr_expect_str_eq(g->address, a.address);
	cr_expect_str_eq(g->city, "Paris");
	cr_expect_str_eq(g->region, a.region);
	cr_expect_str_eq(g->postal_code, "75002");
	cr_expect_str_eq(g->country, "France");
	cr_expect_str_eq(g->country_code, "FR");
	cr_expect_str_eq(g->ror, a.ror);
	cr_expect_str_eq(g->other_id, a.other_id);
	cr_expect_str_eq(g->other_id_type, "ISNI");
	cr_expect_eq(cw_record_affiliation_by_id(r, "aff2"), cw_record_affiliation(r, 1));
	cr_expect_null(cw_record_affiliation_by_id(r, "aff3"));
	cr_expect_null(cw_record_affiliation_by_id(r, NULL));
	cr_expect_null(cw_record_affiliation(r, 2));
	cw_record_free(r);
}

Test(record, funding)
{
	cw_record *r = new_record();
	cw_funding f = CW_FUNDING_INIT;
	f.funder = "National Science Foundation";
	f.funder_id = "https://doi.org/10.13039/100000001";
	f.award_id = "DEB-1234567";
	f.award_title = "Dimensions of biodiversity";
	cr_assert_eq(cw_record_add_funding(r, &f), CW_OK);
	cw_funding g2 = CW_FUNDING_INIT;
	g2.award_id = "ERC-2020-STG";
	cr_assert_eq(cw_record_add_funding(r, &g2), CW_OK);
	cw_funding none = CW_FUNDING_INIT;
	cr_expect_eq(cw_record_add_funding(r, &none), CW_EINVAL);
	cr_assert_eq(cw_record_funding_count(r), 2);
	const cw_funding *g = cw_record_funding(r, 0);
	cr_expect_str_eq(g->funder, f.funder);
	cr_expect_str_eq(g->funder_id, f.funder_id);
	cr_expect_str_eq(g->award_id, f.award_id);
	cr_expect_str_eq(g->award_title, f.award_title);
	cr_expect_str_eq(cw_record_funding(r, 1)->award_id, "ERC-2020-STG");
	cr_expect_null(cw_record_funding(r, 1)->funder);
	cr_expect_null(cw_record_funding(r, 2));
	cw_record_free(r);
}

/* --- children --- */

Test(record, children_add_adopt_take)
{
	cw_record *p = new_record();
	cw_record *c1 = NULL;
	cr_assert_eq(cw_record_add_child(p, &c1), CW_OK);
	cr_assert_not_null(c1);
	cw_record_set_text(c1, CW_FIELD_TITLE, "first", CW_NUL);
	cw_record *c2 = new_record();
	cw_record_set_text(c2, CW_FIELD_TITLE, "second", CW_NUL);
	/* a grandchild: freed with the whole tree */
	cw_record *gc = NULL;
	cr_assert_eq(cw_record_add_child(c2, &gc), CW_OK);
	cw_record_set_text(gc, CW_FIELD_TITLE, "grandchild", CW_NUL);
	cr_assert_eq(cw_record_adopt_child(p, c2), CW_OK);
	cr_expect_eq(cw_record_adopt_child(p, p), CW_EINVAL);
	cr_expect_eq(cw_record_adopt_child(p, NULL), CW_EINVAL);
	cr_expect_eq(cw_record_add_child(p, NULL), CW_EINVAL);

	cr_assert_eq(cw_record_child_count(p), 2);
	cr_expect(cw_record_has(p, CW_FIELD_REFERENCE_LIST));
	cr_expect_str_eq(cw_record_text(cw_record_child(p, 0), CW_FIELD_TITLE), "first");
	cr_expect_eq(cw_record_child(p, 1), c2);
	cr_expect_null(cw_record_child(p, 2));
	cr_expect_eq(cw_record_child_count(cw_record_child(p, 1)), 1);

	cw_record **kids = NULL;
	size_t n = 0;
	cr_assert_eq(cw_record_take_children(p, &kids, &n), CW_OK);
	cr_assert_eq(n, 2);
	cr_expect_eq(kids[0], c1);
	cr_expect_eq(kids[1], c2);
	cr_expect_eq(cw_record_child_count(p), 0);
	cr_expect_not(cw_record_has(p, CW_FIELD_REFERENCE_LIST));
	/* nothing left to take */
	cw_record **none = (cw_record **)&n;
	size_t zero = 7;
	cr_expect_eq(cw_record_take_children(p, &none, &zero), CW_OK);
	cr_expect_null(none);
	cr_expect_eq(zero, 0);
	/* the taken records are the caller's now; the parent may be freed first */
	cw_record_free(p);
	cr_expect_str_eq(cw_record_text(kids[1], CW_FIELD_TITLE), "second");
	for (size_t i = 0; i < n; i++)
		cw_record_free(kids[i]);
	cw_free(kids);
}

Test(record, clear_fields)
{
	cw_record *r = new_record();
	cw_record_set_text(r, CW_FIELD_TITLE, "t", CW_NUL);
	cw_name n = CW_NAME_INIT;
	n.family = "A";
	cw_record_add_name(r, CW_FIELD_AUTHOR, &n);
	cw_record *kid;
	cw_record_add_child(r, &kid);
	cr_expect_eq(cw_record_next_field(r, CW_FIELD_NONE), CW_FIELD_TITLE);
	cr_expect_eq(cw_record_clear(r, CW_FIELD_TITLE), CW_OK);
	cr_expect_eq(cw_record_clear(r, CW_FIELD_AUTHOR), CW_OK);
	cr_expect_eq(cw_record_clear(r, CW_FIELD_REFERENCE_LIST), CW_OK);
	cr_expect_eq(cw_record_next_field(r, CW_FIELD_NONE), CW_FIELD_NONE);
	cr_expect_eq(cw_record_name_count(r, CW_FIELD_AUTHOR), 0);
	cr_expect_eq(cw_record_child_count(r), 0);
	cr_expect_eq(cw_record_clear(r, CW_FIELD_NONE), CW_EINVAL);
	cw_record_free(r);
}

/* --- passthrough --- */

Test(record, passthrough)
{
	cw_record *r = new_record();
	cr_assert_eq(cw_record_add_passthrough(r, "bibtex", "owner", "  {me}  ", CW_NUL), CW_OK);
	/* a format's own text is kept byte for byte, embedded NUL length included */
	cr_assert_eq(cw_record_add_passthrough(r, "csljson", "x-num", "[1, 2]xyz", 6), CW_OK);
	cr_assert_eq(cw_record_add_passthrough(r, "bibtex", "owner", "second", CW_NUL), CW_OK);
	cr_expect_eq(cw_record_add_passthrough(r, NULL, "n", "v", CW_NUL), CW_EINVAL);
	cr_expect_eq(cw_record_add_passthrough(r, "f", NULL, "v", CW_NUL), CW_EINVAL);
	cr_expect_eq(cw_record_add_passthrough(r, "f", "n", NULL, 0), CW_EINVAL);
	cr_assert_eq(cw_record_passthrough_count(r), 3);
	const cw_passthrough *p = cw_record_passthrough(r, 0);
	cr_expect_str_eq(p->format, "bibtex");
	cr_expect_str_eq(p->name, "owner");
	cr_expect_str_eq(p->value, "  {me}  ");
	cr_expect_str_eq(cw_record_passthrough(r, 1)->value, "[1, 2]");
	cr_expect_eq(cw_record_find_passthrough(r, "bibtex", "owner"), p);
	cr_expect_null(cw_record_find_passthrough(r, "jats", "owner"));
	cr_expect_null(cw_record_find_passthrough(r, "bibtex", NULL));
	cr_expect_null(cw_record_passthrough(r, 3));
	/* passthrough is not a field */
	cr_expect_eq(cw_record_next_field(r, CW_FIELD_NONE), CW_FIELD_NONE);
	cw_record_free(r);
}

/* --- a full record: clone, compare, label, free --- */

static cw_record *full_record(void)
{
	cw_record *r = new_record();
	cw_record_set_type(r, cw_item_type_from_name("article-journal", CW_NUL));
	cw_record_set_source_format(r, "jats");
	cw_record_set_origin(r, 3, 5);
	cw_record_set_text(r, CW_FIELD_ID, "smith2004", CW_NUL);
	cw_record_set_text(r, CW_FIELD_DOI, "10.1000/xyz", CW_NUL);
	cw_record_set_text(r, CW_FIELD_TITLE, "On \001E. coli\002", CW_NUL);
	cw_record_set_text(r, CW_FIELD_VOLUME, "12", CW_NUL);
	cw_date d = CW_DATE_INIT;
	d.year = 2004, d.month = 2, d.parts = 2, d.literal = "Feb 2004";
	cw_record_set_date(r, CW_FIELD_ISSUED, &d);
	cw_date h = CW_DATE_INIT;
	h.year = 2003, h.end_year = 2004, h.parts = 1, h.end_parts = 1, h.flags = CW_DATE_UNCERTAIN;
	h.season = "Winter", h.raw = "winter 2003/4", h.extra_format = "jats", h.extra = "<x/>";
	cw_record_set_date(r, CW_FIELD_RECEIVED, &h);
	const char *ids[] = {"aff1"};
	cw_name n = CW_NAME_INIT;
	n.family = "Smith", n.given = "Jo", n.affiliation_ids = ids, n.affiliation_count = 1;
	cw_record_add_name(r, CW_FIELD_AUTHOR, &n);
	cw_name full = CW_NAME_INIT;
	full.family = "Beethoven", full.given = "Ludwig", full.non_dropping_particle = "van";
	full.dropping_particle = "de", full.suffix = "Jr.", full.flags = CW_NAME_CORRESPONDING;
	full.orcid = "https://orcid.org/0000-0002-1825-0097", full.email = "l@example.org";
	full.degrees = "PhD", full.role = "Writing", full.extra_format = "jats",
	full.extra = "<c/>";
	cw_record_add_name(r, CW_FIELD_EDITOR, &full);
	cw_item it = CW_ITEM_INIT;
	it.value = "genomics", it.lang = "en", it.type = "author", it.scheme = "MeSH";
	cw_record_add_item(r, CW_FIELD_KEYWORDS, &it);
	cw_affiliation a = CW_AFFILIATION_INIT;
	a.id = "aff1", a.institution = "CERN", a.country_code = "CH", a.text = "CERN, Geneva";
	a.department = "EP", a.address = "Esplanade 1", a.city = "Geneva", a.region = "GE";
	a.postal_code = "1211", a.country = "Switzerland", a.ror = "https://ror.org/01ggx4157";
	a.other_id = "0000 0001 2156 142X", a.other_id_type = "ISNI";
	cw_record_add_affiliation(r, &a);
	cw_funding fu = CW_FUNDING_INIT;
	fu.funder = "NSF", fu.award_id = "1", fu.funder_id = "https://doi.org/10.13039/100000001";
	fu.award_title = "A grant";
	cw_record_add_funding(r, &fu);
	cw_record *kid;
	cw_record_add_child(r, &kid);
	cw_record_set_text(kid, CW_FIELD_TITLE, "cited work", CW_NUL);
	cw_record_set_text(kid, CW_FIELD_ORIGINAL_CITATION, "Doe J. Cited work. 1990.", CW_NUL);
	cw_record_add_passthrough(r, "jats", "custom-meta", "<x/>", CW_NUL);
	return r;
}

Test(record, clone_is_deep_and_equal)
{
	cw_record *a = full_record();
	cw_record *b = NULL;
	cr_assert_eq(cw_record_clone(&b, a), CW_OK);
	cw_buf diff = CW_BUF_INIT;
	cr_expect_eq(cw_record_compare(a, b, &diff), 0, "clone differs: %s", cw_buf_str(&diff));
	cr_expect_eq(diff.len, 0);
	cr_expect_str_eq(cw_record_source_format(b), "jats");
	uint32_t line, col;
	cw_record_origin(b, &line, &col);
	cr_expect_eq(line, 3);
	cr_expect_eq(col, 5);
	/* deep: nothing is shared, freeing the original leaves the clone whole */
	cr_expect_neq((const void *)cw_record_child(a, 0), (const void *)cw_record_child(b, 0));
	cr_expect_neq((const void *)cw_record_text(a, CW_FIELD_TITLE),
	              (const void *)cw_record_text(b, CW_FIELD_TITLE));
	cw_record_free(a);
	cr_expect_str_eq(cw_record_text(cw_record_child(b, 0), CW_FIELD_TITLE), "cited work");
	cr_expect_str_eq(cw_record_name(b, CW_FIELD_AUTHOR, 0)->affiliation_ids[0], "aff1");
	cr_expect_str_eq(cw_record_passthrough(b, 0)->value, "<x/>");
	cr_expect_eq(cw_record_clone(&a, NULL), CW_EINVAL);
	cw_buf_free(&diff);
	cw_record_free(b);
}

/* Each mutation makes one kind of difference that compare must find. */
static void m_type(cw_record *r)
{
	cw_record_set_type(r, cw_item_type_from_name("book", CW_NUL));
}
static void m_text(cw_record *r)
{
	cw_record_set_text(r, CW_FIELD_VOLUME, "13", CW_NUL);
}
static void m_rich(cw_record *r)
{
	cw_record_set_text(r, CW_FIELD_TITLE, "On E. coli", CW_NUL);
}
static void m_unset(cw_record *r)
{
	cw_record_clear(r, CW_FIELD_DOI);
}
static void m_date(cw_record *r)
{
	cw_date d = CW_DATE_INIT;
	d.year = 2004, d.month = 3, d.parts = 2, d.literal = "Feb 2004";
	cw_record_set_date(r, CW_FIELD_ISSUED, &d);
}
static void m_date_flag(cw_record *r)
{
	cw_date d = CW_DATE_INIT;
	d.year = 2004, d.month = 2, d.parts = 2, d.literal = "Feb 2004", d.flags = CW_DATE_CIRCA;
	cw_record_set_date(r, CW_FIELD_ISSUED, &d);
}
static void m_name(cw_record *r)
{
	cw_record_clear(r, CW_FIELD_AUTHOR);
	const char *ids[] = {"aff1"};
	cw_name n = CW_NAME_INIT;
	n.family = "Smith", n.given = "Jo", n.affiliation_ids = ids, n.affiliation_count = 1;
	n.orcid = "https://orcid.org/0000-0002-1825-0097";
	cw_record_add_name(r, CW_FIELD_AUTHOR, &n);
}
static void m_name_count(cw_record *r)
{
	cw_name n = CW_NAME_INIT;
	n.literal = "Team";
	cw_record_add_name(r, CW_FIELD_AUTHOR, &n);
}
static void m_item(cw_record *r)
{
	cw_record_clear(r, CW_FIELD_KEYWORDS);
	cw_item it = CW_ITEM_INIT;
	it.value = "genomics", it.lang = "de", it.type = "author", it.scheme = "MeSH";
	cw_record_add_item(r, CW_FIELD_KEYWORDS, &it);
}
static void m_aff(cw_record *r)
{
	cw_record_clear(r, CW_FIELD_AFFILIATIONS);
	cw_affiliation a = CW_AFFILIATION_INIT;
	a.id = "aff1", a.institution = "CERN", a.country_code = "CH", a.text = "CERN, Geneva";
	a.department = "EP", a.address = "Esplanade 1", a.city = "Geneva", a.region = "GE";
	a.postal_code = "1211", a.country = "Switzerland", a.ror = "https://ror.org/01ggx4157";
	a.other_id = "0000 0001 2156 142X", a.other_id_type = "GRID"; /* the one difference */
	cw_record_add_affiliation(r, &a);
}
static void m_fund(cw_record *r)
{
	cw_record_clear(r, CW_FIELD_FUNDING);
	cw_funding fu = CW_FUNDING_INIT;
	fu.funder = "NSF", fu.award_id = "1", fu.funder_id = "https://doi.org/10.13039/100000001";
	fu.award_title = "Another grant";
	cw_record_add_funding(r, &fu);
}
static void m_child(cw_record *r)
{
	cw_record **kids;
	size_t n;
	cw_record_take_children(r, &kids, &n);
	cw_record_set_text(kids[0], CW_FIELD_ORIGINAL_CITATION, "Doe J. 1991.", CW_NUL);
	for (size_t i = 0; i < n; i++)
		cw_record_adopt_child(r, kids[i]);
	cw_free(kids);
}
static void m_child_count(cw_record *r)
{
	cw_record *kid;
	cw_record_add_child(r, &kid);
	cw_record_set_text(kid, CW_FIELD_TITLE, "another", CW_NUL);
}
static void m_date_extra(cw_record *r)
{
	cw_date h = CW_DATE_INIT;
	h.year = 2003, h.end_year = 2004, h.parts = 1, h.end_parts = 1, h.flags = CW_DATE_UNCERTAIN;
	h.season = "Winter", h.raw = "winter 2003/4", h.extra_format = "jats", h.extra = "<y/>";
	cw_record_set_date(r, CW_FIELD_RECEIVED, &h);
}
static void m_name_role(cw_record *r)
{
	cw_record_clear(r, CW_FIELD_EDITOR);
	cw_name full = CW_NAME_INIT;
	full.family = "Beethoven", full.given = "Ludwig", full.non_dropping_particle = "van";
	full.dropping_particle = "de", full.suffix = "Jr.", full.flags = CW_NAME_CORRESPONDING;
	full.orcid = "https://orcid.org/0000-0002-1825-0097", full.email = "l@example.org";
	full.degrees = "PhD", full.role = "Editing", full.extra_format = "jats",
	full.extra = "<c/>";
	cw_record_add_name(r, CW_FIELD_EDITOR, &full);
}
static void m_pass(cw_record *r)
{
	cw_record_add_passthrough(r, "jats", "more", "1", CW_NUL);
}

struct cmp_case {
	const char *what;
	void (*mutate)(cw_record *);
	int want; /* field expected from compare, or -1 */
	const char *diff_has;
};

/* clang-format off */
static struct cmp_case cmp_cases[] = {
	{"type", m_type, -1, "type"},
	{"number field", m_text, CW_FIELD_VOLUME, "volume"},
	{"rich field", m_rich, CW_FIELD_TITLE, "title"},
	{"unset field", m_unset, CW_FIELD_DOI, "DOI"},
	{"date part", m_date, CW_FIELD_ISSUED, "issued"},
	{"date flag", m_date_flag, CW_FIELD_ISSUED, "issued"},
	{"name detail", m_name, CW_FIELD_AUTHOR, "author"},
	{"name count", m_name_count, CW_FIELD_AUTHOR, "author"},
	{"name role", m_name_role, CW_FIELD_EDITOR, "editor"},
	{"date extra", m_date_extra, CW_FIELD_RECEIVED, "received"},
	{"item language", m_item, CW_FIELD_KEYWORDS, "keywords"},
	{"affiliation", m_aff, CW_FIELD_AFFILIATIONS, "affiliations"},
	{"funding", m_fund, CW_FIELD_FUNDING, "funding"},
	{"child content", m_child, CW_FIELD_REFERENCE_LIST, "reference-list"},
	{"child count", m_child_count, CW_FIELD_REFERENCE_LIST, "reference-list"},
	{"passthrough count", m_pass, -1, "passthrough"},
};
/* clang-format on */

CWT_CASES(record, compare_finds, cmp_cases)

ParameterizedTest(size_t *i, record, compare_finds)
{
	const struct cmp_case *c = &cmp_cases[*i];
	cw_record *a = full_record(), *b = full_record();
	cr_assert_eq(cw_record_compare(a, b, NULL), 0);
	c->mutate(b);
	cw_buf diff = CW_BUF_INIT;
	int got = cw_record_compare(a, b, &diff);
	cr_expect_eq(got, c->want, "%s: compare returned %d, want %d (%s)", c->what, got, c->want,
	             cw_buf_str(&diff));
	cr_expect(strstr(cw_buf_str(&diff), c->diff_has), "%s: diff \"%s\" does not name %s",
	          c->what, cw_buf_str(&diff), c->diff_has);
	/* and the other way round */
	cr_expect_eq(cw_record_compare(b, a, NULL), c->want);
	cw_buf_free(&diff);
	cw_record_free(a);
	cw_record_free(b);
}

Test(record, compare_passthrough_value)
{
	cw_record *a = new_record(), *b = new_record();
	cw_record_add_passthrough(a, "bibtex", "owner", "me", CW_NUL);
	cw_record_add_passthrough(b, "bibtex", "owner", "you", CW_NUL);
	cw_buf diff = CW_BUF_INIT;
	cr_expect_eq(cw_record_compare(a, b, &diff), -1);
	cr_expect(strstr(cw_buf_str(&diff), "bibtex:owner"), "diff: %s", cw_buf_str(&diff));
	cr_expect_eq(cw_record_compare(a, NULL, NULL), -1);
	cw_buf_free(&diff);
	cw_record_free(a);
	cw_record_free(b);
}

Test(record, label)
{
	cw_record *r = new_record();
	cr_expect_null(cw_record_label(r));
	cw_record_set_text(r, CW_FIELD_DOI, "10.1000/xyz", CW_NUL);
	cr_expect_str_eq(cw_record_label(r), "10.1000/xyz");
	cw_record_set_text(r, CW_FIELD_ID, "smith2004", CW_NUL);
	cr_expect_str_eq(cw_record_label(r), "smith2004");
	cr_expect_null(cw_record_label(NULL));
	cw_record_free(r);
}

Test(record, next_field_walks_in_order)
{
	cw_record *r = full_record();
	enum cw_field prev = CW_FIELD_NONE;
	size_t n = 0;
	for (enum cw_field f = cw_record_next_field(r, CW_FIELD_NONE); f;
	     f = cw_record_next_field(r, f)) {
		cr_expect_gt(f, prev);
		cr_expect(cw_record_has(r, f));
		prev = f;
		n++;
	}
	/* id, DOI, title, volume, issued, author, editor, keywords, affiliations, funding,
	 * received, references */
	cr_expect_eq(n, 12);
	cw_record_free(r);
}

Test(record, one_free_releases_a_large_tree)
{
	/* many fields, names, long strings and nested children: the sanitizer
	 * build fails this test if a single byte is left behind */
	cw_record *r = full_record();
	char big[5000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	for (int i = 0; i < 200; i++) {
		cw_name n = CW_NAME_INIT;
		n.family = big + i;
		n.given = "G";
		cr_assert_geq(cw_record_add_name(r, CW_FIELD_AUTHOR, &n), 0);
		cw_record *kid;
		cr_assert_eq(cw_record_add_child(r, &kid), CW_OK);
		cw_record_set_text(kid, CW_FIELD_TITLE, big + i, CW_NUL);
		cw_record *gk;
		cr_assert_eq(cw_record_add_child(kid, &gk), CW_OK);
		cw_record_add_passthrough(gk, "x", "y", big, CW_NUL);
		cw_record_set_text(r, CW_FIELD_ABSTRACT, big + i,
		                   CW_NUL); /* replaced again and again */
	}
	cw_record *c;
	cr_assert_eq(cw_record_clone(&c, r), CW_OK);
	cr_expect_eq(cw_record_compare(r, c, NULL), 0);
	cw_record_free(r);
	cw_record_free(c);
	cw_record_free(NULL);
}

Test(record, new_after_free_starts_empty)
{
	/* cw_record_free keeps the last record for the next cw_record_new: the
	 * reused one must hold nothing of its past life */
	for (int round = 0; round < 3; round++) {
		cw_record *r = full_record();
		cr_assert_eq(cw_record_set_source_format(r, "jats"), CW_OK);
		cw_record_set_origin(r, 7, 9);
		cw_record_free(r);
		cw_record *e = new_record();
		cr_expect_eq(cw_record_next_field(e, CW_FIELD_NONE), CW_FIELD_NONE);
		cr_expect_eq(cw_record_type(e), CW_TYPE_UNSET);
		cr_expect_null(cw_record_source_format(e));
		uint32_t line = 1, col = 1;
		cw_record_origin(e, &line, &col);
		cr_expect_eq(line, 0);
		cr_expect_eq(col, 0);
		cr_expect_eq(cw_record_passthrough_count(e), 0);
		cr_expect_eq(cw_record_child_count(e), 0);
		cr_expect_null(cw_record_text(e, CW_FIELD_TITLE));
		cw_record *blank = new_record();
		cr_expect_eq(cw_record_compare(e, blank, NULL), 0);
		/* and it works as a new one */
		cr_expect_eq(cw_record_set_text(e, CW_FIELD_TITLE, "Again", CW_NUL), CW_OK);
		cr_expect_str_eq(cw_record_text(e, CW_FIELD_TITLE), "Again");
		cw_record_free(blank);
		cw_record_free(e);
	}
}

Test(record, misuse_is_an_error_not_a_crash)
{
	cr_expect_eq(cw_record_new(NULL), CW_EINVAL);
	cr_expect_eq(cw_record_name_count(NULL, CW_FIELD_AUTHOR), 0);
	cr_expect_null(cw_record_name(NULL, CW_FIELD_AUTHOR, 0));
	cr_expect_eq(cw_record_child_count(NULL), 0);
	cr_expect_eq(cw_record_passthrough_count(NULL), 0);
	cr_expect_eq(cw_record_next_field(NULL, CW_FIELD_NONE), CW_FIELD_NONE);
	cr_expect_not(cw_record_has(NULL, CW_FIELD_TITLE));
	cr_expect_eq(cw_record_adopt_child(NULL, NULL), CW_EINVAL);
	cr_expect_eq(cw_record_take_children(NULL, NULL, NULL), CW_EINVAL);
	cr_expect_eq(cw_record_affiliation_count(NULL), 0);
	cr_expect_eq(cw_record_funding_count(NULL), 0);
}

Test(record, field_table)
{
	int n = cw_field_count();
	cr_assert_eq(n, CW_FIELD_COUNT_ - 1);
	for (int i = 1; i <= n; i++) {
		enum cw_field f = (enum cw_field)i;
		const char *name = cw_field_name(f);
		cr_assert_not_null(name, "field %d has no name", i);
		cr_expect_neq(cw_field_kind(f), CW_KIND_NONE, "%s has no kind", name);
		cr_expect_not_null(cw_field_doc(f), "%s has no meaning", name);
		cr_expect_eq(cw_field_from_name(name, CW_NUL), f, "%s is not unique", name);
		cr_expect_str_neq(cw_kind_name(cw_field_kind(f)), "unknown");
	}
	cr_expect_null(cw_field_name(CW_FIELD_NONE));
	cr_expect_null(cw_field_name((enum cw_field)(n + 1)));
	cr_expect_eq(cw_field_kind((enum cw_field) - 3), CW_KIND_NONE);
	cr_expect_eq(cw_field_from_name("titles", CW_NUL), CW_FIELD_NONE);
	cr_expect_eq(cw_field_from_name("title-short", 5), CW_FIELD_TITLE);
	cr_expect_eq(cw_field_from_name(NULL, 0), CW_FIELD_NONE);
	cr_expect(cw_field_is_csl(CW_FIELD_TITLE));
	cr_expect_not(cw_field_is_csl(CW_FIELD_AFFILIATIONS));
	cr_expect_eq(cw_field_kind(CW_FIELD_REFERENCE_LIST), CW_KIND_RECORDS);
	for (int t = 1; t < CW_TYPE_COUNT_; t++) {
		const char *name = cw_item_type_name((enum cw_item_type)t);
		cr_assert_not_null(name);
		cr_expect_eq(cw_item_type_from_name(name, CW_NUL), (enum cw_item_type)t, "%s",
		             name);
	}
	cr_expect_null(cw_item_type_name(CW_TYPE_UNSET));
	cr_expect_eq(cw_item_type_from_name("journal-article", CW_NUL), CW_TYPE_UNSET);
	cr_expect_neq(cw_item_type_from_name("article-journal", CW_NUL), CW_TYPE_UNSET);
}

Test(record, key_suffixes_count_in_letters)
{
	static const struct {
		unsigned long k;
		const char *suffix;
	} cases[] = {{1, "a"}, {2, "b"}, {26, "z"}, {27, "aa"}, {52, "az"}, {53, "ba"},
	             {702, "zz"}, {703, "aaa"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cw_buf b = CW_BUF_INIT;
		cw_buf_append(&b, "smith2008", CW_NUL);
		cr_assert_eq(cw_key_suffix(&b, cases[i].k), CW_OK);
		cr_expect_str_eq(cw_buf_str(&b) + 9, cases[i].suffix, "k = %lu", cases[i].k);
		cw_buf_free(&b);
	}
	cw_buf b = CW_BUF_INIT;
	cr_expect_eq(cw_key_suffix(&b, 0), CW_EINVAL, "suffixes start at 1");
	cr_expect_eq(cw_key_suffix(NULL, 1), CW_EINVAL);
	cw_buf_free(&b);
}
