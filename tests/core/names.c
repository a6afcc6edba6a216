/*
 * Names as text: cw_name_split and cw_name_parse, one case per rule, in
 * plain text and with BibTeX's rules.
 */
#include <string.h>

#include "cw_test.h"

#include "cwt_cases.h"

#define ORGS CW_NAME_PARSE_ORGS
#define AFF (CW_NAME_PARSE_ORGS | CW_NAME_PARSE_AFFILIATION)
#define BIB CW_NAME_PARSE_BIBTEX

struct name_case {
	const char *in;
	unsigned flags;
	const char *family, *given, *particle, *suffix, *literal, *aff;
	uint32_t name_flags;
};

/* clang-format off */
static const struct name_case cases[] = {
	/* plain text: the two orders */
	{"John Doe", 0, "Doe", "John", NULL, NULL, NULL, NULL, 0},
	{"Doe, John", 0, "Doe", "John", NULL, NULL, NULL, NULL, 0},
	{"Mary  Ann\tSmith", 0, "Smith", "Mary Ann", NULL, NULL, NULL, NULL, 0},
	{"Smith,   Mary   Ann", 0, "Smith", "Mary Ann", NULL, NULL, NULL, NULL, 0},
	{"  Doe ,  John  ", 0, "Doe", "John", NULL, NULL, NULL, NULL, 0},
	{"Plato", 0, "Plato", NULL, NULL, NULL, NULL, NULL, 0},
	{"García Márquez, Gabriel", 0, "García Márquez", "Gabriel", NULL, NULL, NULL, NULL, 0},
	{"山田, 太郎", 0, "山田", "太郎", NULL, NULL, NULL, NULL, 0},
	{"author-lastname, author-firstname", 0, "author-lastname", "author-firstname", NULL, NULL,
	 NULL, NULL, 0},
	/* trailing commas are dropped */
	{"May, Keith,", 0, "May", "Keith", NULL, NULL, NULL, NULL, 0},
	/* ", Given": nothing to call the family, so the name is kept whole */
	{", Madonna", 0, NULL, NULL, NULL, NULL, "Madonna", NULL, 0},
	/* plain particles: known words just before the surname */
	{"Ludwig van Beethoven", 0, "Beethoven", "Ludwig", "van", NULL, NULL, NULL, 0},
	{"Jean de La Fontaine", 0, "Fontaine", "Jean", "de La", NULL, NULL, NULL, 0},
	{"Maria de los Angeles Smith", 0, "Smith", "Maria de los Angeles", NULL, NULL, NULL, NULL, 0},
	{"Murat LAUMULIN", 0, "LAUMULIN", "Murat", NULL, NULL, NULL, NULL, 0},
	/* ... leading the family part, or ending it (the Dutch index form) */
	{"van de Bovenkamp, J.H.B.", 0, "Bovenkamp", "J.H.B.", "van de", NULL, NULL, NULL, 0},
	{"Bovenkamp van de, J.H.B.", 0, "Bovenkamp", "J.H.B.", "van de", NULL, NULL, NULL, 0},
	{"da Silva, Maria", 0, "Silva", "Maria", "da", NULL, NULL, NULL, 0},
	{"de La Fontaine, Jean", 0, "Fontaine", "Jean", "de La", NULL, NULL, NULL, 0},
	{"La Fontaine, Jean", 0, "La Fontaine", "Jean", NULL, NULL, NULL, NULL, 0},
	{"Garcia y Lopez, Maria", 0, "Garcia y Lopez", "Maria", NULL, NULL, NULL, NULL, 0},
	{"van, Jan", 0, "van", "Jan", NULL, NULL, NULL, NULL, 0},
	/* plain suffixes: known words, wherever they stand */
	{"John Smith Jr.", 0, "Smith", "John", NULL, "Jr.", NULL, NULL, 0},
	{"Smith, Jr., John", 0, "Smith", "John", NULL, "Jr.", NULL, NULL, 0},
	{"Smith, John, Jr.", 0, "Smith", "John", NULL, "Jr.", NULL, NULL, CW_NAME_COMMA_SUFFIX},
	{"Smith, John, III", 0, "Smith", "John", NULL, "III", NULL, NULL, CW_NAME_COMMA_SUFFIX},
	{"John Jr.", 0, "Jr.", "John", NULL, NULL, NULL, NULL, 0},
	/* organisations, only when asked */
	{"World Health Organization", 0, "Organization", "World Health", NULL, NULL, NULL, NULL, 0},
	{"World Health Organization", ORGS, NULL, NULL, NULL, NULL, "World Health Organization",
	 NULL, 0},
	{"Erasmus MC", ORGS, NULL, NULL, NULL, NULL, "Erasmus MC", NULL, 0},
	{"Institut Pasteur", ORGS, NULL, NULL, NULL, NULL, "Institut Pasteur", NULL, 0},
	{"Fachhochschule Potsdam", ORGS, NULL, NULL, NULL, NULL, "Fachhochschule Potsdam", NULL, 0},
	{"The PLOS ONE Staff", ORGS, NULL, NULL, NULL, NULL, "The PLOS ONE Staff", NULL, 0},
	{"ALS Investigators", ORGS, NULL, NULL, NULL, NULL, "ALS Investigators", NULL, 0},
	{"on Behalf of the Interviewees", ORGS, NULL, NULL, NULL, NULL,
	 "on Behalf of the Interviewees", NULL, 0},
	{"Anna Maria Luisa Clara Sofia Rossi", ORGS, NULL, NULL, NULL, NULL,
	 "Anna Maria Luisa Clara Sofia Rossi", NULL, 0},
	{"Acme Widgets, Inc.", ORGS, NULL, NULL, NULL, NULL, "Acme Widgets, Inc.", NULL, 0},
	{"Universität Wien, Institut für Geschichte", ORGS, NULL, NULL, NULL, NULL,
	 "Universität Wien, Institut für Geschichte", NULL, 0},
	{"World Bank, Washington, DC", ORGS, NULL, NULL, NULL, NULL, "World Bank, Washington, DC",
	 NULL, 0},
	/* weak words are surnames too */
	{"Press, Frank", ORGS, "Press", "Frank", NULL, NULL, NULL, NULL, 0},
	{"Council, John", ORGS, "Council", "John", NULL, NULL, NULL, NULL, 0},
	{"John Pressman", ORGS, "Pressman", "John", NULL, NULL, NULL, NULL, 0},
	{"Joseph Banks", ORGS, "Banks", "Joseph", NULL, NULL, NULL, NULL, 0},
	/* a trailing organisation is an affiliation only when asked */
	{"Smith, John, University of Oxford", AFF, "Smith", "John", NULL, NULL, NULL,
	 "University of Oxford", 0},
	{"Smith, John, University of Oxford", ORGS, "Smith", "John", NULL, "University of Oxford",
	 NULL, NULL, CW_NAME_COMMA_SUFFIX},
	/* BibTeX: "First von Last" with lower-case particles */
	{"Ludwig van Beethoven", BIB, "Beethoven", "Ludwig", "van", NULL, NULL, NULL, 0},
	{"Jean de La Fontaine", BIB, "La Fontaine", "Jean", "de", NULL, NULL, NULL, 0},
	{"Charles Louis Xavier Joseph de la Vallée Poussin", BIB, "Vallée Poussin",
	 "Charles Louis Xavier Joseph", "de la", NULL, NULL, NULL, 0},
	{"van Beethoven", BIB, "Beethoven", NULL, "van", NULL, NULL, NULL, 0},
	{"Pieter van Oranje Nassau", BIB, "Oranje Nassau", "Pieter", "van", NULL, NULL, NULL, 0},
	{"John Smith Jr.", BIB, "Jr.", "John Smith", NULL, NULL, NULL, NULL, 0},
	{"jean", BIB, "jean", NULL, NULL, NULL, NULL, NULL, 0},
	{"Émile zola Émile", BIB, "Émile", "Émile", "zola", NULL, NULL, NULL, 0},
	/* BibTeX: "von Last, First" and "von Last, Jr, First" */
	{"van Beethoven, Ludwig", BIB, "Beethoven", "Ludwig", "van", NULL, NULL, NULL, 0},
	{"De la Fontaine, Jean", BIB, "Fontaine", "Jean", "De la", NULL, NULL, NULL, 0},
	{"Smith, Jr, John", BIB, "Smith", "John", NULL, "Jr", NULL, NULL, 0},
	{"Smith, John, Jr.", BIB, "Smith", "Jr.", NULL, "John", NULL, NULL, 0},
	{"Smith, John, Jr., Esq.", BIB, "Smith", "Jr., Esq.", NULL, "John", NULL, NULL, 0},
	/* BibTeX: braces group, protect and mark an organisation */
	{"{World Health Organization}", BIB, NULL, NULL, NULL, NULL, "World Health Organization",
	 NULL, 0},
	{"{Barnes, Noble}", BIB, NULL, NULL, NULL, NULL, "Barnes, Noble", NULL, 0},
	{"Vincent {van Gogh}", BIB, "van Gogh", "Vincent", NULL, NULL, NULL, NULL, 0},
	{"{van} Beethoven, Ludwig", BIB, "van Beethoven", "Ludwig", NULL, NULL, NULL, NULL, 0},
	{"Donald~E. Knuth", BIB, "Knuth", "Donald E.", NULL, NULL, NULL, NULL, 0},
	{"{\\'E}mile Zola", BIB, "Zola", "\\'Emile", NULL, NULL, NULL, NULL, 0},
	{"Hans {\\O}rsted", BIB, "\\Orsted", "Hans", NULL, NULL, NULL, NULL, 0},
	{"Hans {\\ss}ler Weber", BIB, "Weber", "Hans", "\\ssler", NULL, NULL, NULL, 0},
};
/* clang-format on */

