/*
 * ISO 8601 / EDTF dates: cw_date_parse_iso and cw_date_format_iso.
 */
#include <string.h>

#include "cw_test.h"

#include "cwt_cases.h"

struct date_case {
	const char *in;
	int status;
	int32_t y, m, d;
	uint8_t parts;
	int32_t ey, em, ed;
	uint8_t eparts;
	uint32_t flags;
	/* what format(parse(in)) gives; NULL: in itself (a canonical form) */
	const char *out;
};

#define OK CW_OK
#define BAD CW_EFORMAT
#define C CW_DATE_CIRCA
#define U CW_DATE_UNCERTAIN
#define OS CW_DATE_OPEN_START
#define OE CW_DATE_OPEN_END
#define X CW_DATE_UNSPECIFIED

/* clang-format off */
static struct date_case cases[] = {
	/* years, months, days */
	{"2008", OK, 2008, 0, 0, 1, 0, 0, 0, 0, 0, NULL},
	{"0001", OK, 1, 0, 0, 1, 0, 0, 0, 0, 0, NULL},
	{"0000", OK, 0, 0, 0, 1, 0, 0, 0, 0, 0, NULL},
	{"-0044", OK, -44, 0, 0, 1, 0, 0, 0, 0, 0, NULL},
	{"2008-02", OK, 2008, 2, 0, 2, 0, 0, 0, 0, 0, NULL},
	{"2008-12", OK, 2008, 12, 0, 2, 0, 0, 0, 0, 0, NULL},
	{"2008-02-29", OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"2000-02-29", OK, 2000, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"2008-01-31", OK, 2008, 1, 31, 3, 0, 0, 0, 0, 0, NULL},
	{"2008-04-30", OK, 2008, 4, 30, 3, 0, 0, 0, 0, 0, NULL},
	{"  2008-02-01\n", OK, 2008, 2, 1, 3, 0, 0, 0, 0, 0, "2008-02-01"},
	/* times are ignored */
	{"2008-02-29T10:00:00Z", OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, "2008-02-29"},
	{"2008-02-29T23:59:59.5+02:00", OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, "2008-02-29"},
	{"2008-02-29t10:00", OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, "2008-02-29"},
	{"2008-02-29 10:00:00", OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, "2008-02-29"},
	/* seasons 21-24 */
	{"2008-21", OK, 2008, 21, 0, 2, 0, 0, 0, 0, 0, NULL},
	{"2008-22", OK, 2008, 22, 0, 2, 0, 0, 0, 0, 0, NULL},
	{"2008-23", OK, 2008, 23, 0, 2, 0, 0, 0, 0, 0, NULL},
	{"2008-24", OK, 2008, 24, 0, 2, 0, 0, 0, 0, 0, NULL},
	/* ranges */
	{"2008/2010", OK, 2008, 0, 0, 1, 2010, 0, 0, 1, 0, NULL},
	{"2008-02/2008-05", OK, 2008, 2, 0, 2, 2008, 5, 0, 2, 0, NULL},
	{"2008-02-01/2008-02-14", OK, 2008, 2, 1, 3, 2008, 2, 14, 3, 0, NULL},
	{"2008/2008-05", OK, 2008, 0, 0, 1, 2008, 5, 0, 2, 0, NULL},
	{"2008-22/2009-21", OK, 2008, 22, 0, 2, 2009, 21, 0, 2, 0, NULL},
	/* open ends */
	{"../2008", OK, 0, 0, 0, 0, 2008, 0, 0, 1, OS, NULL},
	{"../2008-05-01", OK, 0, 0, 0, 0, 2008, 5, 1, 3, OS, NULL},
	{"/2008", OK, 0, 0, 0, 0, 2008, 0, 0, 1, OS, "../2008"},
	{"2008/..", OK, 2008, 0, 0, 1, 0, 0, 0, 0, OE, NULL},
	{"2008-01/..", OK, 2008, 1, 0, 2, 0, 0, 0, 0, OE, NULL},
	{"2008/", OK, 2008, 0, 0, 1, 0, 0, 0, 0, OE, "2008/.."},
	/* circa, uncertain, both */
	{"2008~", OK, 2008, 0, 0, 1, 0, 0, 0, 0, C, NULL},
	{"2008?", OK, 2008, 0, 0, 1, 0, 0, 0, 0, U, NULL},
	{"2008%", OK, 2008, 0, 0, 1, 0, 0, 0, 0, C | U, NULL},
	{"2008?~", OK, 2008, 0, 0, 1, 0, 0, 0, 0, C | U, "2008%"},
	{"2008-02-29~", OK, 2008, 2, 29, 3, 0, 0, 0, 0, C, NULL},
	{"2008-06?", OK, 2008, 6, 0, 2, 0, 0, 0, 0, U, NULL},
	/* one set of flags per date: a qualified range qualifies both ends */
	{"2008~/2010~", OK, 2008, 0, 0, 1, 2010, 0, 0, 1, C, NULL},
	{"2008~/2010", OK, 2008, 0, 0, 1, 2010, 0, 0, 1, C, "2008~/2010~"},
	{"2008~/..", OK, 2008, 0, 0, 1, 0, 0, 0, 0, C | OE, NULL},
	/* unspecified digits: the years they may be; an unspecified month or day is not known */
	{"20XX", OK, 2000, 0, 0, 1, 2099, 0, 0, 1, X, NULL},
	{"199X", OK, 1990, 0, 0, 1, 1999, 0, 0, 1, X, NULL},
	{"20uu", OK, 2000, 0, 0, 1, 2099, 0, 0, 1, X, "20XX"},
	{"1XXX", OK, 1000, 0, 0, 1, 1999, 0, 0, 1, X, NULL},
	{"2004-XX", OK, 2004, 0, 0, 1, 0, 0, 0, 0, 0, "2004"},
	{"2004-XX-XX", OK, 2004, 0, 0, 1, 0, 0, 0, 0, 0, "2004"},
	{"2004-05-XX", OK, 2004, 5, 0, 2, 0, 0, 0, 0, 0, "2004-05"},
	{"1990/20XX", OK, 1990, 0, 0, 1, 2099, 0, 0, 1, 0, "1990/2099"},
	{"19XX-XX-XX", OK, 1900, 0, 0, 1, 1999, 0, 0, 1, X, "19XX"},
	/* qualified: the qualifier is kept (the fuzzer found "circa 20XX" written as "20XX") */
	{"20XX~", OK, 2000, 0, 0, 1, 2099, 0, 0, 1, X | C, NULL},
	{"19XX?", OK, 1900, 0, 0, 1, 1999, 0, 0, 1, X | U, NULL},
	{"199X%", OK, 1990, 0, 0, 1, 1999, 0, 0, 1, X | C | U, NULL},
	/* an earlier EDTF draft's open and unknown ends, as biber and pandoc read them */
	{"1999/open", OK, 1999, 0, 0, 1, 0, 0, 0, 0, OE, "1999/.."},
	{"1998/unknown", OK, 1998, 0, 0, 1, 0, 0, 0, 0, OE, "1998/.."},
	{"unknown/2004", OK, 0, 0, 0, 0, 2004, 0, 0, 1, OS, "../2004"},
	/* refused */
	{"", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"   ", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"08", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"200", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"20080", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-1", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-00", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-13", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-20", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-25", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-02-00", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-02-32", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-02-30", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2007-02-29", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"1900-02-29", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-04-31", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-21-01", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-02-29T", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-02-29T99:00", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008T10:00", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"May 2008", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-05-01 and later", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008/2010/2012", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2010/2008", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-05/2008-02", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"..", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"../..", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"..2008", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008..", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"/", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-~", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"~2008", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-02-29x", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"XXXX", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"-19XX", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2X0X", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"open", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"open/unknown", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"1999/opened", BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
};
/* clang-format on */

CWT_CASES(date, iso, cases)

ParameterizedTest(size_t *i, date, iso)
{
	const struct date_case *c = &cases[*i];
	cw_date d = CW_DATE_INIT;
	d.year = 77; /* must stay untouched on failure */
	int rc = cw_date_parse_iso(&d, c->in, CW_NUL);
	cr_assert_eq(rc, c->status, "parse(\"%s\") = %d, want %d", c->in, rc, c->status);
	if (rc != CW_OK) {
		cr_expect_eq(d.year, 77, "parse(\"%s\") failed but changed its output", c->in);
		cr_expect_eq(d.parts, 0);
		return;
	}
	cr_expect_eq(d.struct_size, sizeof(cw_date));
	cr_expect_eq(d.year, c->y, "%s: year %d", c->in, (int)d.year);
	cr_expect_eq(d.month, c->m, "%s: month %d", c->in, (int)d.month);
	cr_expect_eq(d.day, c->d, "%s: day %d", c->in, (int)d.day);
	cr_expect_eq(d.parts, c->parts, "%s: parts %d", c->in, d.parts);
	cr_expect_eq(d.end_year, c->ey, "%s: end year %d", c->in, (int)d.end_year);
	cr_expect_eq(d.end_month, c->em, "%s: end month %d", c->in, (int)d.end_month);
	cr_expect_eq(d.end_day, c->ed, "%s: end day %d", c->in, (int)d.end_day);
	cr_expect_eq(d.end_parts, c->eparts, "%s: end parts %d", c->in, d.end_parts);
	cr_expect_eq(d.flags, c->flags, "%s: flags %u", c->in, (unsigned)d.flags);
	cr_expect_null(d.literal);
	cr_expect_null(d.season);
	cr_expect_null(d.raw);

	cw_buf b = CW_BUF_INIT;
	cr_assert_eq(cw_date_format_iso(&d, &b), CW_OK);
	const char *want = c->out ? c->out : c->in;
	cr_expect_str_eq(cw_buf_str(&b), want, "format(parse(\"%s\")) = \"%s\", want \"%s\"", c->in,
	                 cw_buf_str(&b), want);
	/* the formatted form is canonical: it parses to the same date and back */
	cw_date again = CW_DATE_INIT;
	cr_assert_eq(cw_date_parse_iso(&again, cw_buf_str(&b), CW_NUL), CW_OK);
	cr_expect_eq(memcmp(&again, &d, sizeof d), 0, "\"%s\" does not parse back the same",
	             cw_buf_str(&b));
	cw_buf_free(&b);
}

Test(date, explicit_length)
{
	cw_date d = CW_DATE_INIT;
	cr_assert_eq(cw_date_parse_iso(&d, "2008-02-29garbage", 10), CW_OK);
	cr_expect_eq(d.day, 29);
	cr_assert_eq(cw_date_parse_iso(&d, "2008-02-29", 7), CW_OK);
	cr_expect_eq(d.parts, 2);
	cr_expect_eq(cw_date_parse_iso(&d, "2008", 0), CW_EFORMAT);
}

Test(date, misuse)
{
	cw_date d = CW_DATE_INIT;
	cw_buf b = CW_BUF_INIT;
	cr_expect_eq(cw_date_parse_iso(NULL, "2008", CW_NUL), CW_EINVAL);
	cr_expect_eq(cw_date_parse_iso(&d, NULL, 0), CW_EINVAL);
	/* nothing to format: no parts at all */
	cr_expect_eq(cw_date_format_iso(&d, &b), CW_EINVAL);
	d.literal = "sometime";
	cr_expect_eq(cw_date_format_iso(&d, &b), CW_EINVAL);
	cr_expect_eq(b.len, 0);
	cr_expect_eq(cw_date_format_iso(NULL, &b), CW_EINVAL);
	d.parts = 1;
	d.year = 2001;
	cr_expect_eq(cw_date_format_iso(&d, NULL), CW_EINVAL);
	/* format appends */
	cw_buf_append(&b, "issued=", CW_NUL);
	cr_expect_eq(cw_date_format_iso(&d, &b), CW_OK);
	cr_expect_str_eq(cw_buf_str(&b), "issued=2001");
	cw_buf_free(&b);
}

Test(date, format_from_record_fields)
{
	/* a range built by hand the way a reader would (CSL date-parts) */
	cw_date d = CW_DATE_INIT;
	d.year = 1999, d.month = 12, d.day = 31, d.parts = 3;
	d.end_year = 2000, d.end_month = 1, d.end_parts = 2;
	cw_buf b = CW_BUF_INIT;
	cr_assert_eq(cw_date_format_iso(&d, &b), CW_OK);
	cr_expect_str_eq(cw_buf_str(&b), "1999-12-31/2000-01");
	cw_buf_clear(&b);
	/* an open start given only as a flag and the end */
	cw_date o = CW_DATE_INIT;
	o.end_year = 1850, o.end_parts = 1, o.flags = CW_DATE_OPEN_START;
	cr_assert_eq(cw_date_format_iso(&o, &b), CW_OK);
	cr_expect_str_eq(cw_buf_str(&b), "../1850");
	cw_buf_free(&b);
}

/* --- cw_date_parse: the other ways dates are written ------------------- */

struct text_case {
	const char *in;
	unsigned flags;
	int status;
	int32_t y, m, d;
	uint8_t parts;
	int32_t ey, em, ed;
	uint8_t eparts;
	uint32_t dflags;
	/* failures: the reason, or NULL when the text is no date at all */
	const char *why;
};

#define MF CW_DATE_PARSE_MONTH_FIRST

/* clang-format off */
static struct text_case text_cases[] = {
	/* ISO 8601 and EDTF, as cw_date_parse_iso reads them */
	{"2008-02-29", 0, OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"2008/2010", 0, OK, 2008, 0, 0, 1, 2010, 0, 0, 1, 0, NULL},
	{"2008~", 0, OK, 2008, 0, 0, 1, 0, 0, 0, 0, C, NULL},
	/* numbers */
	{"2008/02/29", 0, OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"2008.02.29", 0, OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"2008-2-9", 0, OK, 2008, 2, 9, 3, 0, 0, 0, 0, 0, NULL},
	{"2008/02", 0, OK, 2008, 2, 0, 2, 0, 0, 0, 0, 0, NULL},
	{"2008-1", 0, OK, 2008, 1, 0, 2, 0, 0, 0, 0, 0, NULL},
	{"29/02/2008", 0, OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"29.02.2008", 0, OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"02/29/2008", 0, OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"05/05/2010", 0, OK, 2010, 5, 5, 3, 0, 0, 0, 0, 0, NULL},
	{"05/11/2010", MF, OK, 2010, 5, 11, 3, 0, 0, 0, 0, 0, NULL},
	/* RIS: YYYY/MM/DD/other, empty parts left out */
	{"2008/02/29/", 0, OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"2008///", 0, OK, 2008, 0, 0, 1, 0, 0, 0, 0, 0, NULL},
	{"2008//", 0, OK, 2008, 0, 0, 1, 0, 0, 0, 0, 0, NULL},
	{"2008/02//", 0, OK, 2008, 2, 0, 2, 0, 0, 0, 0, 0, NULL},
	{"2008///Spring", 0, OK, 2008, 21, 0, 2, 0, 0, 0, 0, 0, NULL},
	{"2008/02/29/Leap day", 0, OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"2008/06//Fall", 0, OK, 2008, 6, 0, 2, 0, 0, 0, 0, 0, NULL},
	/* month names */
	{"29 February 2008", 0, OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"29 Feb 2008", 0, OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"29th Feb. 2008", 0, OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"29 February, 2008", 0, OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"February 29, 2008", 0, OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"February 29 2008", 0, OK, 2008, 2, 29, 3, 0, 0, 0, 0, 0, NULL},
	{"February 2008", 0, OK, 2008, 2, 0, 2, 0, 0, 0, 0, 0, NULL},
	{"February, 2008", 0, OK, 2008, 2, 0, 2, 0, 0, 0, 0, 0, NULL},
	{"Sept. 2008", 0, OK, 2008, 9, 0, 2, 0, 0, 0, 0, 0, NULL},
	{"Spring 2008", 0, OK, 2008, 21, 0, 2, 0, 0, 0, 0, 0, NULL},
	{"fall 2008", 0, OK, 2008, 23, 0, 2, 0, 0, 0, 0, 0, NULL},
	/* approximate, supplied */
	{"circa 1850", 0, OK, 1850, 0, 0, 1, 0, 0, 0, 0, C, NULL},
	{"ca. 1850", 0, OK, 1850, 0, 0, 1, 0, 0, 0, 0, C, NULL},
	{"Ca 1850", 0, OK, 1850, 0, 0, 1, 0, 0, 0, 0, C, NULL},
	{"c. 1850", 0, OK, 1850, 0, 0, 1, 0, 0, 0, 0, C, NULL},
	{"c1850", 0, OK, 1850, 0, 0, 1, 0, 0, 0, 0, C, NULL},
	{"circa May 1850", 0, OK, 1850, 5, 0, 2, 0, 0, 0, 0, C, NULL},
	{"circa 20XX", 0, OK, 2000, 0, 0, 1, 2099, 0, 0, 1, C | X, NULL},
	{"[2008]", 0, OK, 2008, 0, 0, 1, 0, 0, 0, 0, 0, NULL},
	{"[ca. 2008]", 0, OK, 2008, 0, 0, 1, 0, 0, 0, 0, C, NULL},
	/* ranges */
	{"2008-2010", 0, OK, 2008, 0, 0, 1, 2010, 0, 0, 1, 0, NULL},
	{"2008–2010", 0, OK, 2008, 0, 0, 1, 2010, 0, 0, 1, 0, NULL},
	{"2008 — 2010", 0, OK, 2008, 0, 0, 1, 2010, 0, 0, 1, 0, NULL},
	{"2008 - 2010", 0, OK, 2008, 0, 0, 1, 2010, 0, 0, 1, 0, NULL},
	{"2008/2009", 0, OK, 2008, 0, 0, 1, 2009, 0, 0, 1, 0, NULL},
	{"2008-02-01 - 2008-03-01", 0, OK, 2008, 2, 1, 3, 2008, 3, 1, 3, 0, NULL},
	{"January–March 2008", 0, OK, 2008, 1, 0, 2, 2008, 3, 0, 2, 0, NULL},
	{"Jan-Feb 2008", 0, OK, 2008, 1, 0, 2, 2008, 2, 0, 2, 0, NULL},
	{"5-7 March 2008", 0, OK, 2008, 3, 5, 3, 2008, 3, 7, 3, 0, NULL},
	{"30 January - 2 February 2008", 0, OK, 2008, 1, 30, 3, 2008, 2, 2, 3, 0, NULL},
	{"December 2007 - January 2008", 0, OK, 2007, 12, 0, 2, 2008, 1, 0, 2, 0, NULL},
	{"ca. 1850-1860", 0, OK, 1850, 0, 0, 1, 1860, 0, 0, 1, C, NULL},
	/* shaped like a date, but none: said why */
	{"2008-02-30", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, "there is no 30 February 2008"},
	{"2007/02/29", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, "there is no 29 February 2007"},
	{"30 February 2008", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, "there is no 30 February 2008"},
	{"February 30, 2008", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, "there is no 30 February 2008"},
	{"31.04.2008", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, "there is no 31 April 2008"},
	{"2008-13", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, "there is no month 13"},
	{"2008/13/01/", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, "there is no month 13"},
	{"25/13/2008", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, "there is no month 13"},
	{"2010-2008", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, "the range ends before it starts"},
	{"2010/2008", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, "the range ends before it starts"},
	{"March–January 2008", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, "the range ends before it starts"},
	{"30-31 February 2008", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, "there is no 31 February 2008"},
	{"05/11/2010", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	 "'05/11/2010' may be 5 November or 11 May: the order of day and month is not known"},
	/* no date at all */
	{"", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"n.d.", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"in press", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"February", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"29 February", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"February2008", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"Spring 29, 2008", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"12-2008", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008/", 0, OK, 2008, 0, 0, 1, 0, 0, 0, 0, OE, NULL}, /* EDTF's open end, not RIS */
	{"08/09/10", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-02-29 and later", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"canada 2008", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008-", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"-2008", 0, OK, -2008, 0, 0, 1, 0, 0, 0, 0, 0, NULL}, /* ISO's year -2008 */
	{"2008 - ", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
	{"2008//02/", 0, BAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
};
/* clang-format on */

CWT_CASES(date, text, text_cases)

ParameterizedTest(size_t *i, date, text)
{
	const struct text_case *c = &text_cases[*i];
	cw_date d = CW_DATE_INIT;
	d.year = 77;
	cw_buf why = CW_BUF_INIT;
	cw_buf_append(&why, "> ", CW_NUL);
	int rc = cw_date_parse(&d, c->in, CW_NUL, c->flags, &why);
	cr_assert_eq(rc, c->status, "parse(\"%s\") = %d, want %d (%s)", c->in, rc, c->status,
	             cw_buf_str(&why));
	if (rc != CW_OK) {
		cr_expect_eq(d.year, 77, "\"%s\" failed but changed its output", c->in);
		cw_buf want = CW_BUF_INIT;
		cw_buf_printf(&want, "> %s", c->why ? c->why : "");
		cr_expect_str_eq(cw_buf_str(&why), cw_buf_str(&want), "\"%s\": why", c->in);
		cw_buf_free(&want);
		cw_buf_free(&why);
		return;
	}
	cr_expect_str_eq(cw_buf_str(&why), "> ", "\"%s\" parsed, yet a reason was given", c->in);
	cr_expect_eq(d.year, c->y, "%s: year %d", c->in, (int)d.year);
	cr_expect_eq(d.month, c->m, "%s: month %d", c->in, (int)d.month);
	cr_expect_eq(d.day, c->d, "%s: day %d", c->in, (int)d.day);
	cr_expect_eq(d.parts, c->parts, "%s: parts %d", c->in, d.parts);
	cr_expect_eq(d.end_year, c->ey, "%s: end year %d", c->in, (int)d.end_year);
	cr_expect_eq(d.end_month, c->em, "%s: end month %d", c->in, (int)d.end_month);
	cr_expect_eq(d.end_day, c->ed, "%s: end day %d", c->in, (int)d.end_day);
	cr_expect_eq(d.end_parts, c->eparts, "%s: end parts %d", c->in, d.end_parts);
	cr_expect_eq(d.flags, c->dflags, "%s: flags %u", c->in, (unsigned)d.flags);
	/* what it read is a date of the calendar, and EDTF can say it */
	cr_expect_eq(cw_date_check(&d, NULL), CW_OK, "%s", c->in);
	cw_buf_free(&why);
}

Test(date, text_misuse_and_bounds)
{
	cw_date d = CW_DATE_INIT;
	cr_expect_eq(cw_date_parse(NULL, "2008", CW_NUL, 0, NULL), CW_EINVAL);
	cr_expect_eq(cw_date_parse(&d, NULL, 0, 0, NULL), CW_EINVAL);
	/* why may be NULL */
	cr_expect_eq(cw_date_parse(&d, "2008-02-30", CW_NUL, 0, NULL), CW_EFORMAT);
	/* an explicit length */
	cr_expect_eq(cw_date_parse(&d, "29 February 2008 and more", 16, 0, NULL), CW_OK);
	cr_expect_eq(d.day, 29);
	/* long text is no date */
	char big[400];
	memset(big, ' ', sizeof big);
	memcpy(big + 300, "2008", 4);
	cr_expect_eq(cw_date_parse(&d, big, sizeof big, 0, NULL), CW_OK); /* trimmed first */
	memset(big, '1', sizeof big);
	cr_expect_eq(cw_date_parse(&d, big, sizeof big, 0, NULL), CW_EFORMAT);
}

struct check_case {
	cw_date d;
	int status;
	const char *why;
};

/* clang-format off */
static struct check_case check_cases[] = {
	{{.year = 2008, .month = 2, .day = 29, .parts = 3}, OK, NULL},
	{{.year = 2008, .month = 2, .day = 30, .parts = 3}, BAD, "there is no 30 February 2008"},
	{{.year = 2008, .month = 4, .day = 0, .parts = 3}, BAD, "there is no 0 April 2008"},
	{{.year = 2008, .month = 0, .parts = 2}, BAD, "there is no month 0"},
	{{.year = 2008, .month = 13, .parts = 2}, OK, NULL}, /* CSL's spring */
	{{.year = 2008, .month = 17, .parts = 2}, BAD, "there is no month 17"},
	{{.year = 2008, .month = 22, .day = 1, .parts = 3}, BAD, "a season has no day 1"},
	{{.year = 2008, .month = 99, .parts = 1}, OK, NULL}, /* parts say the month is unknown */
	{{.year = 2008, .parts = 1, .end_year = 2008, .end_month = 2, .end_day = 30, .end_parts = 3},
	 BAD, "there is no 30 February 2008"},
	{{.year = 2010, .parts = 1, .end_year = 2008, .end_parts = 1}, BAD,
	 "the range ends before it starts"},
	{{.year = 2008, .month = 3, .parts = 2, .end_year = 2008, .end_month = 2, .end_parts = 2},
	 BAD, "the range ends before it starts"},
	{{.end_year = 2008, .end_parts = 1, .flags = CW_DATE_OPEN_START}, OK, NULL},
};
/* clang-format on */

CWT_CASES(date, check, check_cases)

ParameterizedTest(size_t *i, date, check)
{
	const struct check_case *c = &check_cases[*i];
	cw_buf why = CW_BUF_INIT;
	cr_expect_eq(cw_date_check(&c->d, &why), c->status, "case %zu: %s", *i, cw_buf_str(&why));
	cr_expect_str_eq(cw_buf_str(&why), c->why ? c->why : "", "case %zu", *i);
	cw_buf_free(&why);
}

Test(date, days_in_month)
{
	cr_expect_eq(cw_date_days_in_month(2008, 2), 29);
	cr_expect_eq(cw_date_days_in_month(1900, 2), 28);
	cr_expect_eq(cw_date_days_in_month(2000, 2), 29);
	cr_expect_eq(cw_date_days_in_month(2008, 4), 30);
	cr_expect_eq(cw_date_days_in_month(2008, 12), 31);
	cr_expect_eq(cw_date_days_in_month(2008, 0), 0);
	cr_expect_eq(cw_date_days_in_month(2008, 13), 0);
	cr_expect_eq(cw_date_check(NULL, NULL), CW_EINVAL);
}
