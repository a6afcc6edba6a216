/*
 * Month and season names: cw_month_from_name and cw_month_name.
 */
#include "cw_test.h"

#include "cwt_cases.h"

struct month_case {
	const char *word;
	int month;
};

/* clang-format off */
static const struct month_case cases[] = {
	{"January", 1}, {"january", 1}, {"JANUARY", 1}, {"Jan", 1}, {"jan.", 1}, {"Janu", 1},
	{"Feb", 2}, {"Febr.", 2}, {"February", 2}, {"Mar", 3}, {"March", 3}, {"Apr", 4},
	{"May", 5}, {"may.", 5}, {"Jun", 6}, {"June", 6}, {"Jul", 7}, {"July", 7}, {"Aug", 8},
	{"Sep", 9}, {"Sept", 9}, {"Sept.", 9}, {"September", 9}, {"Oct", 10}, {"Nov", 11},
	{"Dec.", 12}, {"December", 12},
	{"Spring", 21}, {"summer", 22}, {"Autumn", 23}, {"Fall", 23}, {"fall.", 23}, {"WINTER", 24},
	/* not a month */
	{"", 0}, {"Ja", 0}, {"Ju", 0}, {"Janx", 0}, {"Januaryy", 0}, {"Spr", 0}, {"Sum", 0},
	{"Winters", 0}, {"Jan..", 0}, {"Mär", 0}, {"1", 0}, {"Maybe", 0},
};
/* clang-format on */

CWT_CASES(month, from_name, cases)

ParameterizedTest(size_t *i, month, from_name)
{
	const struct month_case *c = &cases[*i];
	cr_expect_eq(cw_month_from_name(c->word, CW_NUL), c->month, "'%s': %d, want %d", c->word,
	             cw_month_from_name(c->word, CW_NUL), c->month);
}

Test(month, explicit_length)
{
	cr_expect_eq(cw_month_from_name("March 2008", 5), 3);
	cr_expect_eq(cw_month_from_name("Mayday", 3), 5);
	cr_expect_eq(cw_month_from_name(NULL, 0), 0);
}

Test(month, names)
{
	cr_expect_str_eq(cw_month_name(2, 0), "February");
	cr_expect_str_eq(cw_month_name(2, CW_MONTH_ABBREV), "Feb");
	cr_expect_str_eq(cw_month_name(2, CW_MONTH_LOWER), "february");
	cr_expect_str_eq(cw_month_name(9, CW_MONTH_ABBREV | CW_MONTH_LOWER), "sep");
	cr_expect_str_eq(cw_month_name(23, 0), "Autumn");
	cr_expect_null(cw_month_name(0, 0));
	cr_expect_null(cw_month_name(13, 0));
	cr_expect_null(cw_month_name(25, 0));
	/* every name reads back as its month */
	for (int m = 1; m <= 24; m++)
		for (unsigned style = 0; style < 4; style++) {
			const char *n = cw_month_name(m, style);
			if (n && !(m > 12 && (style & CW_MONTH_ABBREV)))
				cr_expect_eq(cw_month_from_name(n, CW_NUL), m, "%s", n);
		}
}