CWT_CASES(names, parse, cases)

static void expect_part(const char *in, const char *what, const char *got, const char *want)
{
	if (!want)
		cr_expect_null(got, "'%s': %s should be unset, is '%s'", in, what, got ? got : "");
	else
		cr_expect(got && !strcmp(got, want), "'%s': %s is '%s', expected '%s'", in, what,
		          got ? got : "(null)", want);
}

ParameterizedTest(size_t *i, names, parse)
{
	const struct name_case *c = &cases[*i];
	cw_name n = CW_NAME_INIT;
	cw_buf store = CW_BUF_INIT;
	const char *aff;
	cr_assert_eq(cw_name_parse(&n, &store, c->in, CW_NUL, c->flags, &aff), CW_OK, "'%s'",
	             c->in);
	expect_part(c->in, "family", n.family, c->family);
	expect_part(c->in, "given", n.given, c->given);
	expect_part(c->in, "particle", n.non_dropping_particle, c->particle);
	expect_part(c->in, "suffix", n.suffix, c->suffix);
	expect_part(c->in, "literal", n.literal, c->literal);
	expect_part(c->in, "affiliation", aff, c->aff);
	cr_expect_null(n.dropping_particle);
	cr_expect_eq(n.flags, c->name_flags, "'%s': flags %u", c->in, (unsigned)n.flags);
	cw_buf_free(&store);
}

