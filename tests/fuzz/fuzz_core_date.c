/*
 * Fuzzes the date parsers a plugin author calls. cw_date_parse_iso: a date
 * it accepts formats back (cw_date_format_iso) to text that parses to the
 * same date, and formats to the same text again. cw_date_parse (the other
 * forms: RIS, month names, day first, ranges): what it accepts is a date of
 * the calendar (cw_date_check) that the ISO formatter can write and read
 * back, what it refuses leaves the output alone, and its reason is one line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crosswalk/crosswalk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(const cw_date *a, const cw_date *b)
{
	return a->parts == b->parts && a->end_parts == b->end_parts &&
	       (!a->parts || (a->year == b->year && (a->parts < 2 || a->month == b->month) &&
	                      (a->parts < 3 || a->day == b->day))) &&
	       (!a->end_parts ||
	        (a->end_year == b->end_year && (a->end_parts < 2 || a->end_month == b->end_month) &&
	         (a->end_parts < 3 || a->end_day == b->end_day))) &&
	       a->flags == b->flags;
}

/* A date formats to EDTF that reads back as itself, and formats the same again. */
static void round_trip(const cw_date *d)
{
	cw_buf once = CW_BUF_INIT, twice = CW_BUF_INIT;
	if (cw_date_format_iso(d, &once) != CW_OK)
		return; /* a date the format cannot express (EINVAL) */
	cw_date back = CW_DATE_INIT;
	if (cw_date_parse_iso(&back, once.data, once.len) != CW_OK || !same(d, &back))
		abort(); /* what the formatter wrote does not read back as the date */
	if (cw_date_format_iso(&back, &twice) != CW_OK || once.len != twice.len ||
	    memcmp(once.data, twice.data, once.len) != 0)
		abort(); /* formatting is not stable */
	cw_buf_free(&once);
	cw_buf_free(&twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	cw_date d = CW_DATE_INIT;
	if (cw_date_parse_iso(&d, text, size) == CW_OK)
		round_trip(&d);

	for (unsigned flags = 0; flags <= CW_DATE_PARSE_MONTH_FIRST; flags++) {
		cw_date t = CW_DATE_INIT;
		t.year = 77;
		cw_buf why = CW_BUF_INIT;
		int rc = cw_date_parse(&t, text, size, flags, &why);
		if (rc == CW_OK) {
			if (why.len)
				abort(); /* a reason for a date that was read */
			if (cw_date_check(&t, NULL) != CW_OK)
				abort(); /* read a date the calendar does not have */
			if (t.literal || t.season || t.raw)
				abort();
			round_trip(&t);
		} else {
			if (rc != CW_EFORMAT || t.year != 77 || t.parts)
				abort(); /* refused, yet changed its output */
			if (why.len && memchr(why.data, '\n', why.len))
				abort(); /* a reason is one line */
		}
		cw_buf_free(&why);
	}
	return 0;
}
