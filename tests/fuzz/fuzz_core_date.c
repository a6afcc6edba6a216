/*
 * Fuzzes the ISO 8601 / EDTF date parser a plugin author calls
 * (cw_date_parse_iso) and checks its one promise beyond safety: a date it
 * accepts formats back (cw_date_format_iso) to text that parses to the same
 * date, and formats to the same text again.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cw_date d = CW_DATE_INIT;
	if (cw_date_parse_iso(&d, (const char *)data, size) != CW_OK)
		return 0;
	cw_buf once = CW_BUF_INIT, twice = CW_BUF_INIT;
	if (cw_date_format_iso(&d, &once) != CW_OK)
		return 0; /* a date the format cannot express (EINVAL) */
	cw_date back = CW_DATE_INIT;
	if (cw_date_parse_iso(&back, once.data, once.len) != CW_OK || !same(&d, &back))
		abort(); /* what the formatter wrote does not read back as the date */
	if (cw_date_format_iso(&back, &twice) != CW_OK || once.len != twice.len ||
	    memcmp(once.data, twice.data, once.len) != 0)
		abort(); /* formatting is not stable */
	cw_buf_free(&once);
	cw_buf_free(&twice);
	return 0;
}