Test(names, nothing_to_parse)
{
	cw_name n = CW_NAME_INIT;
	cw_buf store = CW_BUF_INIT;
	static const char *const empty[] = {"", "   ", ",", " , ,", "\t\n"};
	for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++)
		cr_expect_eq(cw_name_parse(&n, &store, empty[i], CW_NUL, 0, NULL), CW_EFORMAT,
		             "'%s'", empty[i]);
	/* braces around nothing hold no name either */
	cr_expect_eq(cw_name_parse(&n, &store, "{}", CW_NUL, BIB, NULL), CW_EFORMAT);
	/* nor ties alone, which BibTeX reads as spaces */
	cr_expect_eq(cw_name_parse(&n, &store, "~ ~~", CW_NUL, BIB, NULL), CW_EFORMAT);
	cr_expect_eq(cw_name_parse(NULL, &store, "A", CW_NUL, 0, NULL), CW_EINVAL);
	cr_expect_eq(cw_name_parse(&n, NULL, "A", CW_NUL, 0, NULL), CW_EINVAL);
	cr_expect_eq(cw_name_parse(&n, &store, NULL, 0, 0, NULL), CW_EINVAL);
	cw_name_parts p = {0}; /* no struct_size */
	cr_expect_eq(cw_name_split(&p, "A B", CW_NUL, 0, NULL, NULL), CW_EINVAL);
	cw_buf_free(&store);
}

Test(names, spans_point_into_the_text)
{
	const char *s = "  van de  Bovenkamp ,  Jan Hendrik , Jr.";
	cw_name_parts p = CW_NAME_PARTS_INIT;
	cr_assert_eq(cw_name_split(&p, s, CW_NUL, 0, NULL, NULL), CW_OK);
	cr_expect_eq(p.commas, 2);
	cr_expect_eq(p.particle.len, 6);
	cr_expect_eq(memcmp(s + p.particle.off, "van de", 6), 0);
	cr_expect_eq(memcmp(s + p.family.off, "Bovenkamp", p.family.len), 0);
	cr_expect_eq(p.family.len, 9);
	cr_expect_eq(memcmp(s + p.given.off, "Jan Hendrik", p.given.len), 0);
	cr_expect_eq(memcmp(s + p.suffix.off, "Jr.", p.suffix.len), 0);
	cr_expect_eq(p.literal.len, 0);
	/* with an explicit length the rest is not looked at */
	cr_assert_eq(cw_name_split(&p, "Doe, John, Jr.", 9, 0, NULL, NULL), CW_OK);
	cr_expect_eq(p.commas, 1);
	cr_expect_eq(p.given.len, 4);
}

Test(names, many_words_join_the_last)
{
	cw_buf in = CW_BUF_INIT, store = CW_BUF_INIT;
	for (int i = 0; i < 70; i++)
		cw_buf_printf(&in, "W%d ", i);
	cw_buf_append(&in, "Last", CW_NUL);
	cw_name n = CW_NAME_INIT;
	cr_assert_eq(cw_name_parse(&n, &store, in.data, in.len, BIB, NULL), CW_OK);
	/* the 64th word takes the rest: words 63..69 and "Last" */
	cr_expect_str_eq(n.family, "W63 W64 W65 W66 W67 W68 W69 Last");
	cw_buf_free(&in);
	cw_buf_free(&store);
}

/* A reader's own word test: here, words in capitals are particles. */
static int caps_particle(void *ud, const char *w, size_t n)
{
	(*(int *)ud)++;
	for (size_t i = 0; i < n; i++)
		if (w[i] < 'A' || w[i] > 'Z')
			return 0;
	return 1;
}

Test(names, reader_word_test)
{
	int calls = 0;
	cw_name_parts p = CW_NAME_PARTS_INIT;
	const char *s = "Anna VAN Berg";
	cr_assert_eq(cw_name_split(&p, s, CW_NUL, BIB, caps_particle, &calls), CW_OK);
	cr_expect_gt(calls, 0);
	cr_expect_eq(memcmp(s + p.particle.off, "VAN", 3), 0);
	cr_expect_eq(memcmp(s + p.family.off, "Berg", 4), 0);
	/* plain text asks it too */
	calls = 0;
	cr_assert_eq(cw_name_split(&p, "Anna VAN Berg", CW_NUL, 0, caps_particle, &calls), CW_OK);
	cr_expect_eq(p.particle.len, 3);
}

Test(names, parts_go_into_the_store)
{
	cw_buf store = CW_BUF_INIT;
	cw_buf_append(&store, "earlier", CW_NUL);
	cw_name n = CW_NAME_INIT;
	n.orcid = "https://orcid.org/0000-0002-1825-0097";
	cr_assert_eq(cw_name_parse(&n, &store, "Doe, John", 4, 0, NULL), CW_OK);
	cr_expect_str_eq(n.family, "Doe");
	cr_expect_null(n.given);
	/* appended after what it held */
	cr_expect_eq(memcmp(store.data, "earlier", 7), 0);
	cr_expect_eq(n.family, store.data + 7);
	cr_expect_str_eq(n.orcid, "https://orcid.org/0000-0002-1825-0097"); /* left alone */
	cw_buf_free(&store);
}

Test(names, letter_case)
{
	cr_expect_eq(cw_utf8_case('a'), 1);
	cr_expect_eq(cw_utf8_case('Z'), 0);
	cr_expect_eq(cw_utf8_case('1'), -1);
	cr_expect_eq(cw_utf8_case(0xE9), 1);   /* é */
	cr_expect_eq(cw_utf8_case(0xC9), 0);   /* É */
	cr_expect_eq(cw_utf8_case(0xD7), -1);  /* × */
	cr_expect_eq(cw_utf8_case(0xDF), 1);   /* ß */
	cr_expect_eq(cw_utf8_case(0x141), 0);  /* Ł */
	cr_expect_eq(cw_utf8_case(0x142), 1);  /* ł */
	cr_expect_eq(cw_utf8_case(0x160), 0);  /* Š */
	cr_expect_eq(cw_utf8_case(0x161), 1);  /* š */
	cr_expect_eq(cw_utf8_case(0x17D), 0);  /* Ž */
	cr_expect_eq(cw_utf8_case(0x17E), 1);  /* ž */
	cr_expect_eq(cw_utf8_case(0x394), 0);  /* Δ */
	cr_expect_eq(cw_utf8_case(0x3B4), 1);  /* δ */
	cr_expect_eq(cw_utf8_case(0x416), 0);  /* Ж */
	cr_expect_eq(cw_utf8_case(0x436), 1);  /* ж */
	cr_expect_eq(cw_utf8_case(0x5D0), -1); /* א */
}

/* A NUL byte in the text parts words like a space: a part's C string cannot
 * hold it (the fuzzer found a part that read as "" before). */
Test(names, nul_bytes_part_words)
{
	static const char text[] = "\0\0Bill\0Ann Brown\0";
	cw_name n = CW_NAME_INIT;
	cw_buf store = CW_BUF_INIT;
	cr_assert_eq(cw_name_parse(&n, &store, text, sizeof text - 1, 0, NULL), CW_OK);
	cr_expect_str_eq(n.given, "Bill Ann");
	cr_expect_str_eq(n.family, "Brown");
	cw_buf_clear(&store);
	cr_expect_eq(cw_name_parse(&n, &store, "\0\0\0", 3, 0, NULL), CW_EFORMAT);
	cw_buf_free(&store);
}
